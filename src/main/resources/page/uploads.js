// Files sent with tus-js-client to the service's resumable upload endpoint: each resumes after a break (and after a
// reload of the page, from what the browser remembers of it), with its own progress, speed and time left.
import { authHeaders, problemOf, url } from "./api.js";
import { bytes, seconds, Rate } from "./format.js";

const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
/** How many uploads this page is sending now, by fingerprint: a drop of a file being sent is an upload of its own. */
const sending = new Map();

/**
 * What an upload is resumed by: the file (as tus-js-client's own fingerprint: name, type, size, date) and the options
 * it was sent with, which the service takes only when an upload is created, so that the file dropped again with
 * another preset becomes a job of that preset rather than the end of the earlier upload.
 */
function fingerprint(file, options, endpoint) {
  const chosen = Object.keys(options).sort().map((name) => [name, options[name]]);
  return ["vt", file.name, file.type, file.size, file.lastModified, endpoint, JSON.stringify(chosen)].join("-");
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  node.textContent = text;
  return node;
}

/**
 * Asks the service to drop the upload at `href` (tus termination), again while it answers that the upload is being
 * written (423: the PATCH just stopped has not let go yet, or the job is being made): whether it is dropped, and what
 * came of it in words, never "cancelled" where it was not, nor where the upload had already become a job.
 */
async function drop(href) {
  let busy = "";
  for (const wait of [0, 1000, 2000, 4000]) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    let response;
    try {
      response = await fetch(href, { method: "DELETE", headers: { ...authHeaders(), "Tus-Resumable": "1.0.0" } });
    } catch {
      return { dropped: false, words: "The upload was not cancelled: the service cannot be reached." };
    }
    if (response.status === 204 || response.status === 404) {
      const job = response.headers.get("Job-Id");
      return { dropped: true, words: job ? `The upload had already become job ${job}, which goes on: cancel it below.`
        : "Upload cancelled." };
    }
    busy = (await problemOf(response)).message;
    if (response.status !== 423) {
      return { dropped: false, words: `The upload was not cancelled: ${busy}` };
    }
  }
  return { dropped: false, words: `The upload was not cancelled yet: ${busy} Cancel again to try.` };
}

/** Forgets what the browser remembers of the upload at `href`, so that the same file is not resumed into it. */
async function forget(tusUpload, href) {
  const previous = await tusUpload.findPreviousUploads().catch(() => []);
  await Promise.all(previous.filter((p) => p.uploadUrl === href)
    .map((p) => tusUpload.options.urlStorage.removeUpload(p.urlStorageKey).catch(() => {})));
}

/** The service's words in a refusal (problem JSON), or the client's. */
function reason(error) {
  const response = error.originalResponse;
  if (response) {
    try {
      const problem = JSON.parse(response.getBody());
      return { detail: problem.detail || problem.title, field: problem.field, status: response.getStatus() };
    } catch {
      return { detail: `The service answered ${response.getStatus()}.`, status: response.getStatus() };
    }
  }
  return { detail: `The upload stopped: ${error.message}` };
}

/**
 * Uploads one file with the options (preset, or codec/bitrate/resolution) as its metadata.
 *
 * @param onJob called with the id of the job the upload became
 * @param onRefused called with the refusal ({detail, field, status}) when the service refused it
 */
export function upload(file, options, onJob, onRefused) {
  const li = element("li", { class: "item", "data-upload": file.name });
  const head = element("div", { class: "row" });
  head.append(element("span", { class: "name" }, file.name), element("span", { class: "facts" }, bytes(file.size)));
  const bar = element("progress", { max: "100", value: "0", "aria-label": `Upload of ${file.name}` });
  const text = element("p", { class: "help" }, "Starting…");
  const cancel = element("button", { type: "button" }, "Cancel upload");
  li.append(head, bar, text, cancel);
  document.getElementById("uploads").prepend(li);

  const rate = new Rate();
  let job = null;
  const endpoint = url("uploads/");
  const print = fingerprint(file, options, endpoint);
  const resumable = !sending.has(print);
  sending.set(print, (sending.get(print) || 0) + 1);
  let ended = false;
  const done = () => { // once, whichever way it ends
    if (!ended) {
      ended = true;
      const left = sending.get(print) - 1;
      if (left > 0) {
        sending.set(print, left);
      } else {
        sending.delete(print);
      }
    }
  };
  const tusUpload = new tus.Upload(file, {
    endpoint,
    fingerprint: () => Promise.resolve(print),
    retryDelays: RETRY_DELAYS,
    metadata: { filename: file.name, filetype: file.type || "application/octet-stream", ...options },
    headers: authHeaders(),
    removeFingerprintOnSuccess: true,
    onProgress(sent, total) {
      const { perSecond, left } = rate.add(sent, total);
      bar.value = total ? (sent * 100) / total : 0;
      text.textContent = `${Math.floor(bar.value)}% · ${bytes(sent)} of ${bytes(total)} · ${bytes(perSecond)}/s · `
        + `${seconds(left)} left`;
    },
    onAfterResponse(request, response) {
      job = response.getHeader("Job-Id") || job;
    },
    onSuccess() {
      done();
      bar.value = 100;
      text.textContent = "Uploaded: the job is queued.";
      li.dataset.state = "done";
      cancel.hidden = true;
      if (job) {
        onJob(job);
      }
    },
    onError(error) {
      done();
      const refusal = reason(error);
      text.textContent = refusal.detail;
      text.className = "error";
      li.dataset.state = "failed";
      cancel.hidden = true;
      onRefused(refusal);
    },
  });
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    text.className = "";
    text.textContent = "Cancelling…";
    await tusUpload.abort(false).catch(() => {}); // stops sending; the service is asked below, and its answer said
    done(); // not sent from here on: the same file dropped again resumes it
    const href = tusUpload.url;
    const outcome = href ? await drop(href) : { dropped: true, words: "Upload stopped before the service said where"
      + " it keeps it: anything it received expires within a day." };
    text.textContent = outcome.words;
    cancel.disabled = false;
    if (outcome.dropped) {
      li.dataset.state = "cancelled";
      cancel.hidden = true;
      forget(tusUpload, href); // not offered for resuming
    } else {
      text.className = "error"; // the upload stays, stopped: cancel again, or drop the file again to resume it
    }
  });
  // The same file with the same options being sent already (dropped twice): a new upload, and a job of its own.
  (resumable ? tusUpload.findPreviousUploads() : Promise.resolve([])).then((previous) => {
    if (previous.length > 0) {
      tusUpload.resumeFromPreviousUpload(previous[0]);
      text.textContent = "Resuming where it stopped…";
    }
    tusUpload.start();
  });
  return tusUpload;
}

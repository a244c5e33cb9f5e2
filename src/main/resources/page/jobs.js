// The caller's jobs, newest first, kept up to date by the service's event stream.
import { ApiError, apiKey, authHeaders, call, json, problemOf, url } from "./api.js";
import { bytes, seconds } from "./format.js";

const list = () => document.getElementById("jobs");
const rows = new Map();
const ENDED = ["succeeded", "failed", "cancelled"];

export async function loadJobs() {
  const { jobs } = await json("jobs?limit=50");
  for (const job of [...jobs].reverse()) {
    show(job);
  }
  for (const id of [...rows.keys()]) {
    if (!jobs.some((job) => job.id === id)) {
      remove(id); // removed elsewhere, or past the list's length
    }
  }
}

export async function refresh(id) {
  try {
    show(await json(`jobs/${id}`));
  } catch (e) {
    if (e.status === 404) {
      remove(id);
    }
  }
}

function remove(id) {
  rows.get(id)?.player?.destroy(); // its buffers, and its requests with the key
  rows.get(id)?.li.remove();
  rows.delete(id);
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  node.textContent = text;
  return node;
}

function button(label, onClick) {
  const node = element("button", { type: "button" }, label);
  node.addEventListener("click", onClick);
  return node;
}

/** A job's row, made once and then updated in place, so that a playing preview goes on playing. */
export function show(job) {
  let row = rows.get(job.id);
  if (!row) {
    row = makeRow(job);
    rows.set(job.id, row);
    list().prepend(row.li);
  }
  row.job = job;
  row.li.dataset.status = job.status;
  row.name.textContent = job.filename || job.id;
  row.badge.textContent = job.status;
  row.badge.className = `badge ${job.status}`;
  row.facts.textContent = facts(job);
  const running = job.status === "running" || job.status === "queued";
  row.progress.hidden = !running;
  row.progressText.hidden = !running;
  progress(row, job);
  row.error.hidden = !job.error;
  row.error.textContent = job.error ? `Why: ${job.error}` : "";
  row.cancel.hidden = !running;
  row.retry.hidden = job.status !== "failed";
  row.remove.hidden = !ENDED.includes(job.status);
  showOutputs(row, job);
}

/** Progress only, from a job.progress event: no request. */
export function progress(row, job) {
  if (!row) {
    return;
  }
  const percent = job.progress ?? 0;
  row.progress.value = percent;
  const parts = [`${percent}%`];
  if (job.speed) parts.push(`${job.speed.toFixed(2)}× real time`);
  if (job.fps) parts.push(`${Math.round(job.fps)} fps`);
  if (job.eta !== undefined && job.eta !== null) parts.push(`${seconds(job.eta)} left`);
  row.progressText.textContent = row.job.status === "queued" ? "Waiting for a worker" : parts.join(" · ");
}

export function progressOf(data) {
  const row = rows.get(data.id);
  if (row && row.job.status !== "running" && data.status === "running") {
    show({ ...row.job, ...data });
  } else if (row) {
    Object.assign(row.job, data);
    progress(row, row.job);
  }
  return row;
}

function facts(job) {
  const input = job.input || {};
  const parts = [job.codec ? `${job.codec} ${job.bitrate || ""} ${job.resolution || ""}`.trim() : job.preset];
  if (input.width) parts.push(`${input.width}×${input.height}`);
  if (input.duration) parts.push(seconds(input.duration));
  if (input.videoCodec || input.audioCodec) parts.push([input.videoCodec, input.audioCodec].filter(Boolean).join("/"));
  if (input.size) parts.push(bytes(input.size));
  parts.push(new Date(job.createdAt).toLocaleString());
  return parts.join(" · ");
}

function makeRow(job) {
  const li = element("li", { class: "item", "data-job-id": job.id });
  const head = element("div", { class: "row" });
  const name = element("span", { class: "name" });
  const badge = element("span", { class: "badge" });
  head.append(name, badge);
  const facts = element("p", { class: "facts" });
  const progress = element("progress", { max: "100", "aria-label": `Progress of ${job.filename || job.id}` });
  const progressText = element("p", { class: "help" });
  const error = element("p", { class: "error" });
  const actions = element("div", { class: "actions" });
  const row = { li, name, badge, facts, progress, progressText, error, job };
  // Cancel never removes: a job that ended since this row was drawn keeps its outputs (409, shown).
  row.cancel = button("Cancel", () => act(row, () => call(`jobs/${row.job.id}/cancel`, { method: "POST" })));
  row.retry = button("Retry", () => act(row, () => call(`jobs/${row.job.id}/retry`, { method: "POST" })));
  row.remove = button("Delete", () => act(row, async () => {
    const response = await call(`jobs/${row.job.id}`, { method: "DELETE" });
    if (response.status === 204) {
      remove(row.job.id); // else cancelled, or being stopped (it ran again since): shown as it is now
    }
  }));
  row.preview = button("Preview", () => preview(row));
  actions.append(row.cancel, row.retry, row.remove, row.preview);
  row.outputs = element("p", { class: "outputs" });
  row.previewArea = element("div", { class: "preview" });
  li.append(head, facts, progress, progressText, error, actions, row.outputs, row.previewArea);
  return row;
}

async function act(row, action) {
  try {
    await action();
    if (rows.has(row.job.id)) {
      await refresh(row.job.id);
    }
  } catch (e) {
    showFailure(row, e);
  }
}

function showFailure(row, e) {
  row.error.hidden = false;
  row.error.textContent = e instanceof ApiError ? e.message : String(e);
}

function showOutputs(row, job) {
  const outputs = job.outputs || [];
  row.preview.hidden = job.status !== "succeeded" || !outputs.some((o) => playable(o));
  if (row.outputs.dataset.shown === String(outputs.length)) {
    return;
  }
  row.outputs.dataset.shown = String(outputs.length);
  row.outputs.replaceChildren();
  // An HLS ladder is one download for a person: its master playlist, which names the rest.
  const master = outputs.find((o) => o.name === "master.m3u8");
  const shown = master ? [master] : outputs;
  for (const output of shown) {
    const link = element("a", { href: url(output.url), download: "" }, `Download ${output.name} (${bytes(output.size)})`);
    link.addEventListener("click", (event) => {
      if (apiKey()) {
        // A link cannot carry the key: it carries a short-lived token instead, and the browser saves the file as it
        // arrives (fetched whole into memory first, a multi-GB output froze the tab).
        event.preventDefault();
        // Asked first with the key, so that a refusal (the job removed, the file gone) is said here, not only in the
        // browser's list of downloads.
        call(output.url, { method: "HEAD" })
          .then(() => linkTo(row.job, output.url, true))
          .then((href) => save(href, output.name))
          .catch((e) => showFailure(row, e));
      }
    });
    row.outputs.append(link);
  }
}

function playable(output) {
  return /^(video|audio|image)\//.test(output.contentType) || output.name.endsWith(".m3u8");
}

function save(href, name) {
  const link = element("a", { href, download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * A token for a link to one of this job's outputs (a link cannot carry the key): it opens this job's outputs alone, so
 * that a link that leaks (a proxy's log, a copied address) opens no other job's.
 */
async function linkToken(job) {
  return json(`events/token?job=${encodeURIComponent(job.id)}`, { method: "POST" });
}

/** A link to one of the job's files: with a token where the page has a key (a link cannot carry the key). */
async function linkTo(job, path, keyed = apiKey()) {
  return keyed ? withToken(path, (await linkToken(job)).token) : url(path);
}

/**
 * How the service answers `href` for its first byte, asked with `headers` (the key, or none for a link with its
 * token): null when it serves it (or sends it to an object store), else why not in its words (gone, no longer
 * stored, ...).
 */
async function refusalOf(href, headers) {
  let response;
  try {
    response = await fetch(href, { headers: { ...headers, Range: "bytes=0-0" }, redirect: "manual" });
  } catch {
    return "the service cannot be reached";
  }
  if (response.ok || response.type === "opaqueredirect") {
    response.body?.cancel();
    return null;
  }
  return (await problemOf(response)).message;
}

function withToken(path, token) {
  return `${url(path)}?token=${encodeURIComponent(token)}`;
}

/** The main output, played in the page: MP4 and WebM in <video>, HLS through hls.js, a poster as an image. */
async function preview(row) {
  const outputs = row.job.outputs;
  const hls = outputs.find((o) => o.name === "master.m3u8") || outputs.find((o) => o.name.endsWith(".m3u8"));
  const main = hls || outputs.find((o) => /^(video|audio)\//.test(o.contentType))
    || outputs.find((o) => o.contentType.startsWith("image/"));
  const area = row.previewArea;
  row.player?.destroy();
  row.player = null;
  area.replaceChildren();
  let shown = null; // this preview's element: a former preview's late news is not shown under this one
  const failed = (why) => {
    if (!shown || shown.isConnected) {
      area.append(element("p", { class: "error" }, `The preview cannot be shown: ${why}`));
    }
  };
  try {
    if (main.contentType.startsWith("image/")) {
      shown = element("img", { alt: `Poster of ${row.job.filename}`, src: await linkTo(row.job, main.url) });
      shown.addEventListener("error",
        async () => failed(await refusalOf(url(main.url), authHeaders()) || "the browser cannot show it"));
      area.append(shown);
      return;
    }
    const media = element(main.contentType.startsWith("audio/") ? "audio" : "video",
      { controls: "", preload: "metadata", "aria-label": `Preview of ${row.job.filename}` });
    shown = media;
    area.append(media);
    // With a key, the file plays through a link with a token, as it arrives (it was fetched whole into memory first).
    // A token begins requests for minutes only: where the link is refused later (a seek, a pause resumed) and the key
    // is still served, a new token goes on from where it was, once per link that loaded (never a loop); any other
    // failure is said, in the service's words where it refuses the file.
    const keyed = apiKey() && !hls;
    let loaded = false;
    media.addEventListener("loadedmetadata", () => { loaded = true; });
    const load = async () => {
      const at = media.currentTime;
      const playing = !media.paused;
      loaded = false;
      const src = await linkTo(row.job, main.url, keyed);
      if (!media.isConnected) {
        return; // another preview took its place meanwhile
      }
      media.src = src;
      media.currentTime = at;
      if (playing) {
        media.play().catch(() => {});
      }
    };
    media.addEventListener("error", async () => {
      const why = await refusalOf(url(main.url), authHeaders());
      if (why) {
        failed(why);
      } else if (keyed && loaded && media.isConnected && await refusalOf(media.currentSrc, {})) {
        load().catch((e) => failed(e.message));
      } else {
        failed(media.error?.message || "the browser cannot play it");
      }
    });
    if (hls && window.Hls && Hls.isSupported()) {
      // The key goes to this service only, never to where a playlist's entry points (an object store's address).
      const player = new Hls({
        xhrSetup: (xhr, to) => {
          if (new URL(to, document.baseURI).origin === location.origin) {
            Object.entries(authHeaders()).forEach(([k, v]) => xhr.setRequestHeader(k, v));
          }
        },
      });
      player.on(Hls.Events.ERROR, (event, data) => {
        if (data.fatal) {
          failed(data.response?.code ? `${data.response.code} from the service` : data.details);
        }
      });
      row.player = player;
      player.loadSource(url(hls.url));
      player.attachMedia(media);
    } else {
      await load();
    }
    media.focus();
  } catch (e) {
    failed(e.message);
  }
}

let stream = null; // the one event stream this page follows
let again = null; // its next try, while it waits for one
let latest = 0; // the last call of follow(): an earlier one still waiting for its token gives way
let refusedStreams = 0; // streams refused in a row (EventSource cannot read a 429's Retry-After): each waits longer

/**
 * Live changes from GET /events (a token in the query: EventSource cannot send the key). One stream at a time: a key
 * entered again starts over. A key refused (revoked, expired, without jobs:read) is handed to {@code refused}, not
 * tried for ever; a refusal for the moment (429, 503) waits as long as the service asks.
 */
export async function follow(say, refused) {
  const call = ++latest;
  stream?.close();
  stream = null;
  clearTimeout(again);
  const retry = (millis, after) => {
    again = setTimeout(() => (after ? after() : Promise.resolve()).catch(() => {}).finally(() => follow(say, refused)),
      millis);
  };
  let token;
  try {
    ({ token } = await json("events/token", { method: "POST" }));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      say("");
      refused(e);
      return;
    }
    say(`Live updates paused: ${e.message}`);
    retry(Math.max(5, e.retryAfter || 0) * 1000);
    return;
  }
  if (call !== latest) {
    return; // a later call follows instead
  }
  const events = new EventSource(url(`events?token=${encodeURIComponent(token)}`));
  stream = events;
  const changed = (event) => refresh(JSON.parse(event.data).data.id);
  for (const type of ["job.queued", "job.started", "job.succeeded", "job.failed", "job.cancelled"]) {
    events.addEventListener(type, changed);
  }
  events.addEventListener("job.progress", (event) => {
    const data = JSON.parse(event.data).data;
    if (!progressOf(data)) {
      refresh(data.id);
    }
  });
  events.addEventListener("reset", () => loadJobs());
  events.onopen = () => {
    refusedStreams = 0;
    say("Live: progress and changes appear as they happen.");
    // A job that changed between the list and this stream's start sent its event to no one: listed again.
    loadJobs().catch(() => {});
  };
  events.onerror = () => {
    say("Live updates interrupted; reconnecting…"); // the browser tries again itself, until it gives up
    if (events.readyState === EventSource.CLOSED && stream === events) { // refused: a new token, and what was missed
      refusedStreams += 1;
      retry(Math.min(60, 3 * 2 ** (refusedStreams - 1)) * 1000, loadJobs); // 3 s, 6 s, ... a minute at most
    }
  };
}

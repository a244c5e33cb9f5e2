// The page: the key, the options, the drop zone and picker, the jobs.
import { ApiError, apiKey, json, setApiKey } from "./api.js";
import { follow, loadJobs, refresh } from "./jobs.js";
import { upload } from "./uploads.js";

const $ = (id) => document.getElementById(id);
const say = (text) => { $("status").textContent = text; };
const CUSTOM = ["codec", "bitrate", "resolution"];

/** A key is asked for only when the service wants one: protected mode serves this machine without. */
function askForKey(message) {
  $("key-section").hidden = false;
  $("key-message").textContent = message;
  $("key-input").focus();
}

async function start() {
  let presets;
  try {
    ({ presets } = await json("presets"));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      askForKey(apiKey() ? `The key was refused: ${e.message}` : `This service needs an API key: ${e.message}`);
      say("");
      return;
    }
    say(`The service cannot be reached: ${e.message}`);
    return;
  }
  $("key-section").hidden = true;
  $("forget-key").hidden = !apiKey(); // on a shared machine, the key need not stay in this browser
  fillPresets(presets);
  try {
    await loadJobs();
  } catch (e) {
    say(`Jobs cannot be listed: ${e.message}`);
  }
  follow((text) => { $("live").textContent = text; },
    (refusal) => askForKey(`The key was refused: ${refusal.message}`));
}

function fillPresets(presets) {
  const select = $("preset");
  select.replaceChildren();
  for (const preset of presets) {
    const option = document.createElement("option");
    option.value = preset.name;
    option.textContent = preset.available ? `${preset.name} — ${preset.description}`
      : `${preset.name} — unavailable: ${preset.unavailableReason}`;
    option.disabled = !preset.available;
    option.selected = preset.isDefault;
    select.append(option);
  }
  const describe = () => {
    const chosen = presets.find((p) => p.name === select.value);
    $("preset-help").textContent = chosen ? chosen.description : "";
  };
  select.onchange = describe; // once, however often the presets are listed
  describe();
}

function options() {
  if ($("mode-preset").checked) {
    return { preset: $("preset").value };
  }
  const chosen = {};
  for (const field of CUSTOM) {
    const value = $(field).value.trim();
    if (value) {
      chosen[field] = value;
    }
  }
  return chosen;
}

function clearFieldErrors() {
  for (const field of ["preset", ...CUSTOM]) {
    $(field).removeAttribute("aria-invalid");
    const error = $(`${field}-error`);
    if (error) {
      error.hidden = true;
    }
  }
}

/** A refused option is shown at its field, in the service's words (the same as POST /jobs gives). */
function refused(refusal) {
  if (refusal.status === 401 || refusal.status === 403) {
    askForKey(`The key was refused: ${refusal.detail}`);
    return;
  }
  const error = refusal.field && $(`${refusal.field}-error`);
  if (error) {
    $(refusal.field).setAttribute("aria-invalid", "true");
    error.textContent = refusal.detail;
    error.hidden = false;
  }
}

function send(files) {
  clearFieldErrors();
  if ($("mode-custom").checked && Object.keys(options()).length === 0) {
    // Nothing chosen would be the default preset, which the empty fields do not say.
    refused({ field: "codec", detail: "Fill in at least one option, or choose a preset." });
    return;
  }
  for (const file of files) {
    upload(file, options(), (job) => refresh(job), refused);
  }
}

function wire() {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey($("key-input").value.trim());
    $("key-input").value = "";
    start();
  });
  $("forget-key").addEventListener("click", () => {
    setApiKey("");
    // tus-js-client's notes of unfinished uploads (their names, options and addresses) go with the key.
    Object.keys(localStorage).filter((k) => k.startsWith("tus::")).forEach((k) => localStorage.removeItem(k));
    location.reload();
  });
  for (const radio of document.querySelectorAll("input[name=mode]")) {
    radio.addEventListener("change", () => {
      const custom = $("mode-custom").checked;
      $("custom-fields").hidden = !custom;
      $("preset-fields").hidden = custom;
    });
  }
  $("files").addEventListener("change", (event) => {
    send([...event.target.files]);
    event.target.value = "";
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    send([...event.dataTransfer.files]);
  });
}

wire();
start();

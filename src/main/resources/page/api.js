// Calls to the service, relative to the page (so that a path prefix in front of it is kept), with the API key the
// person entered once, kept in this browser.
const KEY = "videoTranscoder.apiKey";

export function apiKey() {
  return localStorage.getItem(KEY) || "";
}

export function setApiKey(key) {
  if (key) {
    localStorage.setItem(KEY, key);
  } else {
    localStorage.removeItem(KEY);
  }
}

export function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** A URL of the service, from a path it gave ("/jobs/..."), resolved against the page, not the host's root. */
export function url(path) {
  return new URL(path.replace(/^\//, ""), document.baseURI).href;
}

/** A refusal of the service, with its problem JSON's words. */
export class ApiError extends Error {
  constructor(status, detail, field, retryAfter) {
    super(detail);
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter; // seconds the service asked to wait, if it did
  }
}

export async function problemOf(response) {
  const retryAfter = Number(response.headers.get("Retry-After")) || undefined;
  try {
    const problem = await response.json();
    return new ApiError(response.status, problem.detail || problem.title || response.statusText, problem.field,
      retryAfter);
  } catch {
    return new ApiError(response.status, `${response.status} ${response.statusText}`, undefined, retryAfter);
  }
}

/** fetch() with the key; a refusal (4xx, 5xx) is thrown as an ApiError. */
export async function call(path, options = {}) {
  const response = await fetch(url(path), { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response;
}

export async function json(path, options) {
  return (await call(path, options)).json();
}

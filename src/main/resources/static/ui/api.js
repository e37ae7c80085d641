// The console's only way to the server: the public REST API, with the tab's token when there is one.
// Every error shown to a person is the server's own problem+json detail (RFC 9457).

const TOKEN_KEY = 'roster.console.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

export function headers(extra = {}) {
  const all = { Accept: 'application/json', ...extra };
  const bearer = token();
  if (bearer) {
    all.Authorization = `Bearer ${bearer}`;
  }
  return all;
}

/** An answer the server refused: status, and the problem document it sent (title, detail, and more). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Reads a refusal's problem document; a body that is not one still says the status. */
export async function problemOf(response) {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      return parsed;
    }
  } catch (notJson) {
    // a proxy's HTML page, say: fall through
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 300) };
}

/**
 * Calls the API and answers the parsed JSON body. A 4xx/5xx throws ApiError with the server's problem;
 * `accept` lists statuses whose body is the answer anyway (health documents are 503 when DOWN).
 */
export async function api(method, path, { body, signal, accept = [] } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }), signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok && !accept.includes(response.status)) {
    const problem = await problemOf(response);
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) {
    return null;
  }
  return response.json();
}

/** Path segments are percent-encoded; keys keep their '/' (the KV API takes the rest of the path). */
export function segment(value) {
  return encodeURIComponent(value);
}

export function keyPath(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}

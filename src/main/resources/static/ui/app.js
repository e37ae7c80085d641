// The console's entry point: a hash router over four views, the token prompt and the problem banner.
import { ApiError, setToken, token } from './api.js';
import * as services from './services.js';
import * as service from './service.js';
import * as cluster from './cluster.js';
import * as keys from './keys.js';

const main = document.getElementById('main');
const prompt = document.getElementById('token-prompt');
const problemBanner = document.getElementById('problem');
const forget = document.getElementById('forget-token');

let unmount = null;

/** Shows an API refusal: a 401 asks for a token, anything else shows the server's title and detail. */
export function showProblem(failure) {
  if (failure?.name === 'AbortError') {
    return;
  }
  if (failure instanceof ApiError && failure.status === 401) {
    askForToken(failure.message);
    return;
  }
  const title = failure instanceof ApiError ? `${failure.problem.title || 'Error'} (${failure.status})` : 'The request failed';
  problemBanner.textContent = `${title}: ${failure.message}`;
  problemBanner.hidden = false;
}

export function clearProblem() {
  problemBanner.hidden = true;
  problemBanner.textContent = '';
}

function askForToken(reason) {
  stopView();
  main.replaceChildren();
  document.getElementById('token-reason').textContent = token()
    ? `The token this tab holds was refused: ${reason}`
    : `The server says: ${reason}`;
  prompt.hidden = false;
  document.getElementById('token-input').focus();
}

document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  setToken(input.value.trim());
  input.value = '';
  prompt.hidden = true;
  route();
});

forget.addEventListener('click', () => {
  setToken(null);
  route();
});

const views = [
  { pattern: /^#\/services\/([^/?]+)$/, view: service, nav: 'services' },
  { pattern: /^#\/services$/, view: services, nav: 'services' },
  { pattern: /^#\/cluster$/, view: cluster, nav: 'cluster' },
  { pattern: /^#\/keys(?:\?(.*))?$/, view: keys, nav: 'keys' },
];

function stopView() {
  if (unmount) {
    unmount();
    unmount = null;
  }
}

function route() {
  stopView();
  clearProblem();
  prompt.hidden = true;
  forget.hidden = !token();
  const hash = location.hash || '#/services';
  const match = views.map(entry => ({ entry, found: hash.match(entry.pattern) })).find(candidate => candidate.found);
  if (!match) {
    location.replace('#/services');
    return;
  }
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === match.entry.nav) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  main.replaceChildren();
  const controller = new AbortController();
  const context = { signal: controller.signal, showProblem, clearProblem };
  const params = match.found.slice(1); // raw: each view decodes its own
  const stop = match.entry.view.mount(main, params, context);
  unmount = () => {
    controller.abort();
    stop?.();
  };
  // Tell a screen reader the view changed: focus its heading.
  requestAnimationFrame(() => main.querySelector('h1')?.focus());
}

window.addEventListener('hashchange', route);
route();

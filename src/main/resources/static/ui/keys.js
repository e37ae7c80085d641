// Keys: browse the key space by prefix, view a value, and put or delete with a compare-and-swap on the
// revision the page showed: a key someone changed meanwhile is a 409, and the page shows their version
// beside the unsaved edit instead of overwriting it.
import { ApiError, api, keyPath } from './api.js';
import { esc } from './dom.js';

const PAGE = 200;

export function mount(main, [rawQuery], { signal, showProblem, clearProblem }) {
  const query = new URLSearchParams(rawQuery || '');
  const prefix = query.get('prefix') ?? '';
  main.innerHTML = `
    <h1 tabindex="-1">Keys</h1>
    <form class="filters" id="prefix-form" role="search" aria-label="Browse keys">
      <div><label for="prefix-input">Key prefix</label><input id="prefix-input" name="prefix" class="mono" autocomplete="off" spellcheck="false"></div>
      <button type="submit">List keys</button>
      <button type="button" id="new-key" class="quiet">New key</button>
    </form>
    <p class="live" aria-live="polite" id="keys-live"></p>
    <div class="keys">
      <section aria-labelledby="keys-list-heading">
        <h2 id="keys-list-heading">Keys</h2>
        <ul id="keys-list"></ul>
      </section>
      <section class="viewer" id="viewer" aria-labelledby="viewer-heading">
        <h2 id="viewer-heading">Value</h2>
        <p class="muted">Choose a key.</p>
      </section>
    </div>`;
  const form = main.querySelector('#prefix-form');
  const list = main.querySelector('#keys-list');
  const viewer = main.querySelector('#viewer');
  const live = main.querySelector('#keys-live');
  form.prefix.value = prefix;

  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams({ prefix: form.prefix.value });
    location.hash = `#/keys?${next}`;
  });
  main.querySelector('#new-key').addEventListener('click', () => showNew());

  async function load(selectKey) {
    try {
      const range = await api('GET', `/v1/kv/${keyPath(prefix)}?prefix=true&limit=${PAGE}`, { signal });
      list.innerHTML = range.kvs.map(kv => `<li><button type="button" aria-pressed="false" data-key="${esc(kv.key)}">${esc(kv.key)}</button></li>`).join('')
        || '<li class="muted">No keys under this prefix.</li>';
      live.textContent = `${range.count} key${range.count === 1 ? '' : 's'} under "${prefix}"${range.more ? `; the first ${range.kvs.length} shown, narrow the prefix for the rest` : ''}, at revision ${range.revision}.`;
      if (selectKey) {
        open(selectKey);
      }
    } catch (failure) {
      showProblem(failure);
    }
  }

  list.addEventListener('click', event => {
    const button = event.target.closest('button[data-key]');
    if (button) {
      open(button.dataset.key);
    }
  });

  function press(key) {
    for (const button of list.querySelectorAll('button[data-key]')) {
      button.setAttribute('aria-pressed', String(button.dataset.key === key));
    }
  }

  async function open(key) {
    press(key);
    clearProblem();
    try {
      const kv = await api('GET', `/v1/kv/${keyPath(key)}`, { signal });
      showEntry(kv);
    } catch (failure) {
      showProblem(failure);
    }
  }

  /** The entry as read: its value is editable, and saving compares against the mod revision shown. */
  function showEntry(kv, conflict) {
    viewer.innerHTML = `
      <h2 id="viewer-heading">Value of <span class="mono">${esc(kv.key)}</span></h2>
      <dl>
        <dt>Mod revision</dt><dd id="kv-mod-revision">${esc(kv.modRevision)}</dd>
        <dt>Created at revision</dt><dd>${esc(kv.createRevision)}</dd>
        <dt>Version</dt><dd>${esc(kv.version)}</dd>
        ${kv.lease ? `<dt>Lease</dt><dd class="mono">${esc(kv.lease)}</dd>` : ''}
      </dl>
      <div id="conflict"></div>
      <label for="kv-value">Value</label>
      <textarea id="kv-value" spellcheck="false"></textarea>
      <div class="actions">
        <button type="button" id="kv-save">Save (if still at revision ${esc(kv.modRevision)})</button>
        <button type="button" id="kv-delete" class="danger">Delete (if still at revision ${esc(kv.modRevision)})</button>
      </div>
      <p class="live" aria-live="polite" id="kv-result"></p>`;
    const textarea = viewer.querySelector('#kv-value');
    textarea.value = kv.value;
    viewer.querySelector('#kv-save').addEventListener('click', () => save(kv, textarea.value));
    viewer.querySelector('#kv-delete').addEventListener('click', () => remove(kv));
    if (conflict) {
      showConflict(conflict.current, conflict.detail, null, conflict.mine);
    }
  }

  async function save(kv, value) {
    clearProblem();
    try {
      const written = await api('PUT', `/v1/kv/${keyPath(kv.key)}`, { body: { value, prevRevision: kv.modRevision }, signal });
      showEntry(written);
      viewer.querySelector('#kv-result').textContent = `Saved at revision ${written.modRevision}.`;
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        showConflict(failure.problem.current, failure.message, kv, value);
      } else {
        showProblem(failure);
      }
    }
  }

  async function remove(kv) {
    clearProblem();
    try {
      await api('DELETE', `/v1/kv/${keyPath(kv.key)}?prevRevision=${kv.modRevision}`, { signal });
      viewer.innerHTML = `<h2 id="viewer-heading">Value</h2><p class="live" id="kv-result">Deleted <span class="mono">${esc(kv.key)}</span>.</p>`;
      load();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        showConflict(failure.problem.current, failure.message, kv, null, 'deleted');
      } else {
        showProblem(failure);
      }
    }
  }

  /**
   * A compare failed: someone else wrote (or deleted) the key after it was read (`seen`), or created it
   * first (`seen` null). Their version is shown; the edit stays in the text box, unsaved (or the key
   * undeleted), until the person chooses to build on theirs.
   */
  function showConflict(current, detail, seen, mine, refused = 'saved') {
    const box = viewer.querySelector('#conflict');
    box.innerHTML = `<div class="conflict" role="alert" id="kv-conflict">
        <strong>${seen ? `Not ${refused}: the key changed after revision ${esc(seen.modRevision)}, which this page showed.` : 'Not created: the key exists already.'}</strong>
        <p>${esc(detail)}</p>
        ${current ? `<p>Its value now (mod revision ${esc(current.modRevision)}):</p><pre class="mono" id="kv-current">${esc(current.value)}</pre>`
          : '<p>It has been deleted.</p>'}
        ${current ? '<button type="button" id="kv-take-theirs" class="quiet">Edit their version (your text is kept below until then)</button>' : ''}
      </div>`;
    if (mine !== null && mine !== undefined) {
      viewer.querySelector('#kv-value').value = mine;
    }
    box.querySelector('#kv-take-theirs')?.addEventListener('click', () => showEntry({ ...current }));
  }

  function showNew() {
    press(null);
    viewer.innerHTML = `
      <h2 id="viewer-heading">New key</h2>
      <form id="new-form">
        <label for="new-key-name">Key</label>
        <input id="new-key-name" class="mono" required spellcheck="false" autocomplete="off">
        <label for="new-key-value">Value</label>
        <textarea id="new-key-value" spellcheck="false"></textarea>
        <div class="actions"><button type="submit">Create (only if absent)</button></div>
      </form>
      <div id="conflict"></div>`;
    viewer.querySelector('#new-key-name').value = prefix;
    viewer.querySelector('#new-key-name').focus();
    viewer.querySelector('#new-form').addEventListener('submit', async event => {
      event.preventDefault();
      clearProblem();
      const key = viewer.querySelector('#new-key-name').value;
      const value = viewer.querySelector('#new-key-value').value;
      try {
        // prevRevision 0: create only; an existing key is a 409, never overwritten.
        const written = await api('PUT', `/v1/kv/${keyPath(key)}`, { body: { value, prevRevision: 0 }, signal });
        await load();
        press(written.key);
        showEntry(written);
        viewer.querySelector('#kv-result').textContent = `Created at revision ${written.modRevision}.`;
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 409) {
          showEntry(failure.problem.current, { current: failure.problem.current, detail: failure.message, mine: value });
        } else {
          showProblem(failure);
        }
      }
    });
  }

  load();
}

// Service: one service's instances, listed once and then kept current by its watch. Only the rows in
// view are in the DOM (every row has one height), so 10,000 instances cost what 40 do; a burst of
// events costs one redraw per animation frame, and an event for a row out of view costs none.
import { api, segment } from './api.js';
import { follow } from './sse.js';
import { duration, esc, frameBatcher, liveText } from './dom.js';

/** How long an expired or deregistered instance stays, faded, with its reason. */
const FADE_MILLIS = 4000;
/** Rows drawn beyond the visible ones, above and below, so a quick scroll shows no gap. */
const OVERSCAN = 10;

export function mount(main, [rawName], { signal, showProblem }) {
  const serviceName = decodeURIComponent(rawName);
  const openedAt = Date.now();
  main.innerHTML = `
    <p><a href="#/services">← All services</a></p>
    <h1 tabindex="-1">Service <span class="mono">${esc(serviceName)}</span></h1>
    <ul class="summary" aria-label="Counts">
      <li>Instances: <strong id="count-total">…</strong></li>
      <li>UP: <strong id="count-up">…</strong></li>
      <li>Revision: <strong id="count-revision">…</strong></li>
    </ul>
    <p class="live" aria-live="polite" id="service-live">Loading…</p>
    <div class="window" id="instances-window" tabindex="0" role="region" aria-label="Instances of ${esc(serviceName)}">
      <table id="instances-table" aria-rowcount="1">
        <colgroup><col style="width:14%"><col style="width:15%"><col style="width:9%"><col style="width:11%">
          <col style="width:25%"><col style="width:10%"><col style="width:8%"><col style="width:8%"></colgroup>
        <thead><tr aria-rowindex="1"><th scope="col">Instance</th><th scope="col">Address</th><th scope="col">Zone</th><th scope="col">Status</th>
          <th scope="col">Metadata</th><th scope="col">Registered</th><th scope="col">TTL</th><th scope="col">Change</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p class="hint">Registered: time since the registration, for instances registered while this page is open;
      earlier ones show the time the page has been open, as "over …". TTL: the lease the instance renews with heartbeats,
      which the API does not stream, so the console cannot count it down (see docs/console.md).</p>`;
  const windowBox = main.querySelector('#instances-window');
  const table = main.querySelector('#instances-table');
  const tbody = main.querySelector('tbody');
  const live = main.querySelector('#service-live');

  /** instanceId -> row: { instance, seenAt (registered while open) | null, gone: {reason, at} | null, changedAt } */
  let rows = new Map();
  let order = []; // instance ids, sorted
  let revision = 0;
  let rowHeight = 0;

  function sortOrder() {
    order = [...rows.keys()].sort();
  }

  function cells(id, row, now) {
    const instance = row.instance;
    const metadata = Object.entries(instance.metadata || {}).map(([key, value]) => `${key}=${value}`).join(', ');
    const since = row.seenAt !== null ? duration(now - row.seenAt) : `over ${duration(now - openedAt)}`;
    const change = row.gone ? row.gone.reason : (row.changedAt && now - row.changedAt < FADE_MILLIS ? row.reason : '');
    return `<td class="mono">${esc(id)}</td><td class="mono">${esc(instance.host)}:${esc(instance.port)}</td>`
      + `<td>${esc(instance.zone || '')}</td><td class="status status-${esc(instance.status)}">${esc(instance.status)}</td>`
      + `<td title="${esc(metadata)}">${esc(metadata)}</td><td>${since}</td><td>${esc(instance.ttlSeconds)} s</td>`
      + `<td class="reason">${esc(change)}</td>`;
  }

  const draw = frameBatcher(() => {
    const now = Date.now();
    if (!rowHeight) {
      rowHeight = parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.25;
    }
    const visible = Math.ceil(windowBox.clientHeight / rowHeight) + 2 * OVERSCAN;
    const first = Math.max(0, Math.floor(windowBox.scrollTop / rowHeight) - OVERSCAN);
    const last = Math.min(order.length, first + visible);
    const html = [];
    if (first > 0) {
      html.push(`<tr class="spacer" aria-hidden="true" style="height:${first * rowHeight}px"><td colspan="8"></td></tr>`);
    }
    for (let index = first; index < last; index++) {
      const id = order[index];
      const row = rows.get(id);
      const classes = row.gone ? 'gone' : (row.changedAt && now - row.changedAt < 1500 ? 'changed' : '');
      html.push(`<tr data-instance="${esc(id)}" aria-rowindex="${index + 2}" class="${classes}">${cells(id, row, now)}</tr>`);
    }
    if (last < order.length) {
      html.push(`<tr class="spacer" aria-hidden="true" style="height:${(order.length - last) * rowHeight}px"><td colspan="8"></td></tr>`);
    }
    if (order.length === 0) {
      html.push('<tr><td colspan="8" class="muted">No instances (or none you may discover).</td></tr>');
    }
    tbody.innerHTML = html.join('');
    table.setAttribute('aria-rowcount', String(order.length + 1));
    let up = 0;
    let total = 0;
    for (const row of rows.values()) {
      if (!row.gone) {
        total++;
        if (row.instance.status === 'UP') up++;
      }
    }
    main.querySelector('#count-total').textContent = String(total);
    main.querySelector('#count-up').textContent = String(up);
    main.querySelector('#count-revision').textContent = String(revision);
  });
  windowBox.addEventListener('scroll', draw, { passive: true });
  window.addEventListener('resize', draw);

  async function list() {
    const lookup = await api('GET', `/v1/services/${segment(serviceName)}/instances`, { signal });
    const next = new Map();
    for (const instance of lookup.instances) {
      const known = rows.get(instance.instanceId);
      next.set(instance.instanceId, { instance, seenAt: known && !known.gone ? known.seenAt : null, gone: null, changedAt: 0, reason: '' });
    }
    rows = next;
    revision = lookup.revision;
    sortOrder();
    draw();
    return lookup.revision;
  }

  function apply(change) {
    revision = change.revision;
    const now = Date.now();
    const known = rows.get(change.instanceId);
    if (change.type === 'PUT') {
      const fresh = change.reason === 'registered' || !known || known.gone;
      rows.set(change.instanceId, {
        instance: change.instance,
        seenAt: fresh ? now : known.seenAt,
        gone: null,
        changedAt: now,
        reason: change.reason,
      });
      if (!known) {
        sortOrder();
      }
    } else if (known && !known.gone) {
      known.gone = { reason: change.reason, at: now };
      setTimeout(() => {
        const still = rows.get(change.instanceId);
        if (still === known && still.gone) {
          rows.delete(change.instanceId);
          sortOrder();
          draw();
        }
      }, FADE_MILLIS);
    }
    draw();
  }

  // Ages tick once a second; only the rows in view are redrawn.
  const ticker = setInterval(draw, 1000);

  /** The server refused (its problem is shown above) or the page left: nothing more will arrive. */
  function stopped(failure) {
    if (!signal.aborted) {
      live.textContent = 'Not live: the server refused this view (the reason is shown above).';
    }
    showProblem(failure);
  }

  list().then(from => follow(`/v1/watch/services/${segment(serviceName)}`, from, {
    signal,
    onChange: apply,
    relist: list,
    onState: (state, detail) => { live.textContent = liveText(state, detail); },
    onError: stopped,
  })).catch(stopped);

  return () => {
    clearInterval(ticker);
    window.removeEventListener('resize', draw);
  };
}

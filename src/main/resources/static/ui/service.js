// Service: one service's instances, listed once and then kept current by its watch. Only the rows in
// view are in the DOM (every row has one height), so 10,000 instances cost what 40 do; a burst of
// events costs one redraw per animation frame, and an event for a row out of view costs none.
import { api, segment } from './api.js';
import { listThenFollow } from './sse.js';
import { duration, esc, frameBatcher, placeRows } from './dom.js';

/** How long an expired or deregistered instance stays, faded, with its reason. */
const FADE_MILLIS = 4000;
/** Rows drawn beyond the visible ones, above and below, so a quick scroll shows no gap. */
const OVERSCAN = 10;
/**
 * How often the time left on the instances' leases is read again: heartbeats restart it on the leader,
 * and no event says so. In between, the page counts down by itself.
 */
const LEASE_REFRESH_MILLIS = 5000;

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
        <colgroup><col style="width:14%"><col style="width:15%"><col style="width:9%"><col style="width:14%">
          <col style="width:22%"><col style="width:10%"><col style="width:8%"><col style="width:8%"></colgroup>
        <thead><tr aria-rowindex="1"><th scope="col">Instance</th><th scope="col">Address</th><th scope="col">Zone</th><th scope="col">Status</th>
          <th scope="col">Metadata</th><th scope="col">Registered</th><th scope="col">Time left</th><th scope="col">Change</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <section id="instance-details" class="viewer" aria-labelledby="instance-details-heading" hidden></section>
    <p class="hint">Choose an instance for all its fields. Registered: time since the registration, by the clock of the member that took it.
      Time left: before the instance's lease expires unless
      it heartbeats, out of its TTL; read from the leader every ${LEASE_REFRESH_MILLIS / 1000} s and counted down in between.</p>`;
  const windowBox = main.querySelector('#instances-window');
  const table = main.querySelector('#instances-table');
  const tbody = main.querySelector('tbody');
  const live = main.querySelector('#service-live');

  /** instanceId -> row: { instance, seenAt (registered while open) | null, gone: {reason, at} | null, changedAt, reason } */
  let rows = new Map();
  let order = []; // instance ids, sorted
  let orderStale = false;
  let revision = 0;
  let rowHeight = 0;
  let selected = null; // the instance whose details are open
  /** instanceId -> { remainingMillis, at }: the leader's time left on its lease, and when the page read it. */
  const leases = new Map();

  function sortOrder() {
    orderStale = true; // sorted once per frame, not once per event
  }

  // The rows in view, kept by instance id: a redraw rewrites only the cells whose text changed, so an
  // event touches one row, the clock touches one cell a row, and keyboard focus on a row stays put.
  const rendered = new Map();
  const topSpacer = spacer();
  const bottomSpacer = spacer();
  const emptyRow = document.createElement('tr');
  emptyRow.innerHTML = '<td colspan="8" class="muted">No instances (or none you may discover).</td>';

  function spacer() {
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    tr.innerHTML = '<td colspan="8"></td>';
    return tr;
  }

  function rowElement(id) {
    let tr = rendered.get(id);
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.instance = id;
      tr.innerHTML = '<td class="mono"><button type="button" class="link" aria-controls="instance-details" aria-expanded="false"></button></td>'
        + '<td class="mono"></td><td></td><td></td><td></td><td></td><td></td><td class="reason"></td>';
      tr.querySelector('button').textContent = id;
      rendered.set(id, tr);
    }
    return tr;
  }

  function set(node, property, value) {
    if (node[property] !== value) {
      node[property] = value;
    }
  }

  function fill(tr, id, row, index, now) {
    const instance = row.instance;
    const metadata = Object.entries(instance.metadata || {}).map(([key, value]) => `${key}=${value}`).join(', ');
    const since = registeredSince(row, now);
    const change = row.gone ? row.gone.reason : (row.changedAt && now - row.changedAt < FADE_MILLIS ? row.reason : '');
    set(tr, 'className', row.gone ? 'gone' : (row.changedAt && now - row.changedAt < 1500 ? 'changed' : ''));
    if (tr.getAttribute('aria-rowindex') !== String(index + 2)) {
      tr.setAttribute('aria-rowindex', String(index + 2));
    }
    const cells = tr.children;
    const toggle = cells[0].firstChild;
    if (toggle.getAttribute('aria-expanded') !== String(selected === id)) {
      toggle.setAttribute('aria-expanded', String(selected === id));
    }
    set(cells[1], 'textContent', `${instance.host}:${instance.port}`);
    set(cells[2], 'textContent', instance.zone || '');
    set(cells[3], 'textContent', instance.status);
    set(cells[3], 'className', `status status-${instance.status}`);
    set(cells[4], 'textContent', metadata);
    set(cells[4], 'title', metadata);
    set(cells[5], 'textContent', since);
    set(cells[6], 'textContent', timeLeft(id, instance, now));
    set(cells[7], 'textContent', change);
  }

  /**
   * Time since the registration, from the registering member's clock (`registeredAt`); for instances
   * stored before members recorded it, since the page saw it register, or "over" how long it has been open.
   */
  function registeredSince(row, now) {
    const at = row.instance.registeredAt ? Date.parse(row.instance.registeredAt) : NaN;
    if (!Number.isNaN(at)) {
      return duration(Math.max(0, now - at));
    }
    return row.seenAt !== null ? duration(now - row.seenAt) : `over ${duration(now - openedAt)}`;
  }

  /** "27 of 30 s": the lease's time left, counted down from the last reading; the TTL alone until one arrives. */
  function timeLeft(id, instance, now) {
    const lease = leases.get(id);
    if (!lease) {
      return `${instance.ttlSeconds} s`;
    }
    const left = Math.max(0, Math.ceil((lease.remainingMillis - (now - lease.at)) / 1000));
    return `${left} of ${instance.ttlSeconds} s`;
  }

  const draw = frameBatcher(() => {
    const now = Date.now();
    if (orderStale) {
      order = [...rows.keys()].sort();
      orderStale = false;
    }
    if (!rowHeight) {
      rowHeight = parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.25;
    }
    const visible = Math.ceil(windowBox.clientHeight / rowHeight) + 2 * OVERSCAN;
    const first = Math.max(0, Math.floor(windowBox.scrollTop / rowHeight) - OVERSCAN);
    const last = Math.min(order.length, first + visible);
    const shown = [];
    if (first > 0) {
      topSpacer.style.height = `${first * rowHeight}px`;
      shown.push(topSpacer);
    }
    const inView = new Set();
    for (let index = first; index < last; index++) {
      const id = order[index];
      const tr = rowElement(id);
      fill(tr, id, rows.get(id), index, now);
      inView.add(id);
      shown.push(tr);
    }
    if (last < order.length) {
      bottomSpacer.style.height = `${(order.length - last) * rowHeight}px`;
      shown.push(bottomSpacer);
    }
    if (order.length === 0) {
      shown.push(emptyRow);
    }
    for (const [id, tr] of rendered) {
      if (!inView.has(id)) {
        rendered.delete(id);
        tr.remove();
      }
    }
    placeRows(tbody, shown);
    table.setAttribute('aria-rowcount', String(order.length + 1));
    let up = 0;
    let total = 0;
    for (const row of rows.values()) {
      if (!row.gone) {
        total++;
        if (row.instance.status === 'UP') up++;
      }
    }
    set(main.querySelector('#count-total'), 'textContent', String(total));
    set(main.querySelector('#count-up'), 'textContent', String(up));
    set(main.querySelector('#count-revision'), 'textContent', String(revision));
    showDetails();
  });

  /** Every field of the selected instance, metadata in full: the table cuts long metadata short. */
  function showDetails() {
    const panel = main.querySelector('#instance-details');
    const row = selected === null ? undefined : rows.get(selected);
    if (!row) {
      panel.hidden = true;
      return;
    }
    const instance = row.instance;
    const fields = [
      ['Instance', instance.instanceId], ['Address', `${instance.host}:${instance.port}`], ['Secure', String(instance.secure)],
      ['Zone', instance.zone || '—'], ['Status', instance.status], ['Weight', instance.weight], ['TTL', `${instance.ttlSeconds} s`],
      ['Time left', timeLeft(instance.instanceId, instance, Date.now())],
      ['Lease', instance.leaseId], ['Registered at', instance.registeredAt || 'not recorded'],
      ['Created at revision', instance.createRevision], ['Changed at revision', instance.modRevision],
      ...Object.entries(instance.metadata || {}).map(([key, value]) => [`metadata ${key}`, value]),
    ];
    if (row.gone) {
      fields.push(['Gone', row.gone.reason]);
    }
    const html = `<h2 id="instance-details-heading">Instance <span class="mono">${esc(instance.instanceId)}</span></h2><dl>`
      + fields.map(([label, value]) => `<dt>${esc(label)}</dt><dd class="mono">${esc(value)}</dd>`).join('') + '</dl>';
    if (panel.dataset.shown !== html) {
      panel.innerHTML = html;
      panel.dataset.shown = html;
    }
    panel.hidden = false;
  }

  tbody.addEventListener('click', event => {
    const button = event.target.closest('button[aria-controls="instance-details"]');
    if (button) {
      const id = button.closest('tr').dataset.instance;
      selected = selected === id ? null : id;
      draw();
    }
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
      if (change.reason === 'registered') {
        leases.set(change.instanceId, { remainingMillis: change.instance.ttlSeconds * 1000, at: now }); // a new lease
      }
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
      leases.delete(change.instanceId);
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

  // Ages and time left tick once a second; only the rows in view are redrawn.
  const ticker = setInterval(draw, 1000);

  /** One request for the whole service, never one per instance. A failed reading keeps counting down the last one. */
  async function readLeases() {
    try {
      const answer = await api('GET', `/v1/services/${segment(serviceName)}/leases`, { signal });
      const at = Date.now();
      leases.clear();
      for (const [id, remainingMillis] of Object.entries(answer.remainingMillis)) {
        leases.set(id, { remainingMillis, at });
      }
      draw();
    } catch (failure) {
      // The lookup and the watch report what is wrong with the member; this reading is only a refinement.
    }
  }
  const leaseReader = setInterval(readLeases, LEASE_REFRESH_MILLIS);

  listThenFollow(`/v1/watch/services/${segment(serviceName)}`, { list, apply, live, signal, showProblem, afterList: readLeases });

  return () => {
    clearInterval(ticker);
    clearInterval(leaseReader);
    window.removeEventListener('resize', draw);
  };
}

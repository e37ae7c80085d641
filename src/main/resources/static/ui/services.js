// Services: every service the caller may discover, with total and UP counts, filterable by name, zone
// and status. Lists once (the service list, then each service's instances), then follows the watch of
// all services; nothing is polled.
import { api, segment } from './api.js';
import { listThenFollow } from './sse.js';
import { esc, frameBatcher, placeRows } from './dom.js';

const STATUSES = ['UP', 'DOWN', 'STARTING', 'OUT_OF_SERVICE'];

export function mount(main, params, { signal, showProblem }) {
  main.innerHTML = `
    <h1 tabindex="-1">Services</h1>
    <form class="filters" role="search" aria-label="Filter services">
      <div><label for="filter-name">Name contains</label><input id="filter-name" name="name" type="search" autocomplete="off"></div>
      <div><label for="filter-zone">Zone</label><select id="filter-zone" name="zone"><option value="">Any zone</option></select></div>
      <div><label for="filter-status">Has an instance that is</label><select id="filter-status" name="status">
        <option value="">Any status</option>${STATUSES.map(s => `<option>${s}</option>`).join('')}</select></div>
    </form>
    <p class="live" aria-live="polite" id="services-live">Loading…</p>
    <div class="scroll"><table id="services-table">
      <caption class="muted" id="services-caption"></caption>
      <thead><tr><th scope="col">Service</th><th scope="col">Instances</th><th scope="col">UP</th><th scope="col">Zones</th></tr></thead>
      <tbody></tbody>
    </table></div>`;
  const form = main.querySelector('form');
  const tbody = main.querySelector('tbody');
  const zoneSelect = main.querySelector('#filter-zone');
  const caption = main.querySelector('#services-caption');
  const live = main.querySelector('#services-live');

  // service name -> { listedAt: revision of its listing, instances: Map(instanceId -> {zone, status}) }
  let fleet = new Map();

  // Rows are kept by service name and only their changed cells rewritten: a live list must not take
  // keyboard focus away from a link while events arrive.
  const rowsByName = new Map();
  const emptyRow = document.createElement('tr');
  emptyRow.innerHTML = '<td colspan="4" class="muted"></td>';

  function rowFor(serviceName) {
    let tr = rowsByName.get(serviceName);
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.service = serviceName;
      tr.innerHTML = `<th scope="row"><a href="#/services/${esc(segment(serviceName))}">${esc(serviceName)}</a></th>`
        + '<td class="total"></td><td class="up"></td><td class="zones"></td>';
      rowsByName.set(serviceName, tr);
    }
    return tr;
  }

  function setText(cell, text) {
    if (cell.textContent !== text) {
      cell.textContent = text;
    }
  }

  const draw = frameBatcher(() => {
    const name = form.name.value.trim().toLowerCase();
    const zone = form.zone.value;
    const status = form.status.value;
    const zones = new Set();
    const shown = [];
    for (const [serviceName, entry] of [...fleet].sort(([a], [b]) => a.localeCompare(b))) {
      const instances = [...entry.instances.values()];
      instances.forEach(instance => instance.zone && zones.add(instance.zone));
      if (name && !serviceName.toLowerCase().includes(name)) continue;
      if (zone && !instances.some(instance => instance.zone === zone)) continue;
      if (status && !instances.some(instance => instance.status === status)) continue;
      const tr = rowFor(serviceName);
      setText(tr.querySelector('.total'), String(instances.length));
      setText(tr.querySelector('.up'), String(instances.filter(instance => instance.status === 'UP').length));
      setText(tr.querySelector('.zones'), [...new Set(instances.map(instance => instance.zone).filter(Boolean))].sort().join(', '));
      shown.push(tr);
    }
    for (const [serviceName, tr] of rowsByName) {
      if (!fleet.has(serviceName)) {
        rowsByName.delete(serviceName);
        tr.remove();
      }
    }
    if (shown.length === 0) {
      emptyRow.firstChild.textContent = fleet.size ? 'No service matches the filters.' : 'No services are registered (or none you may discover).';
      shown.push(emptyRow);
    }
    placeRows(tbody, shown);
    caption.textContent = `${shown[0] === emptyRow ? 0 : shown.length} of ${fleet.size} services`;
    const chosen = zoneSelect.value;
    const known = [...zones].sort();
    if (known.join('\n') !== [...zoneSelect.options].slice(1).map(option => option.value).join('\n')) {
      zoneSelect.innerHTML = '<option value="">Any zone</option>' + known.map(z => `<option>${esc(z)}</option>`).join('');
      zoneSelect.value = known.includes(chosen) ? chosen : '';
    }
  });
  form.addEventListener('input', draw);
  form.addEventListener('change', draw); // a field cleared by script or autofill may fire only this
  form.addEventListener('submit', event => event.preventDefault());

  /** The list, then each service's instances; answers the revision to watch from. */
  async function list() {
    const listing = await api('GET', '/v1/services', { signal });
    const next = new Map();
    // One request per service (never per instance), a few at a time.
    const queue = listing.services.map(summary => summary.name);
    async function worker() {
      while (queue.length) {
        const serviceName = queue.shift();
        const lookup = await api('GET', `/v1/services/${segment(serviceName)}/instances`, { signal });
        next.set(serviceName, {
          listedAt: lookup.revision,
          instances: new Map(lookup.instances.map(instance => [instance.instanceId, { zone: instance.zone, status: instance.status }])),
        });
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()]);
    fleet = next;
    draw();
    // Each service skips the events its own listing already reflects.
    return listing.revision;
  }

  function apply(change) {
    let entry = fleet.get(change.service);
    if (entry && change.revision <= entry.listedAt) {
      return;
    }
    if (change.type === 'PUT') {
      if (!entry) {
        entry = { listedAt: 0, instances: new Map() };
        fleet.set(change.service, entry);
      }
      entry.instances.set(change.instanceId, { zone: change.instance.zone, status: change.instance.status });
    } else if (entry) {
      entry.instances.delete(change.instanceId);
      if (entry.instances.size === 0) {
        fleet.delete(change.service); // the registry lists a service only while it has instances
      }
    }
    draw();
  }

  listThenFollow('/v1/watch/services', { list, apply, live, signal, showProblem });
}

// Cluster: the members, the leader marked, each member's role and how the leader sees it. There is no
// watch of the cluster's own state, so this view alone polls: once a second, three small documents from
// the member serving the page (/v1/status, /v1/members, and the raft health contributor's details).
import { api } from './api.js';
import { duration, esc } from './dom.js';

const POLL_MILLIS = 1000;

export function mount(main, params, { signal, showProblem, clearProblem }) {
  main.innerHTML = `
    <h1 tabindex="-1">Cluster</h1>
    <ul class="summary" aria-label="This member" id="cluster-summary"><li>Loading…</li></ul>
    <p id="cluster-note" class="muted"></p>
    <div class="scroll"><table id="members-table">
      <caption class="muted">Members, as the member serving this page sees them (refreshed every second)</caption>
      <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Lag (entries)</th>
        <th scope="col">Reachable</th><th scope="col">Client URLs</th><th scope="col">ID</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <p class="live" aria-live="polite" id="cluster-live"></p>`;
  const summary = main.querySelector('#cluster-summary');
  const note = main.querySelector('#cluster-note');
  const tbody = main.querySelector('tbody');
  const live = main.querySelector('#cluster-live');
  let lastLeader;
  let failing = false;

  function render(status, members, health) {
    const raft = health.details || {};
    const self = members.members.find(member => member.id === status.memberId);
    summary.innerHTML = [
      ['Serving this page', `${status.name} (${raft.role || 'unknown role'})`],
      ['Health', health.status + (raft.reason ? `: ${raft.reason}` : '') + (raft.failure ? `: ${raft.failure}` : '')],
      ['Leader', raft.leader?.name || (status.leader ? status.leader : 'none')],
      ['Term', status.raftTerm],
      ['Commit index', raft.commitIndex ?? status.raftIndex],
      ['Applied index', raft.appliedIndex ?? status.appliedIndex],
      ['Revision', status.revision],
    ].map(([label, value]) => `<li>${esc(label)}: <strong>${esc(value)}</strong></li>`).join('');

    // Only the leader knows how every other member is doing; elsewhere the health says where to look.
    const states = Array.isArray(raft.members) ? new Map(raft.members.map(state => [state.id, state])) : null;
    const leader = members.members.find(member => member.isLeader);
    if (states) {
      note.textContent = '';
    } else {
      note.innerHTML = leader && leader.clientUrls.length
        ? `Replication states are known on the leader; <a href="${esc(leader.clientUrls[0])}/ui/#/cluster">open the console on ${esc(leader.name)}</a>.`
        : esc(typeof raft.members === 'string' ? `Replication states are ${raft.members}.` : 'There is no leader now.');
    }
    tbody.innerHTML = members.members.map(member => {
      const isSelf = member.id === status.memberId;
      const state = states?.get(member.id);
      const role = member.isLeader ? '<span class="leader-mark">★ leader</span>'
        : member.isLearner ? 'learner' : (member.status === 'unstarted' ? 'unstarted' : 'follower');
      let stateText = '';
      let reachable = '';
      let lag = '';
      if (isSelf) {
        stateText = `this member (${esc(raft.role || '')})`;
        reachable = 'yes';
      } else if (state) {
        stateText = `<span class="state-${esc(state.state)}">${esc(state.state)}</span>`;
        lag = esc(state.lagEntries);
        reachable = state.state === 'unreachable'
          ? `<span class="state-unreachable">no${state.unreachableForMillis !== undefined ? `, for ${esc(duration(state.unreachableForMillis))}` : ''}</span>`
          : 'yes';
      } else if (states) {
        stateText = 'not replicating';
      } else {
        stateText = '<span class="muted">known on the leader</span>';
      }
      return `<tr data-member="${esc(member.name || member.id)}" class="${member.isLeader ? 'leader' : ''}">`
        + `<th scope="row">${esc(member.name || '(unstarted)')}</th><td>${role}</td><td class="state">${stateText}</td>`
        + `<td>${lag}</td><td class="reachable">${reachable}</td><td class="mono">${esc(member.clientUrls.join(', '))}</td>`
        + `<td class="mono">${esc(member.id)}</td></tr>`;
    }).join('');
    const leaderName = leader?.name || null;
    if (lastLeader !== undefined && leaderName !== lastLeader) {
      live.textContent = leaderName ? `Leadership moved to ${leaderName}.` : 'The cluster has no leader.';
    }
    lastLeader = leaderName;
    if (self === undefined && members.members.length) {
      note.textContent = 'This member is not in the member list it holds (removed?).';
    }
  }

  async function poll() {
    try {
      const [status, members, health] = await Promise.all([
        api('GET', '/v1/status', { signal }),
        api('GET', '/v1/members', { signal }),
        // A member that is not UP answers its health with 503, and the document still says why.
        api('GET', '/actuator/health/raft', { signal, accept: [503] }),
      ]);
      if (failing) {
        clearProblem();
        failing = false;
      }
      render(status, members, health);
    } catch (failure) {
      if (signal.aborted) return;
      failing = true;
      showProblem(failure);
      if (failure.status === 401) return; // the token prompt is up; it restarts the view
    }
    if (!signal.aborted) {
      timer = setTimeout(poll, POLL_MILLIS);
    }
  }
  let timer = null;
  poll();
  return () => clearTimeout(timer);
}

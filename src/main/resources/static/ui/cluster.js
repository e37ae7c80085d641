// Cluster: every member with its role, term, indexes, lag and reachability, the leader marked. There is no
// watch of the cluster's own state, so this view alone polls: once a second, two small documents from the
// member serving the page. GET /v1/status/members is every member's own status, which that member asks
// each of them for over the peer port (a browser cannot ask another member: another origin); the raft
// health contributor adds this member's health and, on the leader, how it replicates to each member.
import { api } from './api.js';
import { esc } from './dom.js';

const POLL_MILLIS = 1000;

export function mount(main, params, { signal, showProblem, clearProblem }) {
  main.innerHTML = `
    <h1 tabindex="-1">Cluster</h1>
    <ul class="summary" aria-label="This member" id="cluster-summary"><li>Loading…</li></ul>
    <p id="cluster-note" class="muted"></p>
    <div class="scroll"><table id="members-table">
      <caption class="muted">Members, each as it reports itself to the member serving this page (refreshed every second)</caption>
      <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Term</th><th scope="col">Commit</th>
        <th scope="col">Applied</th><th scope="col">Revision</th><th scope="col">Lag</th><th scope="col">Reachable</th>
        <th scope="col">Replication</th><th scope="col">Client URLs</th><th scope="col">ID</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <p class="hint">Commit and applied: the last Raft index the member knows committed, and has applied. Lag: entries it has
      still to apply of what the leader knows committed. Reachable: whether it answers the member serving this page, over
      the peer port. Replication: how the leader sees it (replicating, lagging, unreachable), known on the leader.</p>
    <p class="live" aria-live="polite" id="cluster-live"></p>`;
  const summary = main.querySelector('#cluster-summary');
  const note = main.querySelector('#cluster-note');
  const tbody = main.querySelector('tbody');
  const live = main.querySelector('#cluster-live');
  let lastLeader;
  let failing = false;

  function render(cluster, health) {
    const raft = health.details || {};
    const members = cluster.members;
    const self = members.find(member => member.memberId === cluster.askedBy);
    const own = self?.status;
    // The leader is the member that says it leads; after a partition a deposed one may still say so for a
    // moment, in an older term.
    const leader = members.filter(member => member.status?.role === 'leader')
      .sort((a, b) => b.status.raftTerm - a.status.raftTerm)[0];
    summary.innerHTML = [
      ['Serving this page', `${self?.name ?? cluster.askedBy} (${raft.role || own?.role || 'unknown role'})`],
      ['Health', health.status + (raft.reason ? `: ${raft.reason}` : '') + (raft.failure ? `: ${raft.failure}` : '')],
      ['Leader', raft.leader?.name || leader?.name || 'none'],
      ['Term', own?.raftTerm ?? raft.term ?? ''],
      ['Commit index', own?.commitIndex ?? raft.commitIndex ?? ''],
      ['Applied index', own?.appliedIndex ?? raft.appliedIndex ?? ''],
      ['Revision', own?.revision ?? cluster.revision],
    ].map(([label, value]) => `<li>${esc(label)}: <strong>${esc(value)}</strong></li>`).join('');

    // Only the leader knows how it replicates to every other member; elsewhere the health says where to look.
    const states = Array.isArray(raft.members) ? new Map(raft.members.map(state => [state.id, state])) : null;
    if (states) {
      note.textContent = '';
    } else {
      note.innerHTML = leader && leader.clientUrls.length
        ? `Replication states are known on the leader; <a href="${esc(leader.clientUrls[0])}/ui/#/cluster">open the console on ${esc(leader.name)}</a>.`
        : esc(typeof raft.members === 'string' ? `Replication states are ${raft.members}.` : 'There is no leader now.');
    }
    const leaderCommit = leader?.status.commitIndex;
    tbody.innerHTML = members.map(member => {
      const status = member.status;
      const state = states?.get(member.memberId);
      const role = !status ? (member.isLearner ? 'learner' : !member.name ? 'unstarted' : '<span class="muted">unknown</span>')
        : member === leader ? '<span class="leader-mark">★ leader</span>'
        : status.role === 'leader' ? `leader (term ${esc(status.raftTerm)}, deposed)` : esc(status.role);
      // Entries this member has still to apply of what the leader knows committed; without its status, on the
      // leader, the entries the leader has still to send it.
      const lag = status && leaderCommit !== undefined ? Math.max(0, leaderCommit - status.appliedIndex)
        : state ? state.lagEntries : '';
      const reachable = member.reachable
        ? `yes${member.error ? ` <span class="state-lagging">(${esc(member.error)})</span>` : ''}`
        : `<span class="state-unreachable">no${member.error ? ` (${esc(member.error)})` : ''}</span>`;
      let replication;
      if (member === self) {
        replication = 'this member';
      } else if (state) {
        replication = `<span class="state-${esc(state.state)}">${esc(state.state)}</span>`;
      } else if (states) {
        replication = 'not replicating';
      } else {
        replication = '<span class="muted">known on the leader</span>';
      }
      return `<tr data-member="${esc(member.name || member.memberId)}" class="${member === leader ? 'leader' : ''}">`
        + `<th scope="row">${esc(member.name || '(unstarted)')}</th><td class="role">${role}</td>`
        + `<td class="term">${esc(status?.raftTerm)}</td><td class="commit">${esc(status?.commitIndex)}</td>`
        + `<td class="applied">${esc(status?.appliedIndex)}</td><td class="revision">${esc(status?.revision)}</td>`
        + `<td class="lag">${esc(lag)}</td><td class="reachable">${reachable}</td><td class="state">${replication}</td>`
        + `<td class="mono">${esc(member.clientUrls.join(', '))}</td><td class="mono">${esc(member.memberId)}</td></tr>`;
    }).join('');
    const leaderName = leader?.name || null;
    if (lastLeader !== undefined && leaderName !== lastLeader) {
      live.textContent = leaderName ? `Leadership moved to ${leaderName}.` : 'The cluster has no leader.';
    }
    lastLeader = leaderName;
    if (self === undefined && members.length) {
      note.textContent = 'This member is not in the member list it holds (removed?).';
    }
  }

  async function poll() {
    try {
      const [cluster, health] = await Promise.all([
        api('GET', '/v1/status/members', { signal }),
        // A member that is not UP answers its health with 503, and the document still says why.
        api('GET', '/actuator/health/raft', { signal, accept: [503] }),
      ]);
      if (failing) {
        clearProblem();
        failing = false;
      }
      render(cluster, health);
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

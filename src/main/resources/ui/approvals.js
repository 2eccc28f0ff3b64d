import { get, post, ApiError } from './api.js';
import { h, replace, badge, since, time, definitions } from './dom.js';

// The queue follows the server's event stream; if the stream cannot open (too many, or a proxy
// that buffers), it polls every 2 s instead.
export async function showApprovals(main, focusId) {
  const pending = h('div', { id: 'pending' });
  const history = h('div', { id: 'history' });
  const status = h('span', { className: 'live', id: 'live' });
  replace(main, h('h1', {}, 'Approvals ', status), pending, h('h2', {}, 'Decided recently'), history);

  // Arrived from a webhook's link: that request is marked, and brought into view once.
  let scrolled = false;
  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    try {
      const [open, decided] = await Promise.all([get('/api/v1/approvals'), get('/api/v1/approvals?status=decided')]);
      renderPending(pending, open.approvals, refresh, focusId);
      const focused = pending.querySelector('.approval.focused');
      if (focused && !scrolled) {
        scrolled = true;
        focused.scrollIntoView();
      }
      renderHistory(history, decided.approvals.slice(0, 50));
    } catch (error) {
      replace(pending, h('p', { className: 'error' }, error.message));
    } finally {
      refreshing = false;
      if (again) { again = false; refresh(); }
    }
  }

  let poll = null;
  const events = new EventSource('/api/v1/approvals/events');
  // Whatever changed between the first load and the stream's start was not announced on it: load again.
  events.addEventListener('hello', () => { status.textContent = '● live'; refresh(); });
  events.addEventListener('approval', () => refresh());
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED && !poll) {
      status.textContent = 'polling';
      poll = setInterval(refresh, 2000);
    }
  };
  // Waiting times tick even when nothing changes.
  const clock = setInterval(() => {
    for (const cell of pending.querySelectorAll('[data-since]')) cell.textContent = since(cell.dataset.since);
  }, 1000);
  await refresh();
  return () => { events.close(); clearInterval(clock); if (poll) clearInterval(poll); };
}

function renderPending(container, approvals, refresh, focusId) {
  if (approvals.length === 0) {
    replace(container, h('p', { className: 'muted', id: 'queue-empty' }, 'Nothing is waiting for approval.'));
    return;
  }
  // The queue is redrawn whenever any request changes: keep what approvers were typing, and where.
  const typed = new Map();
  for (const box of container.querySelectorAll('.approval textarea.reason')) {
    typed.set(box.closest('.approval').dataset.id, { value: box.value, active: document.activeElement === box });
  }
  const cards = approvals.map((approval) => approvalCard(approval, refresh, approval.id === focusId));
  replace(container, cards);
  for (const card of cards) {
    const kept = typed.get(card.dataset.id);
    const box = card.querySelector('textarea.reason');
    if (kept && box) {
      box.value = kept.value;
      if (kept.active) box.focus();
    }
  }
}

function approvalCard(approval, refresh, focused) {
  const reason = h('textarea', { rows: 2, placeholder: 'Reason (required to deny; recorded with your decision)', className: 'reason' });
  const message = h('p', { className: 'error' });
  async function decide(verb) {
    try {
      await post('/api/v1/approvals/' + encodeURIComponent(approval.id) + '/' + verb,
        { reason: reason.value, binding: approval.binding });
      refresh();
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : String(error);
    }
  }
  const parameters = approval.parameters && approval.parameters.length
    ? h('pre', { className: 'parameters' }, approval.parameters.map((p, i) => '$' + (i + 1) + ' = ' + formatParameter(p)).join('\n'))
    : null;
  return h('div', { className: 'card approval' + (focused ? ' focused' : ''), 'data-id': approval.id },
    h('div', { className: 'row' }, badge(approval.status), h('strong', {}, approval.requester), ' on ',
      h('strong', {}, approval.target), h('span', { className: 'muted' }, 'waiting ',
        h('span', { 'data-since': approval.requested_at }, since(approval.requested_at)))),
    h('pre', { className: 'statement' }, approval.statement),
    parameters,
    definitions([
      ['Groups', (approval.requester_groups || []).join(', ')],
      ['Rule', approval.rule],
      ['Why held', approval.reason],
      ['Intent', approval.intent],
      ['Estimated rows', approval.estimated_rows],
      ['Approvals missing', approval.approvals_missing],
      ['Expires', time(approval.expires_at)],
      ['Session', h('a', { href: '#/sessions/' + encodeURIComponent(approval.session_id) }, approval.session_id)],
      ['Request', approval.id],
    ]),
    approval.you_may_decide
      ? h('div', {}, reason, h('div', { className: 'row' },
        h('button', { className: 'approve', onclick: () => decide('approve') }, 'Approve'),
        h('button', { className: 'deny', onclick: () => decide('deny') }, 'Deny')), message)
      // The server says why (it would refuse the decision with the same words); the buttons are not offered.
      : h('p', { className: 'muted not-yours' }, 'You cannot decide this request: ' + (approval.why_you_may_not || 'not an approver') + '.'));
}

function formatParameter(parameter) {
  if (parameter === null || parameter === undefined) return 'NULL';
  if (typeof parameter === 'object') return parameter.value === null ? 'NULL' : String(parameter.value);
  return String(parameter);
}

function renderHistory(container, approvals) {
  if (approvals.length === 0) {
    replace(container, h('p', { className: 'muted' }, 'No decisions yet.'));
    return;
  }
  replace(container, h('table', { id: 'decided' },
    h('tr', {}, ['Decided', 'Status', 'Requester', 'Target', 'Statement', 'By', 'Reason'].map((title) => h('th', {}, title))),
    approvals.map((approval) => h('tr', { 'data-id': approval.id },
      h('td', {}, time(approval.decided_at)),
      h('td', {}, badge(approval.status)),
      h('td', {}, approval.requester),
      h('td', {}, approval.target),
      h('td', { className: 'sql' }, approval.statement.length > 120 ? approval.statement.slice(0, 117) + '…' : approval.statement),
      h('td', {}, approval.votes.map((vote) => vote.approver).join(', ')),
      h('td', {}, approval.outcome_reason || '')))));
}

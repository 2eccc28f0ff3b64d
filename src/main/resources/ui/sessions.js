import { get } from './api.js';
import { h, replace, badge, time, definitions } from './dom.js';

// The filters go to the API as they are; times typed in the browser's zone are sent in UTC.
export async function showSessions(main) {
  const identity = h('input', { name: 'identity', placeholder: 'identity' });
  const target = h('input', { name: 'target', placeholder: 'target' });
  const status = h('select', { name: 'status' },
    h('option', { value: '' }, 'any status'), h('option', { value: 'active' }, 'active'),
    h('option', { value: 'ended' }, 'ended'));
  const since = h('input', { name: 'since', type: 'datetime-local', title: 'open at or after' });
  const until = h('input', { name: 'until', type: 'datetime-local', title: 'open before' });
  const denials = h('input', { name: 'has_denials', type: 'checkbox' });
  const list = h('div', { id: 'session-list' });
  async function load() {
    const query = new URLSearchParams();
    if (identity.value) query.set('identity', identity.value);
    if (target.value) query.set('target', target.value);
    if (status.value) query.set('status', status.value);
    if (since.value) query.set('since', new Date(since.value).toISOString());
    if (until.value) query.set('until', new Date(until.value).toISOString());
    if (denials.checked) query.set('has_denials', 'true');
    try {
      const result = await get('/api/v1/sessions?' + query.toString());
      renderList(list, result.sessions);
    } catch (error) {
      replace(list, h('p', { className: 'error' }, error.message));
    }
  }
  const form = h('form', { className: 'row', id: 'session-filters', onsubmit: (event) => { event.preventDefault(); load(); } },
    identity, target, status, h('label', {}, 'from ', since), h('label', {}, 'to ', until),
    h('label', {}, denials, ' with refusals'), h('button', { type: 'submit' }, 'Filter'));
  replace(main, h('h1', {}, 'Sessions'), form, list);
  await load();
}

function renderList(container, sessions) {
  if (sessions.length === 0) {
    replace(container, h('p', { className: 'muted' }, 'No sessions match.'));
    return;
  }
  replace(container, h('table', {},
    h('tr', {}, ['Started', 'Identity', 'Target', 'Client', 'Statements', 'Refused', 'Status'].map((t) => h('th', {}, t))),
    sessions.map((session) => h('tr', {
      className: 'clickable', 'data-id': session.id,
      onclick: () => { window.location.hash = '#/sessions/' + encodeURIComponent(session.id); },
    },
    h('td', {}, time(session.started_at)), h('td', {}, session.identity), h('td', {}, session.target),
    h('td', {}, session.client_address || ''), h('td', {}, session.statements), h('td', {}, session.refused),
    h('td', {}, badge(session.status))))));
}

// Plays a session back record by record, as it happened; an active session is followed by asking
// every 2 s for the records after the last one shown.
export async function showSession(main, id) {
  const summary = await get('/api/v1/sessions/' + encodeURIComponent(id));
  const steps = h('div', { id: 'steps' });
  const live = h('span', { className: 'live' });
  let shown = 0;
  const all = [];
  const next = h('button', { id: 'next-step', onclick: () => reveal(1) }, 'Next step');
  const showAll = h('button', { id: 'show-all', onclick: () => reveal(all.length) }, 'Show all');
  let player = null;
  const play = h('button', { id: 'play', onclick: () => {
    if (player) { clearInterval(player); player = null; play.textContent = 'Play'; return; }
    play.textContent = 'Pause';
    player = setInterval(() => { if (shown >= all.length) { clearInterval(player); player = null; play.textContent = 'Play'; } else reveal(1); }, 700);
  } }, 'Play');
  function reveal(count) {
    shown = Math.min(all.length, shown + count);
    all.forEach((element, index) => { element.hidden = index >= shown; });
  }
  replace(main,
    h('p', {}, h('a', { href: '#/sessions' }, '← Sessions')),
    h('h1', {}, 'Session ', h('code', {}, summary.id), ' ', live),
    h('div', { className: 'card' }, definitions([
      ['Identity', summary.identity], ['Target', summary.target], ['Client', summary.client_address],
      ['Application', summary.application_name], ['Login', summary.auth_method], ['Started', time(summary.started_at)],
      ['Ended', summary.ended_at ? time(summary.ended_at) + (summary.end_reason ? ' (' + summary.end_reason + ')' : '') : 'still active'],
      ['Statements', summary.statements + (summary.refused ? ' (' + summary.refused + ' refused)' : '')],
    ])),
    h('div', { className: 'row' }, play, next, showAll,
      // A plain link: the browser downloads with the same cookie or Basic credentials as the page.
      h('a', { id: 'export', className: 'button', href: '/api/v1/sessions/' + encodeURIComponent(id) + '/export',
        download: 'warden-session-' + id + '.jsonl' }, 'Export (JSON lines)')),
    steps);

  let after = 0;
  let active = summary.status === 'active';
  async function fetchMore() {
    for (;;) {
      const page = await get('/api/v1/sessions/' + encodeURIComponent(id) + '/records?after=' + after + '&limit=500');
      for (const record of page.records) {
        const element = renderRecord(record);
        if (record.kind === 'session_end') active = false;
        all.push(element);
        steps.append(element);
      }
      after = page.next_after;
      if (!page.more) break;
    }
  }
  await fetchMore();
  reveal(all.length);
  let follow = null;
  if (active) {
    live.textContent = '● following';
    follow = setInterval(async () => {
      const before = all.length;
      const wasAll = shown === before;
      await fetchMore();
      if (wasAll) reveal(all.length - before);
      if (!active) { clearInterval(follow); live.textContent = ''; }
    }, 2000);
  }
  return () => { if (follow) clearInterval(follow); if (player) clearInterval(player); };
}

function renderRecord(record) {
  const body = record.body || {};
  const at = h('span', { className: 'muted' }, time(record.at) + ' · #' + record.seq + ' ');
  switch (record.kind) {
    case 'session_start':
      return h('div', { className: 'step', 'data-kind': record.kind }, at, 'Connected as ', h('strong', {}, body.identity),
        ' (' + body.auth_method + (body.groups && body.groups.length ? '; groups ' + body.groups.join(', ') : '') + ') to ',
        h('strong', {}, body.target), ' from ' + body.client_address);
    case 'statement': {
      const decision = body.decision || {};
      const parameters = (body.parameters || []).map((p, i) => '$' + (i + 1) + ' = ' + (p.value === null ? 'NULL' : p.value));
      return h('div', { className: 'step statement', 'data-kind': record.kind }, at, badge(decision.outcome || 'unknown'),
        ' rule ', h('code', {}, decision.rule || ''), decision.reason ? ' — ' + decision.reason : '',
        h('pre', { className: 'statement' }, body.text),
        parameters.length ? h('pre', { className: 'parameters' }, parameters.join('\n')) : null,
        body.intent ? h('p', { className: 'muted' }, 'Intent: ' + body.intent) : null);
    }
    case 'approval':
      return h('div', { className: 'step approval', 'data-kind': record.kind }, at, 'Approval ', h('code', {}, body.approval_id), ' ',
        badge(body.event), body.actor ? ' by ' + body.actor : '', body.comment ? ' — “' + body.comment + '”' : '');
    case 'result':
      return h('div', { className: 'step', 'data-kind': record.kind }, at, resultTable(body));
    case 'completion':
      return body.error
        ? h('div', { className: 'step error', 'data-kind': record.kind }, at, h('span', { className: 'error' },
          'Error ' + body.error.sqlstate + ': ' + body.error.message))
        : h('div', { className: 'step', 'data-kind': record.kind }, at, 'Completed ', h('code', {}, body.command_tag || ''),
          body.duration_micros !== undefined ? ' in ' + (body.duration_micros / 1000).toFixed(1) + ' ms' : '');
    case 'session_end':
      return h('div', { className: 'step', 'data-kind': record.kind }, at, 'Session ended' + (body.reason ? ': ' + body.reason : ''));
    case 'checkpoint':
      return h('div', { className: 'step muted', 'data-kind': record.kind }, at, 'Signed checkpoint up to #' + body.upto_seq);
    default:
      return h('div', { className: 'step', 'data-kind': record.kind }, at, record.kind);
  }
}

function resultTable(body) {
  const columns = body.columns || [];
  return h('div', {},
    h('table', { className: 'result' },
      h('tr', {}, columns.map((column) => h('th', {}, column.name))),
      (body.rows || []).map((row) => h('tr', {}, row.map((value) => h('td', {}, value === null ? 'NULL' : value))))),
    h('p', { className: 'muted' }, body.row_count + ' row(s)' + (body.truncated ? ', recording truncated' : '')));
}

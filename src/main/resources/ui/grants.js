import { get, post, hasRole, currentUser } from './api.js';
import { h, replace, time } from './dom.js';

export async function showGrants(main) {
  const list = h('div', { id: 'grant-list' });
  const message = h('p', { className: 'error' });
  const all = h('input', { type: 'checkbox', name: 'all' });
  async function load() {
    try {
      const result = await get('/api/v1/grants' + (all.checked ? '?all=true' : ''));
      renderList(list, result.grants, load, message);
    } catch (error) {
      replace(list, h('p', { className: 'error' }, error.message));
    }
  }
  all.addEventListener('change', load);
  const mayGrant = hasRole('admin') || hasRole('approver');
  const fields = {
    identity: h('input', { name: 'identity', placeholder: 'identity (or group)' }),
    group: h('input', { name: 'group', placeholder: 'group' }),
    target: h('input', { name: 'target', placeholder: 'target' }),
    rule: h('input', { name: 'rule', placeholder: 'require_approval rule' }),
    duration: h('input', { name: 'duration', placeholder: '30m, 2h, 1d' }),
    reason: h('input', { name: 'reason', placeholder: 'reason' }),
  };
  const form = mayGrant ? h('form', { id: 'grant-form', className: 'card', onsubmit: async (event) => {
    event.preventDefault();
    const body = {};
    for (const [name, input] of Object.entries(fields)) if (input.value) body[name] = input.value;
    try {
      await post('/api/v1/grants', body);
      message.textContent = '';
      load();
    } catch (error) {
      message.textContent = error.message;
    }
  } }, h('div', { className: 'row' }, Object.values(fields)), h('button', { className: 'primary', type: 'submit' }, 'Grant')) : null;
  replace(main, h('h1', {}, 'Grants'),
    h('p', { className: 'muted' }, 'A grant lets an identity or group run what a require_approval rule holds, without asking, until it expires. '
      + 'You cannot grant yourself (' + currentUser().identity + ').'),
    form, message, h('label', { className: 'row' }, all, 'include expired and revoked'), list);
  await load();
}

function renderList(container, grants, reload, message) {
  if (grants.length === 0) {
    replace(container, h('p', { className: 'muted' }, 'No grants in effect.'));
    return;
  }
  const mayRevoke = hasRole('admin') || hasRole('approver');
  replace(container, h('table', {},
    h('tr', {}, ['Who', 'Target', 'Rule', 'Reason', 'By', 'Expires', ''].map((t) => h('th', {}, t))),
    grants.map((grant) => h('tr', { 'data-id': grant.id },
      h('td', {}, grant.identity || ('group ' + grant.group)), h('td', {}, grant.target), h('td', {}, grant.rule),
      h('td', {}, grant.reason), h('td', {}, grant.created_by), h('td', {}, time(grant.expires_at)),
      h('td', {}, grant.revoked_at ? 'revoked by ' + grant.revoked_by
        : mayRevoke ? h('button', { className: 'revoke', onclick: async () => {
          try { await post('/api/v1/grants/' + encodeURIComponent(grant.id) + '/revoke', {}); reload(); } catch (error) { message.textContent = error.message; }
        } }, 'Revoke') : '')))));
}

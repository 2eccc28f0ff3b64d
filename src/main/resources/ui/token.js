import { get, post, currentUser, hasRole } from './api.js';
import { h, replace, time } from './dom.js';

// A person's own database password for a working session: read-only, the person's groups, hours not days.
export function showToken(main) {
  const targets = h('input', { name: 'targets', placeholder: 'target(s), comma-separated' });
  const ttl = h('input', { name: 'ttl', placeholder: '8h (at most 12h)', value: '8h' });
  const message = h('p', { className: 'error' });
  const result = h('div', { id: 'token-result' });
  const form = h('form', { id: 'token-form', className: 'card', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const token = await post('/api/v1/me/token', {
        targets: targets.value.split(',').map((t) => t.trim()).filter(Boolean), ttl: ttl.value || '8h' });
      message.textContent = '';
      replace(result, h('div', { className: 'card' },
        h('p', {}, 'Your database password (shown only this once), valid until ' + time(token.expires_at) + ':'),
        h('pre', { className: 'statement', id: 'token-value' }, token.token),
        h('p', { className: 'muted' }, 'Connect with:'),
        h('pre', { className: 'statement' }, 'PGPASSWORD=\'' + token.token + '\' psql "host=<warden host> port=6432 dbname='
          + token.targets[0] + ' user=' + token.name + ' sslmode=require"')));
    } catch (error) {
      message.textContent = error.message;
    }
  } }, h('div', { className: 'row' }, targets, ttl), h('button', { className: 'primary', type: 'submit' }, 'Get a password'));
  replace(main, h('h1', {}, 'Database access'),
    h('p', { className: 'muted' }, 'A short-lived, read-only database password for ' + currentUser().identity
      + ', with your groups. Statements you run are decided and recorded as yours.'),
    form, message, result);
  if (hasRole('admin')) {
    return showServiceTokens(main);
  }
}

// Administrators also see every stored service token: create (the token shown once), list, revoke.
export async function showServiceTokens(main) {
  const list = h('div', { id: 'token-list' });
  const message = h('p', { className: 'error' });
  const created = h('div', { id: 'service-token-result' });
  const fields = {
    name: h('input', { name: 'name', placeholder: 'name (the PostgreSQL user)' }),
    targets: h('input', { name: 'targets', placeholder: 'target(s), comma-separated' }),
    ttl: h('input', { name: 'ttl', placeholder: '24h, 30d (at most 365d)' }),
    groups: h('input', { name: 'groups', placeholder: 'groups, comma-separated' }),
  };
  const access = h('select', { name: 'access' }, h('option', { value: 'read_only' }, 'read only'),
    h('option', { value: 'read_write' }, 'read write'));
  const split = (text) => text.split(',').map((t) => t.trim()).filter(Boolean);
  async function load() {
    try {
      const result = await get('/api/v1/tokens');
      replace(list, result.tokens.length === 0 ? h('p', { className: 'muted' }, 'No service tokens.') : h('table', {},
        h('tr', {}, ['Name', 'Targets', 'Groups', 'Access', 'Expires', 'Status', ''].map((t) => h('th', {}, t))),
        result.tokens.map((token) => h('tr', { 'data-id': token.id },
          h('td', {}, token.name), h('td', {}, token.targets.join(', ')), h('td', {}, token.groups.join(', ')),
          h('td', {}, token.access), h('td', {}, time(token.expires_at)),
          h('td', {}, token.revoked_at ? 'revoked' : token.usable ? 'usable' : 'expired'),
          h('td', {}, token.usable ? h('button', { className: 'revoke', onclick: async () => {
            try { await post('/api/v1/tokens/' + encodeURIComponent(token.id) + '/revoke', {}); load(); } catch (error) { message.textContent = error.message; }
          } }, 'Revoke') : '')))));
    } catch (error) {
      replace(list, h('p', { className: 'error' }, error.message));
    }
  }
  const form = h('form', { id: 'service-token-form', className: 'card', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const token = await post('/api/v1/tokens', { name: fields.name.value, targets: split(fields.targets.value),
        groups: split(fields.groups.value), ttl: fields.ttl.value || undefined, access: access.value });
      message.textContent = '';
      replace(created, h('div', { className: 'card' },
        h('p', {}, 'Service token for ' + token.name + ' (shown only this once):'),
        h('pre', { className: 'statement', id: 'service-token-value' }, token.token)));
      load();
    } catch (error) {
      message.textContent = error.message;
    }
  } }, h('div', { className: 'row' }, Object.values(fields), access), h('button', { className: 'primary', type: 'submit' }, 'Create token'));
  main.append(h('h2', {}, 'Service tokens'), form, message, created, list);
  await load();
}

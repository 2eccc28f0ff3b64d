import { post, currentUser } from './api.js';
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
}

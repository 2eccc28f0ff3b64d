import { whoAmI, post, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { showApprovals } from './approvals.js';
import { showSessions, showSession } from './sessions.js';
import { showPolicy } from './policy.js';
import { showGrants } from './grants.js';
import { showToken } from './token.js';

const main = document.getElementById('main');
// Each page returns a function that stops its timers and streams when the user leaves it.
let leavePage = () => {};

async function start() {
  let me;
  try {
    me = await whoAmI();
  } catch (error) {
    replace(main, h('p', { className: 'error' }, 'Not logged in: ' + error.message));
    return;
  }
  if (!me.authenticated) {
    replace(main, h('div', { className: 'card' },
      h('h1', {}, 'Log in to Warden'),
      h('p', { className: 'muted' }, 'Approvers, auditors and administrators log in with the organisation\'s identity provider.'),
      h('div', { className: 'row' }, loginButtons(me))));
    return;
  }
  const who = document.getElementById('who');
  replace(who, me.identity + ' · ' + me.roles.join(', '),
    me.login !== 'basic' ? h('button', { id: 'logout', onclick: logout }, 'Log out') : null);
  window.addEventListener('hashchange', route);
  route();
}

// One button per way of logging in the gateway offers (OIDC, SAML, or both); each is a plain link,
// since logging in is a top-level navigation to the identity provider.
function loginButtons(me) {
  const methods = Array.isArray(me.login_methods) ? me.login_methods : [{ method: 'oidc', url: me.login_url }];
  const labels = { oidc: 'Log in', saml: 'Log in with SAML' };
  const ids = { oidc: 'login', saml: 'login-saml' };
  return methods.filter((m) => labels[m.method]).map((m, index) => h('a', { href: m.url, id: ids[m.method] },
    h('button', { className: index === 0 ? 'primary' : '' }, labels[m.method])));
}

async function logout() {
  try {
    await post('/logout', {});
  } finally {
    window.location.assign('/ui/');
  }
}

function route() {
  leavePage();
  leavePage = () => {};
  const path = (window.location.hash || '#/approvals').slice(1);
  const parts = path.split('/').filter(Boolean);
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.page === parts[0]);
  }
  const show = {
    approvals: () => showApprovals(main, parts[1]),
    sessions: () => (parts[1] ? showSession(main, decodeURIComponent(parts[1])) : showSessions(main)),
    policy: () => showPolicy(main),
    grants: () => showGrants(main),
    token: () => showToken(main),
  }[parts[0]];
  if (!show) {
    window.location.hash = '#/approvals';
    return;
  }
  Promise.resolve(show()).then((leave) => {
    if (typeof leave === 'function') leavePage = leave;
  }).catch((error) => {
    replace(main, h('p', { className: 'error' }, error instanceof ApiError ? error.message : String(error)));
  });
}

start();

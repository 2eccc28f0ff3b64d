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
      h('a', { href: me.login_url, id: 'login' }, h('button', { className: 'primary' }, 'Log in'))));
    return;
  }
  const who = document.getElementById('who');
  replace(who, me.identity + ' · ' + me.roles.join(', '),
    me.login === 'oidc' ? h('button', { id: 'logout', onclick: logout }, 'Log out') : null);
  window.addEventListener('hashchange', route);
  route();
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

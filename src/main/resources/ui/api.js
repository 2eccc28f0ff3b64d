// Every call goes to the same origin with the browser's credentials (the session cookie, or Basic
// credentials the browser asked for). State-changing calls carry the session's CSRF token.
let me = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function whoAmI() {
  const response = await fetch('/api/v1/me', { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, (await errorOf(response)));
  me = await response.json();
  return me;
}

export function currentUser() {
  return me;
}

export function hasRole(role) {
  return !!me && Array.isArray(me.roles) && me.roles.includes(role);
}

export async function get(path) {
  return call('GET', path);
}

export async function post(path, body) {
  return call('POST', path, body);
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && me && me.csrf_token) headers['X-Warden-CSRF'] = me.csrf_token;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, await errorOf(response));
  return response.json();
}

async function errorOf(response) {
  try {
    const body = await response.json();
    return body.error || response.statusText;
  } catch (e) {
    return response.statusText || ('HTTP ' + response.status);
  }
}

// The public HTTP API, as the pages call it: every request carries the bearer token kept in
// sessionStorage (gone when the tab closes), and a 401 opens the sign-in box, then retries once signed in.

const TOKEN_KEY = 'timeline.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  renderWho();
}

/** An API error with the problem details the server sent (RFC 9457), for a banner. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    const title = problem?.title ?? `HTTP ${status}`;
    const detail = problem?.detail ? `: ${problem.detail}` : '';
    super(`${title}${detail} (${path})`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * GET or POST a JSON route; answers the parsed JSON. `headers` adds request headers (e.g. If-Match).
 * A 401 waits for a token, then tries again.
 */
export async function api(path, { method = 'GET', body, headers: extra } = {}) {
  for (;;) {
    const headers = { Accept: 'application/json', ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) {
      await signIn(t ? 'That token was not accepted (it may have expired). Paste a valid one.' : null);
      continue;
    }
    const text = await response.text();
    const json = text ? safeJson(text) : null;
    if (!response.ok) throw new ApiError(response.status, json, path);
    return json;
  }
}

let asked = null; // { token, answer } of the last GET /api/me

/** The signed-in user (GET /api/me: name and roles), asked once per token however many of the page's modules need it. */
export function me() {
  const t = token();
  if (asked?.token !== t) {
    const answer = api('api/me');
    asked = { token: t, answer };
    answer.catch(() => { if (asked?.answer === answer) asked = null; }); // a failure is not kept: the next caller asks again
  }
  return asked.answer;
}

function safeJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Runs tasks with at most `limit` in flight (a cohort of tens of timelines, without a burst). */
export async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---- the sign-in box: one at a time, shared by every request that met a 401 ----

let pending = null;

function signIn(message) {
  if (!pending) {
    pending = new Promise((resolve) => {
      const box = signInBox();
      box.querySelector('.err').textContent = message ?? '';
      box.hidden = false;
      const input = box.querySelector('input');
      input.value = '';
      input.focus();
      box.querySelector('form').onsubmit = (e) => {
        e.preventDefault();
        const value = input.value.trim().replace(/^Bearer\s+/i, '');
        if (!value) { box.querySelector('.err').textContent = 'Paste the token first.'; return; }
        sessionStorage.setItem(TOKEN_KEY, value);
        box.hidden = true;
        pending = null;
        renderWho();
        resolve();
      };
    });
  }
  return pending;
}

function signInBox() {
  let box = document.getElementById('signin');
  if (box) return box;
  box = document.createElement('div');
  box.id = 'signin';
  box.hidden = true;
  box.innerHTML = `
    <form role="dialog" aria-modal="true" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <p>This server asks for an access token. Paste the token you were given
         (<code>users add NAME --role ROLE</code> prints one). It is kept only for this browser tab.</p>
      <label for="signin-token" class="sr-only">Access token</label>
      <input id="signin-token" name="token" type="password" autocomplete="off" spellcheck="false" placeholder="access token">
      <div class="err" role="alert"></div>
      <div class="row"><button type="submit" class="primary" id="signin-submit">Sign in</button></div>
    </form>`;
  document.body.append(box);
  return box;
}

/** The header's "signed in" note (with the name and roles from /api/me) and sign-out button. */
export function renderWho() {
  const who = document.querySelector('header.site .who');
  if (!who) return;
  who.querySelector('.signed')?.remove();
  const t = token();
  if (!t) return;
  const span = document.createElement('span');
  span.className = 'signed';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = 'signed in';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Sign out';
  button.onclick = () => { signOut(); location.reload(); };
  span.append(name, ' ', button);
  who.append(span);
  // Plain fetch: a refused token is the page's own calls' business (they open the sign-in box).
  fetch('api/me', { headers: { Accept: 'application/json', Authorization: `Bearer ${t}` } })
    .then((r) => (r.ok ? r.json() : null))
    .then((me) => { if (me?.name) name.textContent = `signed in as ${me.name} (${(me.roles ?? []).join(', ')})`; })
    .catch(() => {});
}

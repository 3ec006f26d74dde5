// The patient page's review actions: data queries (an auditor raises, closes and re-opens; a recorder answers),
// the lock (an administrator locks and unlocks, with a reason) and the e-signature (an investigator signs with
// a meaning and the token typed again, 21 CFR 11.200). Each control is shown only to the roles whose route the
// access policy allows (an administrator passes every rule), and none at a past "as of": review acts on the
// record as it stands. The page (patient.js) calls renderReviewActions after every redraw; after an accepted
// action this module reloads the page's data and says what happened in the status region #review-done.

import { api, ApiError, token } from './api.js';

/** Which roles may call which review route (AccessPolicy.cs; admin passes every rule). */
const MAY = {
  raise: ['auditor', 'admin'],
  close: ['auditor', 'admin'],
  reopen: ['auditor', 'admin'],
  answer: ['recorder', 'admin'],
  lock: ['admin'],
  sign: ['investigator', 'admin'],
};

let roles = [];
let reload = async () => {};
let ids = 0;

/** The signed-in user's roles (GET /api/me) and how to reload the page's data after an accepted action. */
export function initReviewActions(me, reloadPage) {
  roles = me?.roles ?? [];
  reload = reloadPage;
}

const may = (action) => roles.some((r) => MAY[action].includes(r));

/**
 * Draws the controls for the record the page now shows: `view` is { timeline, events, queries, asOf }, or null
 * when no record is shown. Queries are null when the role does not see the worklist.
 */
export function renderReviewActions(view) {
  const forms = document.getElementById('review-forms');
  const note = document.getElementById('review-note');
  if (!forms || !note) return;
  forms.replaceChildren();
  if (!view) { note.textContent = ''; return; }
  const { timeline: t, events, queries, asOf } = view;
  const any = Object.keys(MAY).some(may);
  note.textContent = !any
    ? 'Your role takes no review action: auditors raise, close and re-open data queries, recorders answer them, '
      + 'administrators lock and unlock a record, investigators sign it.'
    : asOf ? 'Review actions are off while the page shows a past time: press "Now" first.'
      : '';
  if (!any || asOf) return;

  if (may('raise')) forms.append(raiseForm(t.patientId, null, 'Raise a query on the patient'));
  if (may('lock')) forms.append(lockForm(t));
  if (may('sign')) forms.append(signForm(t));
  if (queries) for (const q of queries) decorateQuery(q);
  if (may('raise')) decorateHistory(t.patientId, events ?? []);
}

// ---- the forms ----

/** A small form: legend, a place for a form-wide refusal, the fields, the submit button (and more buttons). */
function shell(title, fields, action, key) {
  const form = document.createElement('form');
  form.className = 'fact-form review-form';
  form.noValidate = true; // the API's refusal names the field, shown beside it
  form.dataset.review = key;
  const fieldset = document.createElement('fieldset');
  const legend = document.createElement('legend');
  legend.textContent = title;
  const top = document.createElement('div');
  top.className = 'form-top';
  fieldset.append(legend, top, ...fields.map(control));
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'primary';
  submit.textContent = action;
  const row = document.createElement('div');
  row.className = 'form-row';
  row.append(submit);
  fieldset.append(row);
  form.append(fieldset);
  return form;
}

/** One labelled control: { name, label, kind: 'text' | 'textarea' | 'password' | 'select', options, required }. */
function control({ name, label: text, kind = 'text', options, required = true }) {
  const id = `ra-${++ids}`;
  const wrap = document.createElement('div');
  wrap.className = 'form-field';
  wrap.dataset.field = name;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text;
  if (!required) {
    const small = document.createElement('span');
    small.className = 'muted-inline';
    small.textContent = ' (optional)';
    label.append(small);
  }
  let input;
  if (kind === 'select') {
    input = document.createElement('select');
    for (const [value, shown] of options) input.append(new Option(shown, value));
  } else if (kind === 'textarea') {
    input = document.createElement('textarea');
    input.rows = 2;
  } else {
    input = document.createElement('input');
    input.type = kind;
    if (kind === 'password') {
      input.autocomplete = 'off'; // a signature's secret is typed each time, never filled in by the browser
      input.spellcheck = false;
    }
  }
  input.id = id;
  input.name = name;
  if (required) input.setAttribute('aria-required', 'true');
  wrap.append(label, input);
  return wrap;
}

/** "Raise a query" on the patient (eventId null) or on one fact. */
function raiseForm(patientId, fact, title) {
  const form = shell(title, [{ name: 'text', label: 'Question to the site', kind: 'textarea' }], 'Raise the query',
    fact ? `raise-${fact.eventId}` : 'raise-patient');
  submitting(form, async () => {
    const answer = await api(`api/patients/${encodeURIComponent(patientId)}/queries`,
      { method: 'POST', body: { eventId: fact?.eventId ?? null, text: form.elements.text.value.trim() } });
    return `Query raised on ${fact ? `entry #${fact.version}` : 'the patient'} (${answer?.queryId ?? 'new query'}): it is open.`;
  });
  return form;
}

/** "Lock" (with a required reason) when the record is open; "Unlock" (with a reason) when it is locked. */
function lockForm(t) {
  const locking = !t.locked;
  const form = shell(locking ? 'Lock the record' : 'Unlock the record',
    [{ name: 'reason', label: locking ? 'Reason for locking' : 'Reason for unlocking' }],
    locking ? 'Lock' : 'Unlock', locking ? 'lock' : 'unlock');
  submitting(form, async () => {
    const answer = await api(`api/patients/${encodeURIComponent(t.patientId)}/${locking ? 'lock' : 'unlock'}`,
      { method: 'POST', body: { reason: form.elements.reason.value.trim() } });
    return locking
      ? `Record locked (entry #${answer?.version ?? '?'}): no fact or correction can be recorded until it is unlocked.`
      : `Record unlocked (entry #${answer?.version ?? '?'}): facts and corrections may be recorded again.`;
  });
  return form;
}

/**
 * "Sign": the meaning and the signer's own token typed again, sent with If-Match on the version shown, so the
 * signature covers exactly the record the investigator read. The secret is cleared after every attempt.
 */
function signForm(t) {
  const form = shell(`Sign the record as it stands (entry #${t.version})`, [
    { name: 'meaning', label: 'Meaning of the signature', kind: 'select', options: [['', '— choose —'], ['reviewed', 'reviewed'], ['approved', 'approved']] },
    { name: 'secret', label: 'Your access token, re-entered to sign', kind: 'password' },
  ], 'Sign', 'sign');
  const hint = document.createElement('p');
  hint.className = 'note';
  hint.id = `ra-${++ids}`;
  hint.textContent = 'A signature binds your name to this record: type your own token again (21 CFR 11.200).';
  form.elements.secret.setAttribute('aria-describedby', hint.id);
  form.elements.secret.dataset.hint = hint.id;
  form.querySelector('.form-row').before(hint);
  submitting(form, async () => {
    const meaning = form.elements.meaning.value;
    const secret = form.elements.secret.value;
    form.elements.secret.value = '';
    const answer = await signRequest(t.patientId, { meaning: meaning || null, secret }, t.version);
    return `Signed (${meaning}) as entry #${answer?.version ?? '?'}, covering the record up to entry #${t.version}.`;
  });
  return form;
}

/**
 * The signature's own request: its 401 is the refused re-authentication, to show beside the secret, not the
 * page's sign-in box that api() opens on a 401.
 */
async function signRequest(patientId, body, version) {
  const path = `api/patients/${encodeURIComponent(patientId)}/signatures`;
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json', 'If-Match': `"${version}"` };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json, path);
  return json;
}

/** The controls of one query in the list: Answer (recorder), Close and Re-open (auditor), by its state. */
function decorateQuery(q) {
  const item = document.querySelector(`#queries li[data-query-id="${CSS.escape(q.id)}"]`);
  if (!item) return;
  const box = document.createElement('div');
  box.className = 'query-actions';
  const path = `api/queries/${encodeURIComponent(q.id)}`;
  if (q.status === 'open' && may('answer')) {
    const form = shell('Answer this query', [{ name: 'text', label: 'Answer', kind: 'textarea' }], 'Answer', `answer-${q.id}`);
    submitting(form, async () => {
      await api(`${path}/answer`, { method: 'POST', body: { text: form.elements.text.value.trim() } });
      return 'Answer recorded: the query is answered, for the auditor to close or re-open.';
    });
    box.append(form);
  }
  if ((q.status === 'open' || q.status === 'answered') && may('close')) {
    const form = shell('Close this query', [], 'Close', `close-${q.id}`);
    submitting(form, async () => {
      await api(`${path}/close`, { method: 'POST' });
      return 'Query closed.';
    });
    box.append(form);
  }
  if ((q.status === 'answered' || q.status === 'closed') && may('reopen')) {
    const form = shell('Re-open this query', [{ name: 'text', label: 'Why it is re-opened', kind: 'textarea', required: false }],
      'Re-open', `reopen-${q.id}`);
    submitting(form, async () => {
      const text = form.elements.text.value.trim();
      await api(`${path}/reopen`, { method: 'POST', body: { text: text || null } });
      return 'Query re-opened: it is open again.';
    });
    box.append(form);
  }
  if (box.childElementCount > 0) item.append(box);
}

/** "Raise a query" on each fact row of the audit history (not a lock, an unlock or a signature): a form opens under it. */
function decorateHistory(patientId, events) {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  for (const row of document.querySelectorAll('#history tbody tr[data-event-id]')) {
    const fact = byId.get(row.dataset.eventId);
    if (!fact || row.classList.contains('is-review')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'raise-query';
    button.dataset.review = 'raise';
    button.textContent = 'Raise a query';
    button.setAttribute('aria-label', `Raise a query on entry #${fact.version}`);
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', () => openRaise(row, button, patientId, fact));
    const cell = row.cells[row.cells.length - 1];
    cell.append(document.createElement('br'), button);
  }
}

function closeRaise() {
  const open = document.querySelector('#history tr.query-form-row');
  if (!open) return;
  document.querySelector(`#history button.raise-query[aria-controls="${open.id}"]`)?.setAttribute('aria-expanded', 'false');
  open.remove();
}

function openRaise(row, button, patientId, fact) {
  const already = button.getAttribute('aria-expanded') === 'true';
  closeRaise();
  if (already) return;
  const form = raiseForm(patientId, fact, `Raise a query on entry #${fact.version}`);
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = 'Cancel';
  cancel.addEventListener('click', () => { closeRaise(); button.focus(); });
  form.querySelector('.form-row').append(cancel);
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { closeRaise(); button.focus(); } });
  const tr = document.createElement('tr');
  tr.className = 'query-form-row';
  tr.id = `ra-${++ids}`;
  const td = document.createElement('td');
  td.colSpan = row.cells.length;
  td.append(form);
  tr.append(td);
  row.after(tr);
  button.setAttribute('aria-controls', tr.id);
  button.setAttribute('aria-expanded', 'true');
  form.elements.text.focus();
}

// ---- sending, refusals, the announcement ----

/** Wires a form's submit: `act` sends the request and answers what to announce once the page has reloaded. */
function submitting(form, act) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const done = document.getElementById('review-done');
    done.textContent = '';
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    let message;
    try {
      message = await act();
    } catch (error) {
      submit.disabled = false;
      showRefusal(form, error);
      return;
    }
    await reload();
    done.textContent = message;
    done.focus(); // the form that was used is redrawn: a keyboard user goes on from the announcement
  });
}

function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error, .form-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    if (el.dataset.hint) el.setAttribute('aria-describedby', el.dataset.hint); else el.removeAttribute('aria-describedby');
  }
}

/** The API's problem details beside the field they name (role="alert"), or atop the form. */
function showRefusal(form, error) {
  const problem = error instanceof ApiError ? error.problem : null;
  if (error instanceof ApiError && error.status === 412) {
    // Someone recorded since the page drew: a signature must cover what its signer read, so read it again first.
    const box = topError(form, 'The record has changed since this page showed it: reload it and read it again before signing. ');
    const again = document.createElement('button');
    again.type = 'button';
    again.textContent = 'Reload the record';
    again.addEventListener('click', () => reload());
    box.append(again);
    again.focus();
    return;
  }
  const named = Object.entries(problem?.errors ?? {});
  if (problem?.field && named.length === 0) named.push([problem.field, [problem.detail ?? problem.title]]);
  let placed = false;
  for (const [field, messages] of named) {
    const input = [...form.elements].find((el) => el.name && el.name.toLowerCase() === field.toLowerCase());
    if (!input) continue;
    const message = document.createElement('p');
    message.className = 'field-error';
    message.id = `${input.id}-error`;
    message.setAttribute('role', 'alert');
    message.textContent = [problem.title && problem.errors ? null : problem.title, ...[messages].flat()].filter(Boolean).join(' ');
    input.closest('.form-field').append(message);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [message.id, input.dataset.hint].filter(Boolean).join(' '));
    if (!placed) input.focus();
    placed = true;
  }
  if (!placed) {
    topError(form, problem ? `${problem.title ?? 'Refused.'}${problem.detail ? ` ${problem.detail}` : ''}` : error.message);
    form.querySelector('button[type=submit]')?.focus();
  }
}

function topError(form, text) {
  const box = document.createElement('div');
  box.className = 'form-error';
  box.setAttribute('role', 'alert');
  box.textContent = text;
  form.querySelector('.form-top').append(box);
  return box;
}

// "Record a fact": one form per recording route, built from the app's own OpenAPI document (each route's
// request body schema: the fields, their types, the enumerations' values). The document leaves out which
// fields are optional (every property of a request record is listed as required): that is added here by hand.

import { api, ApiError } from './api.js';
import { SHARED_MEMBERS, missingControl, addMissing, showMissing, controlFor, offerOverride } from './missing-values.js';

/** The recording routes, in the order a patient's record grows; each form's data-fact is the suffix. */
const FACTS = [
  ['diagnosis', 'Diagnosis'],
  ['treatment-lines', 'Start a treatment line'],
  ['treatment-lines/{line}/end', 'End a treatment line'],
  ['responses', 'Response (RECIST)'],
  ['progressions', 'Progression'],
  ['relapses', 'Relapse'],
  ['adverse-events', 'Adverse event'],
  ['follow-ups', 'Follow-up (last known alive)'],
  ['death', 'Death'],
];

/** What the OpenAPI schemas lack: the optional fields, per route (README "API in brief"). */
const OPTIONAL = {
  diagnosis: ['primarySite', 'metastatic'],
  'treatment-lines': ['regimen'],
  'adverse-events': ['line'],
  death: ['cause'],
};

/** The enrolment's fields a correction may change: the patient id names the stream and stays. */
const ENROLMENT_CORRECTABLE = ['birthDate', 'sex'];

/** Field labels a person reads; anything else is the JSON name split into words. */
const LABELS = {
  date: 'Date', startDate: 'Start date', line: 'Line', histology: 'Histology (name or ICD-O-3 code)',
  primarySite: 'Primary site', metastatic: 'Metastatic', regimen: 'Regimen', agents: 'Agents (comma-separated)',
  reason: 'Reason', category: 'Category', term: 'Term', grade: 'Grade (1–5)', cause: 'Cause',
  patientId: 'Patient id (pseudonymous study id)', birthDate: 'Birth date', sex: 'Sex',
};

/** A fact's kind (the history's data.kind) → the route that records it, whose form also corrects it. */
export const SUFFIX_OF_KIND = {
  enrolment: 'patients',
  diagnosis: 'diagnosis',
  'treatment-line': 'treatment-lines',
  'treatment-line-end': 'treatment-lines/{line}/end',
  response: 'responses',
  progression: 'progressions',
  relapse: 'relapses',
  'adverse-event': 'adverse-events',
  'follow-up': 'follow-ups',
  death: 'death',
};

let context = { patientId: '', version: null, asOf: '', blocked: '' };
let reload = async () => {};
let built = null;
/** Each route's fields (from the OpenAPI document), kept for the correction forms. */
const fieldsOf = new Map();
const titleOf = new Map();

/**
 * Builds the forms into `container` (once) and remembers how to reload the page's data.
 * `reloadPage` redraws the timeline and calls setRecordingContext with the new version.
 */
export async function initRecordingForms(container, reloadPage) {
  reload = reloadPage;
  if (!built) built = build(container);
  await built;
}

/**
 * The patient and the version the page shows; the forms record against exactly that version.
 * `blocked` says why nothing may be recorded (the user's role, a lock), or is empty.
 */
export function setRecordingContext(patientId, version, asOf, blocked = '') {
  context = { patientId, version, asOf, blocked };
  const note = document.getElementById('record-note');
  const disabled = !patientId || !!asOf || !!blocked;
  for (const fieldset of document.querySelectorAll('#record fieldset.fact')) fieldset.disabled = disabled;
  if (note) {
    note.textContent = !patientId ? 'Choose a patient first.'
      : blocked ? `Recording is off: ${blocked}`
      : asOf ? 'Recording is off while the page shows a past time: press "Now" first.'
        : `Each form records against version ${version} of ${patientId}, the one shown above; if someone records meanwhile you are asked to reload.`;
  }
}

/** The OpenAPI document, fetched once per page. */
let openApi = null;
export function openApiDocument() {
  openApi ??= api('openapi/v1.json');
  return openApi;
}

/**
 * The fields of a POST route's JSON body, from the OpenAPI document: name, kind (date, enum, integer, array…),
 * the enumeration's values, and whether it is optional (from `optional`, since the document lists every field as
 * required). Null when the document has no such route.
 */
export function schemaFields(doc, path, optional = []) {
  const schemas = doc.components?.schemas ?? {};
  const deref = (s) => (s?.$ref ? schemas[s.$ref.split('/').pop()] ?? {} : s ?? {});
  const ref = doc.paths?.[path]?.post?.requestBody?.content?.['application/json']?.schema;
  if (!ref) return null;
  const schema = deref(ref);
  // "missing" and "override" are every fact body's, not fields: js/missing-values.js builds their controls.
  return Object.entries(schema.properties ?? {}).filter(([name]) => !SHARED_MEMBERS.includes(name)).map(([name, property]) => {
    // A nullable property is either { type: [null, t] } or { oneOf: [{ type: null }, { $ref }] }.
    const alternative = (property.oneOf ?? property.anyOf ?? []).find((a) => a.type !== 'null');
    const resolved = deref(alternative ?? property);
    const types = [resolved.type ?? []].flat().filter((t) => t !== 'null');
    const values = resolved.enum;
    return {
      name,
      kind: values ? 'enum' : resolved.format === 'date' ? 'date' : types[0] ?? 'string',
      values,
      optional: optional.includes(name),
    };
  });
}

async function build(container) {
  const doc = await openApiDocument();
  const forms = [];
  for (const [suffix, title] of FACTS) {
    const fields = schemaFields(doc, `/api/patients/{patientId}/${suffix}`, OPTIONAL[suffix]);
    if (!fields) continue;
    fieldsOf.set(suffix, fields);
    titleOf.set(suffix, title);
    forms.push(formFor(suffix, title, fields));
  }
  // The enrolment is recorded on the cohort page (js/new-patient.js); here its form only corrects it.
  const enrolment = schemaFields(doc, '/api/patients');
  if (enrolment) {
    fieldsOf.set('patients', enrolment.filter((f) => ENROLMENT_CORRECTABLE.includes(f.name)));
    titleOf.set('patients', 'Enrolment');
  }
  container.replaceChildren(...forms);
}

let ids = 0;

function formFor(suffix, title, fields) {
  const form = shell(title, fields, 'Record');
  form.dataset.fact = suffix;
  form.querySelector('fieldset').classList.add('fact');
  form.addEventListener('submit', (e) => { e.preventDefault(); record(form, suffix, fields); });
  return form;
}

/** A form: legend, a place for a form-wide refusal, one control per field, the submit button and a status line. */
export function shell(title, fields, action) {
  const form = document.createElement('form');
  form.className = 'fact-form';
  form.noValidate = true; // the API's refusal names the field; the browser's own bubbles would hide it
  const fieldset = document.createElement('fieldset');
  const legend = document.createElement('legend');
  legend.textContent = title;
  const top = document.createElement('div');
  top.className = 'form-top';
  fieldset.append(legend, top);
  for (const field of fields) fieldset.append(control(field));
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'primary';
  submit.textContent = action;
  const done = document.createElement('span');
  done.className = 'form-done';
  done.setAttribute('role', 'status');
  done.tabIndex = -1; // focus lands here after a success, so a keyboard user hears it and goes on from the form
  const row = document.createElement('div');
  row.className = 'form-row';
  row.append(submit, done);
  fieldset.append(row);
  form.append(fieldset);
  return form;
}

/** What a form control shows for a stored value (the history's data), the reverse of bodyOf. */
function shown(value, kind) {
  if (value === null || value === undefined) return '';
  if (kind === 'array') return [value].flat().join(', ');
  return String(value);
}

/**
 * The form that corrects (mode 'correct': the recording route's form, prefilled with the fact's current values,
 * plus the reason) or retracts (mode 'retract': the reason only) the fact `eventId` of kind `kind`.
 * `onDone(answer)` runs after the API accepted it. Answers null when no form records that kind.
 */
export function changeForm(mode, eventId, kind, current, onDone) {
  const suffix = SUFFIX_OF_KIND[kind];
  const fields = mode === 'correct' ? fieldsOf.get(suffix) : [];
  if (!fields) return null;
  const reasonField = { name: 'correction-reason', kind: 'string', optional: false, label: 'Reason for change' };
  const title = mode === 'correct' ? `Correct: ${titleOf.get(suffix)}` : 'Retract this fact';
  const form = shell(title, [...fields, reasonField], mode === 'correct' ? 'Record the correction' : 'Retract');
  form.classList.add('change-form');
  form.dataset.change = mode;
  form.dataset.target = eventId;
  for (const field of fields) form.elements[field.name].value = shown(current?.[field.name], field.kind);
  showMissing(form, current?.missing);
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'cancel';
  cancel.textContent = 'Cancel';
  cancel.addEventListener('click', () => form.dispatchEvent(new CustomEvent('change-cancel', { bubbles: true })));
  form.querySelector('.form-done').before(cancel);
  // The API names the replacement's fields "replacement.<name>" and the correction's reason "reason".
  let sent = null;
  const inputFor = (field) => {
    const name = field.toLowerCase() === 'reason' ? 'correction-reason' : field.replace(/^replacement\./i, '');
    return controlFor(form, field, sent) ?? [...form.elements].find((el) => el.name && el.name.toLowerCase() === name.toLowerCase());
  };
  const send = async (extra) => {
    clearErrors(form);
    const { patientId, version } = context;
    if (!patientId || version === null) return;
    const body = { eventId, reason: form.elements['correction-reason'].value.trim() };
    if (mode === 'correct') body.replacement = sent = { ...bodyOf(form, fields), ...extra };
    else body.retract = true;
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const answer = await api(`api/patients/${encodeURIComponent(patientId)}/corrections`,
        { method: 'POST', body, headers: { 'If-Match': `"${version}"` } });
      await onDone(answer);
    } catch (error) {
      showRefusal(form, error, send, inputFor);
    } finally {
      submit.disabled = false;
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); send(); });
  return form;
}

function control({ name, kind, values, optional, label: text }) {
  const id = `rf-${++ids}`;
  const wrap = document.createElement('div');
  wrap.className = 'form-field';
  wrap.dataset.field = name;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text ?? LABELS[name] ?? name.replace(/([A-Z])/g, ' $1').toLowerCase();
  if (optional) {
    const small = document.createElement('span');
    small.className = 'muted-inline';
    small.textContent = ' (optional)';
    label.append(small);
  }
  const because = optional ? missingControl(name, text ?? LABELS[name] ?? name, `${id}-missing`) : null;
  let input;
  if (kind === 'enum' || kind === 'boolean') {
    input = document.createElement('select');
    const options = kind === 'boolean' ? [['', '—'], ['true', 'yes'], ['false', 'no']]
      : [['', '—'], ...values.map((v) => [v, v])];
    for (const [value, text] of options) input.append(new Option(text, value));
  } else {
    input = document.createElement('input');
    input.type = kind === 'date' ? 'date' : kind === 'integer' || kind === 'number' ? 'number' : 'text';
    if (kind === 'integer') input.step = '1';
    if (kind === 'array') input.placeholder = 'e.g. pazopanib, ifosfamide';
  }
  input.id = id;
  input.name = name;
  input.dataset.kind = kind;
  if (!optional) input.setAttribute('aria-required', 'true');
  wrap.append(label, input);
  if (because) wrap.append(because);
  return wrap;
}

/** The API body from the form: empty controls left out, numbers as numbers, agents as an array. */
export function bodyOf(form, fields) {
  const body = {};
  for (const { name, kind } of fields) {
    const raw = form.elements[name].value.trim();
    if (raw === '') continue;
    if (kind === 'integer' || kind === 'number') body[name] = Number(raw);
    else if (kind === 'boolean') body[name] = raw === 'true';
    else if (kind === 'array') body[name] = raw.split(',').map((a) => a.trim()).filter((a) => a !== '');
    else body[name] = raw;
  }
  return addMissing(form, body);
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error, .form-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
  form.querySelector('.form-done').textContent = '';
}

async function record(form, suffix, fields, extra) {
  clearErrors(form);
  const { patientId, version } = context;
  if (!patientId || version === null) return;
  const body = { ...bodyOf(form, fields), ...extra };
  const path = suffix.replace('{line}', encodeURIComponent(body.line ?? '_'));
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    const answer = await api(`api/patients/${encodeURIComponent(patientId)}/${path}`,
      { method: 'POST', body, headers: { 'If-Match': `"${version}"` } });
    form.reset();
    await reload();
    const done = form.querySelector('.form-done');
    done.textContent = `Recorded as entry #${answer?.version ?? '?'}.`;
    done.focus();
  } catch (error) {
    const inputFor = (field) => controlFor(form, field, body) ?? [...form.elements].find((el) => el.name && el.name.toLowerCase() === field.toLowerCase());
    showRefusal(form, error, (more) => record(form, suffix, fields, more), inputFor);
  } finally {
    submit.disabled = false;
  }
}

/**
 * Shows a refusal: each problem-details message beside the control it names (role="alert"), else at the top of the
 * form; a 412 offers "Reload and retry". Focus moves to the first message, so a keyboard or screen-reader user
 * lands on what to fix (the control is the one just before it: Shift+Tab).
 */
export function showRefusal(form, error, again, inputFor) {
  if (error instanceof ApiError && error.status === 412) {
    const box = topError(form, 'Someone recorded meanwhile: the record has changed since this page showed it. ');
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'retry';
    retry.textContent = 'Reload and retry';
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      await reload();
      await again();
    });
    box.append(retry);
    retry.focus();
    // What changed meanwhile, above the button, once known (the history where the role may read it). Loaded only
    // here: the cohort page, which builds its new-patient form with this module, never needs it.
    const { patientId, version } = context;
    if (patientId && version !== null) {
      import('./what-changed.js')
        .then((m) => m.whatChanged(patientId, version, error.problem?.currentVersion))
        .then((list) => { if (retry.isConnected) retry.before(list); })
        .catch(() => {});
    }
    return;
  }
  const problem = error instanceof ApiError ? error.problem : null;
  let placed = false;
  const named = Object.entries(problem?.errors ?? {});
  if (problem?.field && named.length === 0) named.push([problem.field, [problem.detail ?? problem.title]]);
  for (const [field, messages] of named) {
    const input = inputFor(field);
    if (!input) continue;
    const message = document.createElement('p');
    message.className = 'field-error';
    message.id = `${input.id}-error`;
    message.setAttribute('role', 'alert');
    message.tabIndex = -1;
    message.textContent = [messages].flat().join(' ');
    (input.closest('.form-field') ?? input.parentElement).append(message);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', message.id);
    if (!placed) message.focus();
    placed = true;
  }
  if (!placed) {
    topError(form, problem ? `${problem.title ?? 'Refused'}${problem.detail ? ` ${problem.detail}` : ''}` : error.message).focus();
  }
  if (problem?.overridable) offerOverride(form, problem, again);
}

function topError(form, text) {
  const box = document.createElement('div');
  box.className = 'form-error';
  box.setAttribute('role', 'alert');
  box.tabIndex = -1;
  box.textContent = text;
  form.querySelector('.form-top').append(box);
  return box;
}

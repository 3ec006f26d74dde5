// "Record a fact": one form per recording route, built from the app's own OpenAPI document (each route's
// request body schema: the fields, their types, the enumerations' values). The document leaves out which
// fields are optional (every property of a request record is listed as required): that is added here by hand.

import { api, ApiError } from './api.js';

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

/** Field labels a person reads; anything else is the JSON name split into words. */
const LABELS = {
  date: 'Date', startDate: 'Start date', line: 'Line', histology: 'Histology (name or ICD-O-3 code)',
  primarySite: 'Primary site', metastatic: 'Metastatic', regimen: 'Regimen', agents: 'Agents (comma-separated)',
  reason: 'Reason', category: 'Category', term: 'Term', grade: 'Grade (1–5)', cause: 'Cause',
};

let context = { patientId: '', version: null, asOf: '' };
let reload = async () => {};
let built = null;

/**
 * Builds the forms into `container` (once) and remembers how to reload the page's data.
 * `reloadPage` redraws the timeline and calls setRecordingContext with the new version.
 */
export async function initRecordingForms(container, reloadPage) {
  reload = reloadPage;
  if (!built) built = build(container);
  await built;
}

/** The patient and the version the page shows; the forms record against exactly that version. */
export function setRecordingContext(patientId, version, asOf) {
  context = { patientId, version, asOf };
  const note = document.getElementById('record-note');
  const disabled = !patientId || !!asOf;
  for (const fieldset of document.querySelectorAll('#record fieldset.fact')) fieldset.disabled = disabled;
  if (note) {
    note.textContent = !patientId ? 'Choose a patient first.'
      : asOf ? 'Recording is off while the page shows a past time: press "Now" first.'
        : `Each form records against version ${version} of ${patientId}, the one shown above; if someone records meanwhile you are asked to reload.`;
  }
}

async function build(container) {
  const doc = await api('openapi/v1.json');
  const schemas = doc.components?.schemas ?? {};
  const deref = (s) => (s?.$ref ? schemas[s.$ref.split('/').pop()] ?? {} : s ?? {});
  const forms = [];
  for (const [suffix, title] of FACTS) {
    const operation = doc.paths?.[`/api/patients/{patientId}/${suffix}`]?.post;
    const ref = operation?.requestBody?.content?.['application/json']?.schema;
    if (!ref) continue;
    const schema = deref(ref);
    const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
      // A nullable property is either { type: [null, t] } or { oneOf: [{ type: null }, { $ref }] }.
      const alternative = (property.oneOf ?? property.anyOf ?? []).find((a) => a.type !== 'null');
      const resolved = deref(alternative ?? property);
      const types = [resolved.type ?? []].flat().filter((t) => t !== 'null');
      const values = resolved.enum;
      return {
        name,
        kind: values ? 'enum' : resolved.format === 'date' ? 'date' : types[0] ?? 'string',
        values,
        optional: (OPTIONAL[suffix] ?? []).includes(name),
      };
    });
    forms.push(formFor(suffix, title, fields));
  }
  container.replaceChildren(...forms);
}

let ids = 0;

function formFor(suffix, title, fields) {
  const form = document.createElement('form');
  form.className = 'fact-form';
  form.dataset.fact = suffix;
  form.noValidate = true; // the API's refusal names the field; the browser's own bubbles would hide it
  const fieldset = document.createElement('fieldset');
  fieldset.className = 'fact';
  const legend = document.createElement('legend');
  legend.textContent = title;
  const top = document.createElement('div');
  top.className = 'form-top';
  fieldset.append(legend, top);
  for (const field of fields) fieldset.append(control(field));
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'primary';
  submit.textContent = 'Record';
  const done = document.createElement('span');
  done.className = 'form-done';
  done.setAttribute('role', 'status');
  const row = document.createElement('div');
  row.className = 'form-row';
  row.append(submit, done);
  fieldset.append(row);
  form.append(fieldset);
  form.addEventListener('submit', (e) => { e.preventDefault(); record(form, suffix, fields); });
  return form;
}

function control({ name, kind, values, optional }) {
  const id = `rf-${++ids}`;
  const wrap = document.createElement('div');
  wrap.className = 'form-field';
  wrap.dataset.field = name;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = LABELS[name] ?? name.replace(/([A-Z])/g, ' $1').toLowerCase();
  if (optional) {
    const small = document.createElement('span');
    small.className = 'muted-inline';
    small.textContent = ' (optional)';
    label.append(small);
  }
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
  return wrap;
}

/** The API body from the form: empty controls left out, numbers as numbers, agents as an array. */
function bodyOf(form, fields) {
  const body = {};
  for (const { name, kind } of fields) {
    const raw = form.elements[name].value.trim();
    if (raw === '') continue;
    if (kind === 'integer' || kind === 'number') body[name] = Number(raw);
    else if (kind === 'boolean') body[name] = raw === 'true';
    else if (kind === 'array') body[name] = raw.split(',').map((a) => a.trim()).filter((a) => a !== '');
    else body[name] = raw;
  }
  return body;
}

function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error, .form-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
  form.querySelector('.form-done').textContent = '';
}

async function record(form, suffix, fields) {
  clearErrors(form);
  const { patientId, version } = context;
  if (!patientId || version === null) return;
  const body = bodyOf(form, fields);
  const path = suffix.replace('{line}', encodeURIComponent(body.line ?? '_'));
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    const answer = await api(`api/patients/${encodeURIComponent(patientId)}/${path}`,
      { method: 'POST', body, headers: { 'If-Match': `"${version}"` } });
    form.reset();
    await reload();
    form.querySelector('.form-done').textContent = `Recorded as entry #${answer?.version ?? '?'}.`;
  } catch (error) {
    showRefusal(form, error, suffix, fields);
  } finally {
    submit.disabled = false;
  }
}

function showRefusal(form, error, suffix, fields) {
  if (error instanceof ApiError && error.status === 412) {
    const box = topError(form, 'Someone recorded meanwhile: the record has changed since this page showed it. ');
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'retry';
    retry.textContent = 'Reload and retry';
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      await reload();
      await record(form, suffix, fields);
    });
    box.append(retry);
    retry.focus();
    return;
  }
  const problem = error instanceof ApiError ? error.problem : null;
  let placed = false;
  const named = Object.entries(problem?.errors ?? {});
  if (problem?.field && named.length === 0) named.push([problem.field, [problem.detail ?? problem.title]]);
  for (const [field, messages] of named) {
    const input = [...form.elements].find((el) => el.name && el.name.toLowerCase() === field.toLowerCase());
    if (!input) continue;
    const message = document.createElement('p');
    message.className = 'field-error';
    message.id = `${input.id}-error`;
    message.setAttribute('role', 'alert');
    message.textContent = [messages].flat().join(' ');
    input.closest('.form-field').append(message);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', message.id);
    if (!placed) input.focus();
    placed = true;
  }
  if (!placed) {
    topError(form, problem ? `${problem.title ?? 'Refused'}${problem.detail ? ` ${problem.detail}` : ''}` : error.message);
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

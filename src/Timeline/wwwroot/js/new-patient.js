// The cohort page's "New patient" form: POST /api/patients (patientId, birthDate, sex), built by the patient page's
// form builder (js/forms.js) from the OpenAPI schema of that route, so its controls are named after the API's fields.
// Shown only to a recorder or an administrator (GET /api/me). On 201 the new patient's page opens, to record the
// rest; a refusal (400, or 409 when the id exists) is shown beside the field it names and nothing is written.

import { api, me } from './api.js';
import { whenPageState } from './ui.js';
import { bodyOf, clearErrors, openApiDocument, schemaFields, shell, showRefusal } from './forms.js';

const section = document.getElementById('new-patient');

async function init() {
  // Once the cohort page has drawn (or failed): asking /api/me before that would, on a server that wants a token, add
  // one more unsigned call to the ones the sign-in box is already waiting for.
  await whenPageState((state) => state !== 'loading');
  const user = await me();
  if (!(user?.roles ?? []).some((r) => r === 'recorder' || r === 'admin')) return;
  const fields = schemaFields(await openApiDocument(), '/api/patients');
  if (!fields) return;
  const form = shell('Enrol a new patient', fields, 'Enrol');
  form.dataset.fact = 'patients';
  form.querySelector('[name=patientId]')?.setAttribute('autocomplete', 'off');
  form.addEventListener('submit', (e) => { e.preventDefault(); enrol(form, fields); });
  section.querySelector('.new-patient-form').replaceChildren(form);
  section.hidden = false;
}

async function enrol(form, fields) {
  clearErrors(form);
  const body = bodyOf(form, fields);
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    const answer = await api('api/patients', { method: 'POST', body });
    const id = answer?.patientId ?? body.patientId;
    const done = form.querySelector('.form-done');
    done.textContent = `Enrolled ${id}: opening the patient's page to record the rest…`;
    done.focus();
    location.assign(`patient.html?id=${encodeURIComponent(id)}`);
  } catch (error) {
    const inputFor = (field) => [...form.elements].find((el) => el.name && el.name.toLowerCase() === field.toLowerCase());
    showRefusal(form, error, () => enrol(form, fields), inputFor);
    submit.disabled = false;
  }
}

// The rest of the cohort page does not wait for this: a failure leaves the section hidden (the page's own calls
// report an unreachable API in the banner).
// section[data-decided] says the decision is made (shown or not), for whoever waits on the page.
if (section) init().catch(() => {}).finally(() => { section.dataset.decided = 'true'; });

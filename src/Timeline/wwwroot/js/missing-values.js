// Typed missing data and soft-check overrides on the recording and correction forms (js/forms.js).
// Next to each optional field, a "Missing because" select sends { field, reason } in the body's "missing" list,
// never a magic value in the field. When the API refuses a fact on a soft check (problem details with
// "overridable": true), the form offers "Record anyway" with a required reason and resends with "override".
// The server stays the judge: these controls only shape the request and show its answer.

/** The reasons the API accepts, with the CDISC null flavour each stands for. */
export const MISSING_REASONS = [
  ['unknown', 'Unknown (UNK)'],
  ['not-done', 'Not done (ND)'],
  ['not-applicable', 'Not applicable (NA)'],
  ['asked-not-known', 'Asked, not known (ASKU)'],
];

/** Members every fact body has that are not fields of their own: the forms build them here, not from the schema. */
export const SHARED_MEMBERS = ['missing', 'override'];

const selectName = (field) => `missing:${field}`;

/** The "Missing because" select for the optional field `field`, labelled with the field's own label. */
export function missingControl(field, fieldLabel, id) {
  const wrap = document.createElement('div');
  wrap.className = 'missing-because';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = 'Missing because';
  const which = document.createElement('span');
  which.className = 'sr-only';
  which.textContent = ` (${fieldLabel})`;
  label.append(which);
  const select = document.createElement('select');
  select.id = id;
  select.name = selectName(field);
  select.dataset.missingFor = field;
  for (const [value, text] of [['', '—'], ...MISSING_REASONS]) select.append(new Option(text, value));
  wrap.append(label, select);
  return wrap;
}

/** Adds `missing` to `body` from the form's selects (a list, in the order of the fields); nothing when none is chosen. */
export function addMissing(form, body) {
  const missing = [...form.querySelectorAll('select[data-missing-for]')]
    .filter((s) => s.value !== '')
    .map((s) => ({ field: s.dataset.missingFor, reason: s.value }));
  if (missing.length > 0) body.missing = missing;
  return body;
}

/** Sets the selects from a stored fact's `missing` (a correction form shows what is recorded). */
export function showMissing(form, missing) {
  for (const select of form.querySelectorAll('select[data-missing-for]')) {
    select.value = (missing ?? []).find((m) => m.field === select.dataset.missingFor)?.reason ?? '';
  }
}

/**
 * The control a refusal's key names, for keys about missing values and overrides: "missing.field",
 * "missing[1].reason" (the select of that entry's field, from the body sent) and "override.reason".
 */
export function controlFor(form, key, sent) {
  const name = key.replace(/^replacement\./i, '');
  if (/^override\./i.test(name)) return form.querySelector('.record-anyway input');
  const entry = /^missing(?:\[(\d+)\])?(?:\.|$)/i.exec(name);
  if (!entry) return null;
  const list = [sent?.missing ?? []].flat();
  const field = list[Number(entry[1] ?? 0)]?.field;
  return field ? form.querySelector(`select[data-missing-for="${CSS.escape(field)}"]`) : null;
}

/**
 * After a soft-check refusal (problem.overridable): "Record anyway" with a required reason, atop the form. Pressing
 * it calls `resend({ override: { rules, reason } })` with the rules the answer named.
 */
export function offerOverride(form, problem, resend) {
  const rules = (problem.softChecks ?? []).map((c) => c.rule);
  if (!problem.overridable || rules.length === 0) return;
  const box = document.createElement('div');
  box.className = 'record-anyway form-error';
  const id = `${form.querySelector('fieldset input, fieldset select')?.id ?? 'f'}-override`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = `Reason for recording anyway (${rules.join(', ')})`;
  const reason = document.createElement('input');
  reason.type = 'text';
  reason.id = id;
  reason.name = 'override-reason';
  reason.setAttribute('aria-required', 'true');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'record-anyway-button';
  button.textContent = 'Record anyway';
  const note = document.createElement('p');
  note.className = 'field-error';
  note.id = `${id}-error`;
  note.setAttribute('role', 'alert');
  note.hidden = true;
  button.addEventListener('click', async () => {
    // An early warning only: the API refuses an empty reason too.
    if (reason.value.trim() === '') {
      note.textContent = 'Give the reason for recording it anyway.';
      note.hidden = false;
      reason.setAttribute('aria-invalid', 'true');
      reason.setAttribute('aria-describedby', note.id);
      reason.focus();
      return;
    }
    button.disabled = true;
    try {
      await resend({ override: { rules, reason: reason.value.trim() } });
    } finally {
      button.disabled = false;
    }
  });
  box.append(label, reason, button, note);
  form.querySelector('.form-top').append(box);
}

/** What a stored fact adds to its one-line description: "; metastatic missing: Not done (ND); recorded anyway (response-late): …". */
export function missingAndOverrideText(d) {
  let text = '';
  for (const m of [d?.missing ?? []].flat()) {
    text += `; ${m.field} missing: ${Object.fromEntries(MISSING_REASONS)[m.reason] ?? m.reason}`;
  }
  if (d?.override) text += `; recorded anyway (${(d.override.rules ?? []).join(', ')}): ${d.override.reason}`;
  return text;
}

// The patient page's chooser, a page of the list at a time (GET /api/patients?limit=&after=, keyset by id):
// a cohort of 100,000 never loads at once; "more patients" adds the next page.

import { api, query } from './api.js';
import { showError } from './ui.js';

const PAGE = 500;

/** Fills the select with the first page, keeps `current` chosen (added when not on it); answers when done. */
export async function loadPatientOptions(select, current) {
  let last = null;
  const button = document.getElementById('patients-more') ?? moreButton(select);
  const label = (p) => `${p.patientId} (${p.histologyName ?? p.histology ?? 'no diagnosis'}, ${p.status})`;

  let first = true;
  async function page() {
    const keep = first ? current : select.value;
    first = false;
    const patients = await api(`api/patients${query({ limit: PAGE, after: last })}`);
    const currentOption = current ? [...select.options].find((o) => o.value === current && o.dataset.extra) : null;
    currentOption?.remove();
    select.append(...patients.map((p) => new Option(label(p), p.patientId)));
    last = patients.length ? patients[patients.length - 1].patientId : last;
    button.hidden = patients.length < PAGE;
    if (current && ![...select.options].some((o) => o.value === current)) {
      const extra = new Option(current, current);
      extra.dataset.extra = 'true';
      select.append(extra);
    }
    select.value = keep;
  }

  select.replaceChildren(new Option('— choose —', ''));
  button.onclick = () => { page().catch(showError); };
  await page();
}

function moreButton(select) {
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'patients-more';
  button.textContent = 'More patients';
  button.hidden = true;
  select.closest('label').after(button);
  return button;
}

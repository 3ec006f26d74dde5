// The cohort page's "Missing values" table: for each typed missing value (fact, field, reason) the number of
// patients it affects in each analysis, from the answers' own missingValues (the API counts; nothing is counted here).

import { MISSING_REASONS } from './missing-values.js';

const REASON_LABEL = Object.fromEntries(MISSING_REASONS);

/** The analyses whose answers carry missingValues, as the table's columns. */
const COLUMNS = [
  ['cohort', 'cohort'],
  ['os', 'OS (mtki and control groups)'],
  ['ttp', 'TTP / PFS (started an mTKI)'],
  ['response', 'response (started an mTKI)'],
];

/** Draws the table into `container` from the four answers { cohort, os, ttp, response }. */
export function renderMissingValues(container, answers) {
  if (!container) return;
  const rows = new Map();
  for (const [key] of COLUMNS) {
    for (const m of answers[key]?.missingValues ?? []) {
      const id = `${m.fact}\u0000${m.field}\u0000${m.reason}`;
      if (!rows.has(id)) rows.set(id, { ...m, counts: {} });
      rows.get(id).counts[key] = m.patients;
    }
  }
  const heading = document.createElement('h3');
  heading.id = 'missing-values-title';
  heading.textContent = 'Missing values';
  if (rows.size === 0) {
    const none = document.createElement('p');
    none.className = 'note';
    none.textContent = 'No value is recorded as missing for these patients.';
    container.replaceChildren(heading, none);
    return;
  }
  const table = document.createElement('table');
  table.className = 'missing-values-table';
  table.setAttribute('aria-labelledby', heading.id);
  const head = table.createTHead().insertRow();
  for (const text of ['fact', 'field', 'missing because', ...COLUMNS.map(([, label]) => `patients: ${label}`)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows.values()) {
    const tr = body.insertRow();
    tr.dataset.fact = row.fact;
    tr.dataset.field = row.field;
    tr.dataset.reason = row.reason;
    for (const text of [row.fact, row.field, REASON_LABEL[row.reason] ?? row.reason]) tr.insertCell().textContent = text;
    for (const [key] of COLUMNS) {
      const td = tr.insertCell();
      td.className = 'num';
      td.dataset.analysis = key;
      td.textContent = String(row.counts[key] ?? 0);
    }
  }
  container.replaceChildren(heading, table);
}

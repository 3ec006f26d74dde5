// The explain page: the patients behind one part of a figure (a curve step, a number at risk, a response count,
// a cohort tally), from /api/analyses/<figure>/patients with the figure's own filters, in a table shown a page at
// a time ("more"), each patient linked to the timeline with the events behind the value highlighted.

import { api, query, renderWho } from './api.js';
import { escapeHtml, fmt, showError, timestamp } from './ui.js';

const PAGE = 100;

/** Each figure: its route, the parameters it takes besides the filters, and whether its parts are times to events. */
const FIGURES = {
  'overall-survival': { title: 'Overall survival after the second-line relapse anchor', params: ['group', 'time', 'atRisk'], timed: true },
  'time-to-progression': { title: 'Time to progression from the first mTKI start', params: ['measure', 'time', 'atRisk'], timed: true },
  response: { title: 'Best overall response on the first mTKI line', params: ['category', 'drug'], timed: false },
  cohort: { title: 'Cohort', params: ['mtki', 'drug'], timed: false },
};
const FILTERS = ['histology', 'unit', 'asOf'];
const GROUP_NAMES = { mtki: 'the mTKI group', control: 'the control group', excluded: 'the patients excluded from the comparison' };
const MEASURE_NAMES = { ttp: 'time to progression (TTP)', pfs: 'progression-free survival (PFS)' };

const params = new URLSearchParams(location.search);
const figureName = params.get('figure') ?? '';
const figure = FIGURES[figureName];
const state = { answer: null, shown: 0 };

/** What part of which figure, in words. */
function describePart(part, unit) {
  const at = (t) => `${fmt(Number(t), 2)} ${unit}`;
  const time = part.time !== undefined ? `: the curve step at ${at(part.time)} (the patients whose time is exactly that: events and censorings)`
    : part.atRisk !== undefined ? `: the number at risk at ${at(part.atRisk)} (the patients whose time is at least that)` : '';
  switch (figureName) {
    case 'overall-survival': return `Overall survival, ${GROUP_NAMES[part.group] ?? 'the mTKI and control groups'}${time}`;
    case 'time-to-progression': return `${MEASURE_NAMES[part.measure] ?? MEASURE_NAMES.ttp} on the first mTKI line${time}`;
    case 'response': {
      const what = part.category === 'responders' ? 'responders (best overall response CR or PR)'
        : part.category ? `best overall response ${part.category}` : 'every patient who started an mTKI line (the denominator)';
      return `Best overall response: ${what}${part.drug ? `, first mTKI ${part.drug}` : ''}`;
    }
    case 'cohort': {
      const who = part.mtki === 'true' ? 'patients who started a multi-targeted kinase inhibitor'
        : part.mtki === 'false' ? 'patients who did not start an mTKI' : 'every patient';
      return `Cohort: ${who}${part.drug ? ` (first mTKI ${part.drug})` : ''}`;
    }
    default: return figureName;
  }
}

function columns(unit) {
  const cols = [
    { head: 'patient', cell: (p) => `<a href="${escapeHtml(p.timelineUrl)}">${escapeHtml(p.patientId)}</a>`, row: true },
    { head: 'histology', cell: (p) => escapeHtml(p.histologyName ?? p.histology ?? '—') },
    { head: 'group', cell: (p) => escapeHtml(p.group ?? '—') + (p.exclusionReason ? `<br><em>${escapeHtml(p.exclusionReason)}</em>` : '') },
  ];
  if (figure.timed) {
    cols.push(
      { head: `time (${unit})`, num: true, cell: (p) => (p.time === null ? '—' : escapeHtml(fmt(p.time, 2))) },
      { head: 'status', cell: (p) => (p.event === null ? '—' : p.event ? 'event' : 'censored') },
    );
  }
  cols.push(
    { head: 'anchor', cell: (p) => escapeHtml(p.anchor ?? '—') },
    { head: 'first mTKI start', cell: (p) => escapeHtml(p.firstMtkiStart ?? '—') },
    { head: 'first mTKI', cell: (p) => escapeHtml(p.firstMtkiDrug ?? '—') },
    { head: 'age at mTKI start', num: true, cell: (p) => escapeHtml(p.ageAtMtkiStart ?? '—') },
    { head: 'best response', cell: (p) => escapeHtml(p.bestOverallResponse ?? '—') },
    { head: 'audit history', cell: (p) => (p.historyUrl
      ? `<a href="${escapeHtml(`${p.timelineUrl}#history-title`)}" aria-label="${escapeHtml(`history of ${p.patientId}`)}">history</a>` : '—') },
  );
  return cols;
}

function render(answer) {
  const part = answer.part ?? {};
  document.getElementById('explain-title').textContent = `The patients behind a figure: ${figure.title}`;
  document.getElementById('explain-part').textContent = describePart(part, answer.unit);
  const f = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? '']));
  const basis = answer.basis;
  document.getElementById('explain-filters').textContent = [
    `Histology: ${f.histology || 'all'}`,
    `unit: ${answer.unit}`,
    basis?.asOf ? `as of ${timestamp(basis.asOf)} (events up to #${basis.lastSequence})` : `now (events up to #${basis?.lastSequence})`,
  ].join(' · ');
  document.getElementById('explain-back').href = `./${query(f)}`;
  document.getElementById('explain-count').textContent = answer.count;
  document.getElementById('explain-events').textContent = answer.events;
  document.getElementById('explain-censored').textContent = answer.censored;
  document.getElementById('explain-events-stat').hidden = !figure.timed;
  document.getElementById('explain-censored-stat').hidden = !figure.timed;
  document.title = `${describePart(part, answer.unit)} — Sarcoma treatment timeline`;

  const cols = columns(answer.unit);
  const table = document.getElementById('explain-table');
  document.getElementById('explain-caption').textContent = `${answer.count} patients: ${describePart(part, answer.unit)}`;
  table.querySelector('thead tr').innerHTML = cols.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${escapeHtml(c.head)}</th>`).join('');
  table.querySelector('tbody').replaceChildren();
  state.answer = answer;
  state.shown = 0;
  state.cols = cols;
  if (answer.patients.length === 0) {
    table.querySelector('tbody').innerHTML = `<tr><td colspan="${cols.length}" class="loading">No patients.</td></tr>`;
  }
  more(answer);
}

/** Adds the rows of the page just read; the button stays while the server has more (answer.next). */
function more(page) {
  const { cols } = state;
  const html = page.patients.map((p) => `<tr data-patient="${escapeHtml(p.patientId)}">${cols.map((c) => (c.row
    ? `<th scope="row">${c.cell(p)}</th>`
    : `<td${c.num ? ' class="num"' : ''}>${c.cell(p)}</td>`)).join('')}</tr>`).join('');
  document.querySelector('#explain-table tbody').insertAdjacentHTML('beforeend', html);
  state.shown += page.patients.length;
  state.next = page.next;
  const left = state.answer.count - state.shown;
  const button = document.getElementById('explain-more');
  button.hidden = !page.next || left <= 0;
  button.textContent = `Show ${Math.min(PAGE, left)} more`;
  document.getElementById('explain-shown').textContent = state.answer.count
    ? `Showing ${state.shown} of ${state.answer.count}.` : '';
}

async function load() {
  if (!figure) {
    showError(new Error(`Unknown figure '${figureName}': overall-survival, time-to-progression, response or cohort.`));
    document.getElementById('explain-part').textContent = 'Nothing to explain.';
    document.body.dataset.state = 'error';
    return;
  }
  const ask = {};
  for (const k of [...figure.params, ...FILTERS]) if (params.get(k)) ask[k] = params.get(k);
  // A page at a time from the server: a part of a figure at 100,000 patients can hold tens of thousands.
  ask.limit = PAGE;
  try {
    render(await api(`api/analyses/${figureName}/patients${query(ask)}`));
    document.body.dataset.state = 'ready';
  } catch (error) {
    showError(error);
    document.getElementById('explain-part').textContent = 'The patients could not be listed.';
    document.body.dataset.state = 'error';
  }
}

renderWho();
document.getElementById('explain-more').addEventListener('click', async () => {
  const before = state.shown;
  if (!state.next) return;
  try {
    more(await api(state.next.replace(/^\//, '')));
  } catch (error) {
    showError(error);
    return;
  }
  // Keyboard users land on the first new row's link.
  document.querySelectorAll('#explain-table tbody tr')[before]?.querySelector('a')?.focus();
});

// For tests and the console: the API's answer behind the page.
window.timelinePage = { state };

load();

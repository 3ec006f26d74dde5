// The cohort page: swimmer plot, Kaplan–Meier curves (OS by group, TTP/PFS), the honest comparisons beside the
// paper's (js/comparisons.js), the response table and the downloads, all from the public API with the same filters (histology, unit, as of) on every call. Every number
// links to the patients behind it (explain.html). The swimmer plot draws at most SWIMMER_LIMIT patients (one
// timeline call each); the per-patient data set is fetched only when its CSV is asked for.

import { api, pool, query, renderWho } from './api.js';
import { loadComparisons, renderComparisons, simonMakuchRows } from './comparisons.js';
import { curveRows, survivalPlot } from './km.js';
import { downloadCsv, downloadPng, downloadSvg } from './download.js';
import { explainUrl, numberLink } from './figure-links.js';
import { swimmerPlot } from './swimmer.js';
import { renderMissingValues } from './missing-counts.js';
import {
  dayNumber, escapeHtml, fmt, installTooltip, isoToLocalInput, localInputToIso, median, pct, pValue, showError, timestamp,
} from './ui.js';

const GROUPS = { mtki: { label: 'mTKI', color: '#c2410c' }, control: { label: 'Control', color: '#1f5fbf' } };

/** The swimmer plot's bound (?swimmer=n, 1–1000, changes it): the first mTKI patients in the API's order. */
const SWIMMER_LIMIT = (() => {
  const n = Number.parseInt(new URLSearchParams(location.search).get('swimmer') ?? '', 10);
  return n >= 1 && n <= 1000 ? n : 200;
})();

const form = document.getElementById('filters');
const state = { generation: 0, data: null };

function filters() {
  return {
    histology: document.getElementById('histology').value,
    unit: document.getElementById('unit').value,
    asOf: localInputToIso(document.getElementById('asof').value),
  };
}

function fromUrl() {
  const p = new URLSearchParams(location.search);
  if (p.get('histology')) ensureOption(p.get('histology'));
  document.getElementById('histology').value = p.get('histology') ?? '';
  document.getElementById('unit').value = p.get('unit') ?? 'months';
  document.getElementById('asof').value = isoToLocalInput(p.get('asOf'));
}

function ensureOption(value, label = value) {
  const select = document.getElementById('histology');
  if ([...select.options].some((o) => o.value === value)) return;
  select.append(new Option(label, value));
}

async function load() {
  const generation = ++state.generation;
  const f = filters();
  history.replaceState(null, '', `${location.pathname}${query({ ...f, swimmer: SWIMMER_LIMIT === 200 ? '' : SWIMMER_LIMIT })}`);
  document.body.dataset.state = 'loading';
  showError(null);
  const q = query(f);
  try {
    const [cohort, os, ttp, response, mtkiList, comparisons] = await Promise.all([
      api(`api/analyses/cohort${q}`),
      api(`api/analyses/overall-survival${q}`),
      api(`api/analyses/time-to-progression${q}`),
      api(`api/analyses/response${q}`),
      api(`api/analyses/cohort/patients${query({ mtki: 'true', ...f, limit: SWIMMER_LIMIT })}`),
      loadComparisons(f), // the time-dependent analysis and the 6-month landmark
    ]);
    if (generation !== state.generation) return;
    // The swimmer plot: the first SWIMMER_LIMIT mTKI patients in the API's order, one timeline each, no more.
    const mtki = mtkiList.patients.slice(0, SWIMMER_LIMIT);
    // An analyst reads the figures but not the patients' timelines: the plot is left out (with a note), not the page.
    const timelines = await pool(mtki, 4, (r) => api(`api/patients/${encodeURIComponent(r.patientId)}/timeline${query({ asOf: f.asOf })}`))
      .catch((error) => { if (error.status === 403) return null; throw error; });
    if (generation !== state.generation) return;
    state.data = { f, cohort, os, ttp, response, ...comparisons, rows: { unit: mtkiList.unit }, mtkiTotal: mtkiList.count, mtki, timelines };
    render(state.data);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (generation !== state.generation) return;
    if (error.status === 403) {
      // A recorder (or an auditor) may not read the figures: not a fault, say so and leave the page usable (the
      // "New patient" form, the links to the patients' pages).
      showError(null);
      const banner = document.getElementById('banner');
      banner.hidden = false;
      banner.className = 'banner info';
      banner.textContent = 'The cohort figures are for analysts; your role cannot read them. Recorders enrol a patient here '
        + 'and record the rest on the patient\'s page (Patients, above).';
      document.body.dataset.state = 'ready';
      return;
    }
    showError(error);
    document.body.dataset.state = 'error';
  }
}

function render({ f, cohort, os, ttp, response, timeDependent, landmark, rows, mtkiTotal, mtki, timelines }) {
  const explain = (figure, part, filters = f) => explainUrl(figure, part, filters);
  for (const h of cohort.byHistology) if (h.name) ensureOption(h.name);
  const unit = rows.unit;
  const basis = os.basis;
  document.getElementById('basis').innerHTML = f.asOf
    ? `<strong>As of ${escapeHtml(timestamp(f.asOf))}</strong><br>events up to #${basis.lastSequence}`
    : `Now: events up to #${basis.lastSequence}<br>computed ${escapeHtml(timestamp(basis.computedAt))}`;

  // Headline figures.
  numberLink(document.getElementById('stat-patients'), cohort.patients, explain('cohort', {}), `${cohort.patients} patients: list them`);
  numberLink(document.getElementById('stat-mtki'), cohort.mtkiPatients, explain('cohort', { mtki: 'true' }),
    `${cohort.mtkiPatients} started an mTKI: list them`);
  document.getElementById('stat-age').textContent = cohort.medianAgeAtMtkiStart === null ? '–'
    : `${fmt(cohort.medianAgeAtMtkiStart)} (${cohort.minAge}–${cohort.maxAge})`;
  document.getElementById('stat-ttp').textContent = `${median(ttp.ttp.median, ttp.ttp.medianLower, ttp.ttp.medianUpper)} ${unit}`;
  const orrNode = document.getElementById('stat-orr');
  if (response.n) {
    const responders = response.counts.CR + response.counts.PR;
    const a = numberLink(document.createElement('span'), responders, explain('response', { category: 'responders' }), `${responders} responders: list them`);
    orrNode.replaceChildren(`${pct(response.orr)} (`, a, `/${response.n})`);
  } else {
    orrNode.textContent = '–';
  }
  document.getElementById('stat-logrank').textContent = os.logRank ? `p = ${pValue(os.logRank.p)}` : '–';
  renderMissingValues(document.getElementById('missing-values'), { cohort, os, ttp, response });

  // Swimmer plot.
  const swimmerRows = timelines ? mtki.map((r, i) => swimmerRow(r, timelines[i])).filter(Boolean) : [];
  const swimmer = document.getElementById('swimmer');
  swimmer.replaceChildren(swimmerRows.length ? swimmerPlot(swimmerRows, { onOpen: openPatient })
    : empty(timelines ? 'No patient started an mTKI line.'
      : 'The swimmer plot is drawn from the patients\' timelines, which your role does not read (recorders, auditors and investigators do).'));
  const bound = document.getElementById('swimmer-bound');
  bound.hidden = mtkiTotal <= mtki.length;
  if (!bound.hidden) {
    const all = document.createElement('a');
    all.href = explain('cohort', { mtki: 'true' });
    all.textContent = `all ${mtkiTotal} on the list of mTKI patients`;
    bound.replaceChildren(`Showing ${mtki.length} of ${mtkiTotal} mTKI patients (the first in the API's order): `, all, '.');
  }

  // Overall survival by group.
  const groups = os.groups.map((g) => ({ key: g.name, ...(GROUPS[g.name] ?? { label: g.name, color: '#555' }), ...g }));
  const lr = os.logRank;
  const lrText = lr ? `Log-rank χ²(${lr.df}) = ${lr.chiSquare.toFixed(2)}, p = ${pValue(lr.p)}` : 'Log-rank test: needs two groups with patients';
  document.getElementById('os-chart').replaceChildren(groups.some((g) => g.n > 0)
    ? survivalPlot({ title: `Overall survival${f.histology ? ` — ${f.histology}` : ''}`, series: groups, unit, yLabel: 'survival probability', note: lrText, id: 'os-svg',
        link: (group, part) => explain('overall-survival', { group, ...part }) })
    : empty('No patient has a second-line relapse anchor.'));
  const lrNode = document.getElementById('os-logrank');
  lrNode.textContent = lrText;
  if (lr) { lrNode.dataset.p = String(lr.p); lrNode.dataset.chiSquare = String(lr.chiSquare); } else { delete lrNode.dataset.p; }
  document.getElementById('os-medians').textContent = groups
    .map((g) => `${g.label}: n = ${g.n}, ${g.events} deaths, median ${median(g.median, g.medianLower, g.medianUpper)} ${unit}`).join(' · ');
  document.getElementById('os-excluded-summary').textContent = `Excluded from the comparison: ${os.excluded.length}`;
  document.getElementById('os-excluded').innerHTML = os.excluded
    .map((e) => `<li><a href="patient.html?id=${encodeURIComponent(e.patientId)}">${escapeHtml(e.patientId)}</a>: ${escapeHtml(e.reason)}</li>`).join('');

  // The honest comparisons beside the paper's: time-dependent exposure, landmark (js/comparisons.js).
  renderComparisons({ f, os, timeDependent, landmark, unit });

  // Time to progression (PFS beside it, dashed).
  const ttpSeries = [
    { key: 'ttp', label: 'TTP', color: '#8e3bbf', ...ttp.ttp },
    { key: 'pfs', label: 'PFS', color: '#5b6478', dash: '6 4', band: false, ...ttp.pfs },
  ];
  document.getElementById('ttp-chart').replaceChildren(ttp.ttp.n > 0
    ? survivalPlot({ title: 'Time to progression on mTKI (band: TTP 95% CI)', series: ttpSeries, unit, yLabel: 'free of progression', id: 'ttp-svg',
        link: (measure, part) => explain('time-to-progression', { measure, ...part }) })
    : empty('No patient started an mTKI line.'));
  document.getElementById('ttp-medians').textContent =
    `TTP: n = ${ttp.ttp.n}, ${ttp.ttp.events} progressions, median ${median(ttp.ttp.median, ttp.ttp.medianLower, ttp.ttp.medianUpper)} ${unit}. `
    + `PFS (death also an event): ${ttp.pfs.events} events, median ${median(ttp.pfs.median, ttp.pfs.medianLower, ttp.pfs.medianUpper)} ${unit}.`;

  // Response table.
  const c = response.counts;
  // Each count a link to its patients (the address escaped: it is put into HTML).
  const linked = (n, figure, part, label, filters = f) =>
    `<a class="explain" href="${escapeHtml(explain(figure, part, filters))}" aria-label="${escapeHtml(`${n} ${label}: list them`)}">${n}</a>`;
  const cell = (k) => `<td>${linked(c[k], 'response', { category: k }, `best response ${k}`)}</td>`;
  document.querySelector('#response-table tbody').innerHTML =
    `<tr>${['CR', 'PR', 'SD', 'PD', 'NE'].map(cell).join('')}<td class="num">${linked(response.n, 'response', {}, 'patients who started an mTKI')}</td></tr>`;
  document.getElementById('orr').textContent = response.n
    ? `${pct(response.orr)} (${c.CR + c.PR} of ${response.n}; 95% CI ${pct(response.orrLower)}–${pct(response.orrUpper)})` : 'no mTKI patients';
  document.getElementById('orr-evaluable').textContent = response.evaluable
    ? `${pct(response.evaluableOrr)} of ${response.evaluable} (95% CI ${pct(response.evaluableOrrLower)}–${pct(response.evaluableOrrUpper)})` : '–';
  // By drug: ?drug=; by histology: the row's histology in place of the filter's.
  const sub = (list, partOf, filtersOf) => list.map((s) => `<tr><th scope="row">${escapeHtml(s.name)}</th>`
    + `<td class="num">${linked(s.n, 'response', partOf(s), `patients (${s.name})`, filtersOf(s))}</td>`
    + `<td class="num">${linked(s.responders, 'response', { category: 'responders', ...partOf(s) }, `responders (${s.name})`, filtersOf(s))}</td>`
    + `<td class="num">${pct(s.orr)}</td></tr>`).join('');
  document.querySelector('#response-by-drug tbody').innerHTML = sub(response.byDrug, (s) => ({ drug: s.name }), () => f);
  document.querySelector('#response-by-histology tbody').innerHTML = sub(response.byHistology, () => ({}), (s) => ({ ...f, histology: s.name }));
}

/** The swimmer row of one mTKI patient from the analysis row and the patient's timeline. */
function swimmerRow(row, timeline) {
  const lines = timeline.treatmentLines.filter((l) => l.isMtki);
  const line = lines.find((l) => l.startDate === row.firstMtkiStart) ?? lines[0];
  if (!line) return null;
  const start = dayNumber(line.startDate);
  const death = timeline.death ? dayNumber(timeline.death.date) : null;
  const lastContact = timeline.lastContact ? dayNumber(timeline.lastContact) : start;
  const endIso = line.endDate ?? (timeline.death ? timeline.death.date : timeline.lastContact);
  return {
    patientId: row.patientId,
    drug: row.firstMtkiDrug ?? line.agents[0],
    start,
    startIso: line.startDate,
    end: dayNumber(endIso ?? line.startDate),
    endIso,
    endReason: line.endReason,
    ongoing: !line.endDate && !timeline.death,
    lastContact,
    lastContactIso: timeline.lastContact,
    death,
    deathIso: timeline.death?.date,
    responses: line.responses.map((r) => ({ date: dayNumber(r.date), iso: r.date, category: r.category })),
    progressions: timeline.progressions.filter((p) => dayNumber(p.date) > start).map((p) => ({ date: dayNumber(p.date), iso: p.date })),
  };
}

function empty(text) {
  const p = document.createElement('p');
  p.className = 'loading';
  p.textContent = text;
  return p;
}

function openPatient(id) {
  const asOf = state.data?.f.asOf;
  location.href = `patient.html${query({ id, asOf })}`;
}

// ---- downloads ----

function fileName(base) {
  const f = state.data?.f ?? filters();
  const parts = [base, f.histology && f.histology.replace(/[^A-Za-z0-9]+/g, '-'), f.asOf && `asof-${f.asOf.replace(/[:.]/g, '-')}`];
  return parts.filter(Boolean).join('_');
}

/** The per-patient analysis data set for the CSV, fetched when asked for (the page itself never needs it). */
async function patientRows() {
  const rows = await api(`api/analyses/patients${query(state.data.f)}`);
  return rows.patients.map((r) => ({
    patient_id: r.patientId,
    histology: r.histologyName ?? r.histology,
    group: r.group,
    exclusion_reason: r.exclusionReason,
    anchor: r.anchor,
    anchor_kind: r.anchorKind,
    os_time: r.osTime,
    os_status: r.osEvent,
    first_mtki_start: r.firstMtkiStart,
    first_mtki_drug: r.firstMtkiDrug,
    age_at_mtki_start: r.ageAtMtkiStart,
    ttp_time: r.ttpTime,
    ttp_status: r.ttpEvent,
    pfs_time: r.pfsTime,
    pfs_status: r.pfsEvent,
    bor: r.bestOverallResponse,
  }));
}

/** Each plot's file name and its curves as CSV rows. */
const PLOTS = {
  swimmer: { name: 'swimmer-plot' },
  os: { name: 'overall-survival', rows: (d) => d.os.groups.flatMap((g) => curveRows(g.name, g.curve)) },
  ttp: { name: 'time-to-progression', rows: (d) => [...curveRows('ttp', d.ttp.ttp.curve), ...curveRows('pfs', d.ttp.pfs.curve)] },
  td: { name: 'simon-makuch', rows: (d) => simonMakuchRows(d.timeDependent) },
};

async function download(plot, format) {
  if (!state.data || !PLOTS[plot]) return;
  const svg = document.querySelector(`#${plot === 'swimmer' ? 'swimmer' : `${plot}-chart`} svg`);
  const { name, rows } = PLOTS[plot];
  try {
    if (format === 'csv') {
      downloadCsv(rows(state.data), fileName(`${name}-curves-${state.data.rows.unit}`));
    } else if (svg) {
      if (format === 'svg') downloadSvg(svg, fileName(name)); else await downloadPng(svg, fileName(name));
    }
  } catch (error) {
    showError(error);
  }
}

// ---- wiring ----

fromUrl();
renderWho();
installTooltip();
form.addEventListener('change', load);
form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
document.getElementById('asof-now').addEventListener('click', () => { document.getElementById('asof').value = ''; load(); });
document.addEventListener('click', (e) => {
  const button = e.target.closest('[data-download]');
  if (button) download(button.dataset.download, button.dataset.format);
});
document.getElementById('download-patients').addEventListener('click', async () => {
  if (!state.data) return;
  try {
    downloadCsv(await patientRows(), fileName(`patients-${state.data.rows.unit}`));
  } catch (error) {
    showError(error);
  }
});

// For tests and the console: the data behind the page, and the CSV text of the data set.
window.timelinePage = { state, patientRows };

load();

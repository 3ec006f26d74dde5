// The honest comparisons under the paper's one (issue 12): OS with mTKI as a time-dependent exposure
// (Mantel–Byar, Cox, Simon–Makuch curves) and a landmark at 6 months, beside the paper's naive comparison
// (group fixed at the anchor), with each answer's warnings in the API's words. Same filters on every call.

import { api, query } from './api.js';
import { curveRows, survivalPlot } from './km.js';
import { DAYS_PER_MONTH, fmt, pValue } from './ui.js';

/** The landmark, in months; sent in the page's unit (the route reads `at` in the unit). */
export const LANDMARK_MONTHS = 6;

const DAYS_PER_UNIT = { days: 1, weeks: 7, months: DAYS_PER_MONTH };

/** 6 months in the unit (months 6, weeks 26.09, days 182.625), as the route computes its own defaults. */
export function landmarkIn(unit) {
  return (LANDMARK_MONTHS * DAYS_PER_MONTH) / (DAYS_PER_UNIT[unit] ?? DAYS_PER_MONTH);
}

/** The two comparison routes with the page's filters (histology, unit, asOf). */
export async function loadComparisons(f) {
  const [timeDependent, landmarks] = await Promise.all([
    api(`api/analyses/overall-survival/time-dependent${query(f)}`),
    api(`api/analyses/overall-survival/landmark${query({ ...f, at: String(landmarkIn(f.unit || 'months')) })}`),
  ]);
  return { timeDependent, landmark: landmarks.landmarks[0] ?? null };
}

/** The Simon–Makuch curves as CSV rows (R's survfit column names, group = unexposed or mtki). */
export function simonMakuchRows(timeDependent) {
  return timeDependent.simonMakuch.flatMap((c) => curveRows(c.name, c.curve));
}

const SERIES = {
  unexposed: { label: 'No mTKI', color: '#1f5fbf', dash: '6 4' },
  mtki: { label: 'mTKI', color: '#c2410c' },
};

/** "0.31 (0.12–0.76)": a hazard ratio with its 95% interval, two decimals. */
export function hazardRatio(term) {
  if (!term || term.hazardRatio === null || term.hazardRatio === undefined) return '–';
  return `${term.hazardRatio.toFixed(2)} (${fmt(term.lower, 2)}–${fmt(term.upper, 2)})`;
}

function mtkiTerm(cox) {
  return cox?.terms.find((t) => t.name === 'mtki') ?? null;
}

function chiSquare(name, test) {
  return test ? `${name} χ²(${test.df}) = ${test.chiSquare.toFixed(2)}, p = ${pValue(test.p)}` : `${name}: not computable`;
}

/** The median and its interval read from a curve and its band (R's survfit: where S, upper and lower reach 0.5). */
function medians(curve) {
  const at = (value) => curve.find((p) => value(p) !== null && value(p) <= 0.5)?.time ?? null;
  return { median: at((p) => p.survival), medianLower: at((p) => p.upper), medianUpper: at((p) => p.lower) };
}

/** A list of warnings as a note, in the API's words ("none" when the answer has none). */
function warningsNote(warnings, label) {
  const note = document.createElement('div');
  note.setAttribute('role', 'note');
  note.setAttribute('aria-label', label);
  note.className = 'warnings';
  if (!warnings?.length) {
    note.classList.add('none');
    note.textContent = 'no warnings';
    return note;
  }
  const list = document.createElement('ul');
  for (const w of warnings) {
    const li = document.createElement('li');
    li.textContent = w;
    list.append(li);
  }
  note.append(list);
  return note;
}

function cell(tag, content, className) {
  const c = document.createElement(tag);
  if (className) c.className = className;
  if (tag === 'th') c.scope = 'row';
  c.append(...[].concat(content));
  return c;
}

/** Draws the time-dependent block and the side-by-side table. */
export function renderComparisons({ f, os, timeDependent: td, landmark, unit }) {
  // Treatment as a time-dependent exposure.
  const mb = document.getElementById('td-mantel-byar');
  mb.textContent = chiSquare('Mantel–Byar', td.mantelByar);
  if (td.mantelByar) { mb.dataset.p = String(td.mantelByar.p); } else { delete mb.dataset.p; }
  const tdTerm = mtkiTerm(td.cox);
  const hr = document.getElementById('td-hr');
  hr.textContent = tdTerm
    ? `Cox hazard ratio, mTKI vs unexposed: ${hazardRatio(tdTerm)}, p = ${pValue(tdTerm.p)} (${td.cox.n} intervals, ${td.cox.events} deaths)`
    : 'Cox hazard ratio: not computable';
  if (tdTerm) { hr.dataset.hazardRatio = String(tdTerm.hazardRatio); } else { delete hr.dataset.hazardRatio; }
  document.getElementById('td-warnings').replaceChildren(warningsNote(td.warnings, 'Warnings of the time-dependent analysis'));

  const series = td.simonMakuch.map((c) => ({
    key: c.name, ...(SERIES[c.name] ?? { label: c.name, color: '#555' }), n: c.intervals, events: c.events, ...medians(c.curve), curve: c.curve,
  }));
  const chart = document.getElementById('td-chart');
  if (series.some((s) => s.curve.length > 0)) {
    chart.replaceChildren(survivalPlot({
      title: `Simon–Makuch: OS by current exposure${f.histology ? ` — ${f.histology}` : ''}`, series, unit, yLabel: 'survival probability',
      note: chiSquare('Mantel–Byar', td.mantelByar), id: 'td-svg',
    }));
  } else {
    const p = document.createElement('p');
    p.className = 'loading';
    p.textContent = 'No patient has a second-line relapse anchor.';
    chart.replaceChildren(p);
  }

  // The three comparisons side by side.
  const lm = landmark;
  const lmGroups = Object.fromEntries((lm?.groups ?? []).map((g) => [g.name, g]));
  const naiveGroups = Object.fromEntries(os.groups.map((g) => [g.name, g]));
  const rows = [
    {
      key: 'naive', name: "Paper's comparison (fixed at the anchor)", term: mtkiTerm(os.cox),
      test: os.logRank ? chiSquare('Log-rank', os.logRank) : 'Log-rank: not computable',
      who: `${naiveGroups.mtki?.n ?? 0} mTKI vs ${naiveGroups.control?.n ?? 0} control patients from the anchor`,
      warnings: os.warnings, label: "Warnings of the paper's comparison",
    },
    {
      key: 'time-dependent', name: 'Time-dependent exposure', term: tdTerm,
      test: chiSquare('Mantel–Byar', td.mantelByar),
      who: td.cox ? `${td.cox.n} intervals of unexposed and mTKI time, ${td.cox.events} deaths` : 'every patient from the anchor',
      warnings: td.warnings, label: 'Warnings of the time-dependent analysis',
    },
    {
      key: 'landmark', name: `Landmark at ${LANDMARK_MONTHS} months${unit === 'months' ? '' : ` (${fmt(lm?.at ?? landmarkIn(unit))} ${unit})`}`,
      term: mtkiTerm(lm?.cox),
      test: lm?.logRank ? chiSquare('Log-rank', lm.logRank) : 'Log-rank: not computable',
      who: lm ? `${lmGroups.mtki?.n ?? 0} on mTKI by then vs ${lmGroups.control?.n ?? 0} not, of ${lm.n} alive and followed beyond it` : '–',
      warnings: lm?.warnings ?? ['no landmark answer'], label: 'Warnings of the landmark comparison',
    },
  ];
  document.querySelector('#compare-table tbody').replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.comparison = r.key;
    const hrCell = cell('td', hazardRatio(r.term), 'num hr');
    if (r.term) hrCell.dataset.hazardRatio = String(r.term.hazardRatio);
    tr.append(
      cell('th', r.name),
      hrCell,
      cell('td', r.term ? pValue(r.term.p) : '–', 'num'),
      cell('td', r.test),
      cell('td', r.who),
      cell('td', warningsNote(r.warnings, r.label)),
    );
    return tr;
  }));
  document.getElementById('compare-bias').textContent = os.bias ? `The API on the paper's comparison: “${os.bias}”` : '';
}

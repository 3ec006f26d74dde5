// The swimmer plot: one bar per mTKI patient from the start of the first mTKI line to the end of that line
// (or to last contact, with an arrow, while it goes on), longest on top, coloured by drug; a thin line on to
// death or last contact; markers for CR/PR, progression and death. Every bar and marker takes keyboard focus.

import { bottomAxis, chart, el, linear, mark, niceMax, ticks } from './svg.js';
import { DAYS_PER_MONTH, fmt } from './ui.js';

const DRUG_COLOURS = { sorafenib: '#1f77b4', regorafenib: '#2a9d3f', pazopanib: '#8e5bbf' };
const SPARE_COLOURS = ['#d17a00', '#17a2b8', '#8c564b', '#e377c2', '#7f7f7f'];

export function drugColour(drug, all) {
  const key = (drug ?? '').toLowerCase();
  if (DRUG_COLOURS[key]) return DRUG_COLOURS[key];
  const others = all.filter((d) => !DRUG_COLOURS[d]).sort();
  return SPARE_COLOURS[Math.max(0, others.indexOf(key)) % SPARE_COLOURS.length];
}

const RESPONSE_COLOURS = { CR: '#0b6e2e', PR: '#46b35a' };

/**
 * rows: [{ patientId, drug, start, end, ongoing, endReason, lastContact, death, responses: [{date, category}],
 * progressions: [date] }] with dates as day numbers (see ui.dayNumber) and the ISO date kept in *Iso fields.
 */
export function swimmerPlot(rows, { onOpen } = {}) {
  const months = (from, to) => (to - from) / DAYS_PER_MONTH;
  const sorted = [...rows].sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.patientId.localeCompare(b.patientId));
  const drugs = [...new Set(sorted.map((r) => (r.drug ?? '').toLowerCase()))].sort();

  const width = 1180;
  const left = 112;
  const right = 24;
  const top = 30;
  const row = 21;
  const plotHeight = Math.max(1, sorted.length) * row;
  const height = top + plotHeight + 92;
  const svg = chart(width, height, `Swimmer plot: ${sorted.length} patients on a multi-targeted kinase inhibitor`);
  svg.id = 'swimmer-svg';
  el('text', { x: left, y: 18, class: 'title' }, svg, 'Time on first mTKI line, from its start');

  const maxMonths = Math.max(1, ...sorted.map((r) => months(r.start, Math.max(r.end, r.death ?? r.lastContact ?? r.end))));
  const xMax = niceMax(maxMonths, 10);
  const x = linear([0, xMax], [left, width - right]);
  const grid = el('g', { class: 'grid' }, svg);
  const xTicks = ticks(0, xMax, 10);
  for (const t of xTicks) el('line', { x1: x(t), x2: x(t), y1: top, y2: top + plotHeight }, grid);
  bottomAxis(svg, x, xTicks, top + plotHeight + 4, String, 'months since the start of the first mTKI line', left, width - right);

  sorted.forEach((r, i) => {
    const cy = top + i * row + row / 2;
    const link = el('a', { href: `patient.html?id=${encodeURIComponent(r.patientId)}`, 'aria-label': `Open the timeline of ${r.patientId}` }, svg);
    el('text', { x: left - 8, y: cy + 4, 'text-anchor': 'end', fill: '#1f5fbf' }, link, r.patientId);

    const colour = drugColour(r.drug, drugs);
    const x0 = x(0);
    const x1 = x(months(r.start, r.end));
    const followTo = r.death ?? r.lastContact;
    if (followTo !== null && followTo !== undefined && followTo > r.end) {
      el('line', { x1, x2: x(months(r.start, followTo)), y1: cy, y2: cy, stroke: '#9aa2b1', 'stroke-width': 1.5, 'stroke-dasharray': '3 3' }, svg);
    }
    const duration = months(r.start, r.end);
    const state = r.ongoing ? `ongoing at last contact ${r.lastContactIso}` : `ended ${r.endIso}${r.endReason ? ` (${r.endReason})` : ''}`;
    const bar = mark(svg, `${r.patientId}: ${r.drug} from ${r.startIso}, ${fmt(duration)} months, ${state}`, 'swimmer-bar',
      { x: x0 - 2, y: cy - 8, width: Math.max(4, x1 - x0) + 4, height: 16 });
    bar.setAttribute('data-patient', r.patientId);
    el('rect', { x: x0, y: cy - 6, width: Math.max(2, x1 - x0), height: 12, rx: 2, fill: colour }, bar);
    if (r.ongoing) el('polygon', { points: `${x1 + 1},${cy - 8} ${x1 + 11},${cy} ${x1 + 1},${cy + 8}`, fill: colour, class: 'ongoing' }, bar);
    if (onOpen) {
      bar.addEventListener('click', () => onOpen(r.patientId));
      bar.addEventListener('keydown', (e) => { if (e.key === 'Enter') onOpen(r.patientId); });
    }

    for (const resp of r.responses.filter((q) => q.category === 'CR' || q.category === 'PR')) {
      const mx = x(months(r.start, resp.date));
      const m = mark(svg, `${r.patientId}: ${resp.category} on ${resp.iso} (month ${fmt(months(r.start, resp.date))})`,
        'swimmer-marker response', { x: mx - 7, y: cy - 8, width: 14, height: 16 });
      el('polygon', { points: `${mx},${cy - 6} ${mx + 6},${cy + 5} ${mx - 6},${cy + 5}`, fill: RESPONSE_COLOURS[resp.category], stroke: '#fff', 'stroke-width': 1 }, m);
      if (resp.category === 'CR') el('circle', { cx: mx, cy: cy + 1, r: 1.6, fill: '#fff' }, m);
    }
    for (const p of r.progressions) {
      const mx = x(months(r.start, p.date));
      const m = mark(svg, `${r.patientId}: progression on ${p.iso} (month ${fmt(months(r.start, p.date))})`,
        'swimmer-marker progression', { x: mx - 7, y: cy - 8, width: 14, height: 16 });
      el('polygon', { points: `${mx},${cy - 6} ${mx + 5},${cy} ${mx},${cy + 6} ${mx - 5},${cy}`, fill: '#d62728', stroke: '#fff', 'stroke-width': 1 }, m);
    }
    if (r.death !== null && r.death !== undefined) {
      const mx = x(months(r.start, r.death));
      const m = mark(svg, `${r.patientId}: died on ${r.deathIso} (month ${fmt(months(r.start, r.death))})`,
        'swimmer-marker death', { x: mx - 7, y: cy - 8, width: 14, height: 16 });
      el('path', { d: `M${mx - 4},${cy - 4}L${mx + 4},${cy + 4}M${mx + 4},${cy - 4}L${mx - 4},${cy + 4}`, stroke: '#111', 'stroke-width': 2.2 }, m);
    }
  });

  // Legend under the axis.
  const ly = top + plotHeight + 62;
  const legend = el('g', { class: 'legend' }, svg);
  let lx = left;
  for (const d of drugs) {
    el('rect', { x: lx, y: ly - 9, width: 18, height: 10, rx: 2, fill: drugColour(d, drugs) }, legend);
    el('text', { x: lx + 24, y: ly }, legend, d || 'unknown');
    lx += 34 + 7 * (d || 'unknown').length;
  }
  const item = (draw, label) => { draw(lx); el('text', { x: lx + 16, y: ly }, legend, label); lx += 26 + 6.5 * label.length; };
  lx += 14;
  item((p) => el('polygon', { points: `${p + 5},${ly - 10} ${p + 11},${ly + 1} ${p - 1},${ly + 1}`, fill: RESPONSE_COLOURS.CR }, legend), 'CR');
  item((p) => el('polygon', { points: `${p + 5},${ly - 10} ${p + 11},${ly + 1} ${p - 1},${ly + 1}`, fill: RESPONSE_COLOURS.PR }, legend), 'PR');
  item((p) => el('polygon', { points: `${p + 5},${ly - 10} ${p + 10},${ly - 4} ${p + 5},${ly + 2} ${p},${ly - 4}`, fill: '#d62728' }, legend), 'progression');
  item((p) => el('path', { d: `M${p + 1},${ly - 8}L${p + 9},${ly}M${p + 9},${ly - 8}L${p + 1},${ly}`, stroke: '#111', 'stroke-width': 2 }, legend), 'death');
  item((p) => el('polygon', { points: `${p + 1},${ly - 9} ${p + 11},${ly - 4} ${p + 1},${ly + 1}`, fill: '#5b6478' }, legend), 'ongoing');
  item((p) => el('line', { x1: p, x2: p + 12, y1: ly - 4, y2: ly - 4, stroke: '#9aa2b1', 'stroke-width': 1.5, 'stroke-dasharray': '3 3' }, legend), 'follow-up after the line');
  return svg;
}

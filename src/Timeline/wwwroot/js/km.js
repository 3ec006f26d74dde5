// Kaplan–Meier plots drawn from the analysis routes' curve points: step curves from S(0) = 1, shaded 95%
// pointwise bands (lower/upper), censoring ticks, a legend and the number-at-risk table under the time axis.

import { bottomAxis, chart, el, leftAxis, linear, linkMark, mark, niceMax, ticks } from './svg.js';
import { fmt } from './ui.js';

/**
 * Subjects still at risk at time t, read from the curve points: the atRisk of the first step at or after t;
 * past the last step, those left after it (at risk, minus its events and censorings).
 */
export function atRiskAt(curve, n, t) {
  if (curve.length === 0) return n;
  const step = curve.find((p) => p.time >= t - 1e-9);
  if (step) return step.atRisk;
  const last = curve[curve.length - 1];
  return last.atRisk - last.events - last.censored;
}

/** Step-function vertices of one column of the curve (survival, lower or upper), from (0, 1). */
function steps(curve, value) {
  const points = [[0, 1]];
  let previous = 1;
  for (const p of curve) {
    const v = value(p) ?? 0;
    points.push([p.time, previous], [p.time, v]);
    previous = v;
  }
  return points;
}

/**
 * Draws one or more survival curves.
 * series: [{ key, label, color, dash?, band? (false: no band), n, events, median, medianLower, medianUpper, curve }];
 * unit: "months" etc.
 * note: a line of text under the legend (the log-rank test); returns the svg element.
 * link: (seriesKey, { time } | { atRisk }) → the address of the patients behind a curve step or a number-at-risk
 * cell; with it each step (events and censorings at one time) and each cell is a link (an SVG <a href>).
 */
export function survivalPlot({ title, series, unit, yLabel, note, id, link }) {
  const width = 640;
  const left = 78;
  const right = 16;
  const top = 36;
  const plotHeight = 240;
  const riskRow = 16;
  const axisBlock = 42;
  const riskTop = top + plotHeight + axisBlock + 8;
  const height = riskTop + 18 + riskRow * series.length + 10;

  const svg = chart(width, height, `${title}: Kaplan–Meier plot`);
  if (id) svg.id = id;
  el('text', { x: left, y: 18, class: 'title' }, svg, title);

  const maxTime = Math.max(0, ...series.flatMap((s) => s.curve.map((p) => p.time)));
  const xMax = niceMax(maxTime);
  const xTicks = ticks(0, xMax);
  const x = linear([0, xMax], [left, width - right]);
  const y = linear([0, 1], [top + plotHeight, top]);

  const grid = el('g', { class: 'grid' }, svg);
  for (const v of [0.25, 0.5, 0.75, 1]) el('line', { x1: left, x2: width - right, y1: y(v), y2: y(v) }, grid);

  leftAxis(svg, y, [0, 0.25, 0.5, 0.75, 1], left, (v) => v.toFixed(2), yLabel, top, top + plotHeight);
  bottomAxis(svg, x, xTicks, top + plotHeight, (v) => String(v), `${unit}`, left, width - right);

  for (const s of series) {
    const g = el('g', { class: 'km-curve', 'data-group': s.key }, svg);
    if (s.curve.length === 0) continue;
    if (s.band !== false) {
      // The band: forward along the upper limit, back along the lower (missing where S = 0: drawn at 0).
      const upper = steps(s.curve, (p) => p.upper ?? p.survival);
      const lower = steps(s.curve, (p) => p.lower ?? 0);
      const poly = [...upper, ...lower.reverse()].map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      el('polygon', { points: poly, fill: s.color, 'fill-opacity': 0.14, stroke: 'none', class: 'km-band' }, g);
    }

    const line = steps(s.curve, (p) => p.survival).map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const label = `${s.label}: ${s.n} patients, ${s.events} events, median ${fmt(s.median)} ${unit} (95% CI ${fmt(s.medianLower)}–${fmt(s.medianUpper)})`;
    const m = mark(g, label, 'km-line', { x: left, y: top, width: 0, height: 0 });
    el('path', { d: line, fill: 'none', stroke: s.color, 'stroke-width': 2.2, ...(s.dash ? { 'stroke-dasharray': s.dash } : {}) }, m);

    const censored = el('g', { class: 'km-censored', 'aria-hidden': 'true' }, g);
    for (const p of s.curve.filter((q) => q.censored > 0)) {
      el('line', { x1: x(p.time), x2: x(p.time), y1: y(p.survival) - 5, y2: y(p.survival) + 5, stroke: s.color, 'stroke-width': 1.6 }, censored);
    }

    // Each step a link to its patients: the drop (events) and the censoring ticks at that time.
    if (link) {
      const stepLinks = el('g', { class: 'km-steps' }, g);
      let previous = 1;
      for (const p of s.curve) {
        const cx = x(p.time);
        const yTop = Math.min(y(previous), y(p.survival));
        const yBottom = Math.max(y(previous), y(p.survival));
        const what = [p.events ? `${p.events} event${p.events === 1 ? '' : 's'}` : '', p.censored ? `${p.censored} censored` : '']
          .filter(Boolean).join(', ');
        const label = `${s.label} at ${fmt(p.time, 2)} ${unit}: ${what}; ${p.atRisk} at risk; survival ${p.survival === null ? 'NA' : p.survival.toFixed(3)}. Open the patients`;
        const a = linkMark(stepLinks, link(s.key, { time: String(p.time) }), label, 'km-step',
          { x: cx - 5, y: yTop - 6, width: 10, height: yBottom - yTop + 12 });
        a.setAttribute('data-group', s.key);
        a.setAttribute('data-time', String(p.time));
        a.setAttribute('data-events', String(p.events));
        a.setAttribute('data-censored', String(p.censored));
        el('circle', { class: 'dot', cx, cy: y(p.survival), r: 2.6, fill: s.color }, a);
        previous = p.survival ?? previous;
      }
    }
  }

  // Legend, top right of the plotting area.
  const legend = el('g', { class: 'km-legend' }, svg);
  let ly = top + 10;
  for (const s of series) {
    const lx = width - right - 258;
    el('line', { x1: lx, x2: lx + 22, y1: ly - 4, y2: ly - 4, stroke: s.color, 'stroke-width': 2.5, ...(s.dash ? { 'stroke-dasharray': s.dash } : {}) }, legend);
    el('text', { x: lx + 28, y: ly }, legend, `${s.label} (n=${s.n}, ${s.events} ev.) median ${fmt(s.median)}`);
    ly += 16;
  }
  el('line', { x1: width - right - 254, x2: width - right - 254, y1: ly - 9, y2: ly + 1, stroke: '#5b6478', 'stroke-width': 1.6 }, legend);
  el('text', { x: width - right - 230, y: ly, class: 'muted small' }, legend, 'censored');
  if (note) el('text', { x: left + 8, y: top + plotHeight - 10, class: 'km-note' }, svg, note);

  // Number at risk under the axis: one row per curve, one column per tick.
  const risk = el('g', { class: 'at-risk' }, svg);
  el('text', { x: 8, y: riskTop + 4, class: 'muted small' }, risk, 'Number at risk');
  series.forEach((s, i) => {
    const ry = riskTop + 18 + i * riskRow;
    el('text', { x: left - 20, y: ry, 'text-anchor': 'end', fill: s.color }, risk, s.label);
    for (const t of xTicks) {
      const count = atRiskAt(s.curve, s.n, t);
      const parent = link
        ? linkMark(risk, link(s.key, { atRisk: String(t) }), `${s.label}: ${count} at risk at ${t} ${unit}. Open the patients`, 'at-risk-link',
          { x: x(t) - 14, y: ry - 11, width: 28, height: 15 })
        : risk;
      el('text', { x: x(t), y: ry, 'text-anchor': 'middle', class: 'at-risk-count', 'data-group': s.key, 'data-time': t }, parent, String(count));
    }
  });
  return svg;
}

/** A curve as CSV rows with R's survfit column names. */
export function curveRows(group, curve) {
  return curve.map((p) => ({
    group, time: p.time, n_risk: p.atRisk, n_event: p.events, n_censor: p.censored, surv: p.survival, lower: p.lower, upper: p.upper,
  }));
}

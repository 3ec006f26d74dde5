// A patient's timeline on a calendar axis: one lane per kind of fact, treatment lines as bars, the rest as
// markers. Corrected entries carry a dashed amber ring and their reason; a corrected entry's earlier value
// (where its date moved) and retracted entries are drawn as struck-through ghosts with their reason.

import { el, chart, linear, mark } from './svg.js';
import { dayNumber } from './ui.js';
import { drugColour } from './swimmer.js';
import { missingAndOverrideText } from './missing-values.js';

const LANES = [
  { key: 'diagnosis', label: 'Diagnosis' },
  { key: 'line', label: 'Treatment lines' },
  { key: 'response', label: 'Responses (RECIST)' },
  { key: 'progression', label: 'Progression, relapse' },
  { key: 'adverse', label: 'Adverse events (grade)' },
  { key: 'outcome', label: 'Follow-up, death' },
];

const LANE_OF_KIND = {
  diagnosis: 'diagnosis', enrolment: 'diagnosis', 'treatment-line': 'line', 'treatment-line-end': 'line', response: 'response',
  progression: 'progression', relapse: 'progression', 'adverse-event': 'adverse', 'follow-up': 'outcome', death: 'outcome',
};

const RESPONSE_COLOURS = { CR: '#0b6e2e', PR: '#46b35a', SD: '#d9a400', PD: '#d62728', NE: '#8d99ad' };
const CORRECTED = '#e08a00';

const isDate = (d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d);

/** The clinical date of a fact as the history shows it (data of any kind). */
export function factDate(data) {
  return data?.date ?? data?.startDate ?? data?.birthDate ?? null;
}

const HISTOLOGY_NAMES = {
  '9180/3': 'osteosarcoma', '9040/3': 'synovial sarcoma', '9220/3': 'chondrosarcoma', '8900/3': 'rhabdomyosarcoma', '9260/3': 'Ewing sarcoma',
};

/** A one-line description of a fact (the history's data), as a clinician would say it, with its missing values and override. */
export function describe(kind, d) {
  return describeFact(kind, d) + missingAndOverrideText(d);
}

function describeFact(kind, d) {
  switch (kind) {
    case 'enrolment': return `Enrolled: born ${d.birthDate}, ${d.sex}`;
    case 'diagnosis': return `Diagnosis ${HISTOLOGY_NAMES[d.histology] ?? d.histology}${d.primarySite ? `, ${d.primarySite}` : ''}${d.metastatic ? ', metastatic' : ''} on ${d.date}`;
    case 'treatment-line': return `Line ${d.line} started ${d.startDate}: ${d.regimen ?? ''} (${(d.agents ?? []).join(', ')})`;
    case 'treatment-line-end': return `Line ${d.line} ended ${d.date} (${d.reason})`;
    case 'response': return `Response ${d.category} on line ${d.line}, ${d.date}`;
    case 'progression': return `Progression on ${d.date}`;
    case 'relapse': return `Relapse on ${d.date}`;
    case 'adverse-event': return `Adverse event: ${d.term}, grade ${d.grade}${d.line ? ` (line ${d.line})` : ''}, ${d.date}`;
    case 'follow-up': return `Follow-up: alive on ${d.date}`;
    case 'death': return `Death on ${d.date}${d.cause ? ` (${d.cause})` : ''}`;
    default: return kind;
  }
}

/**
 * What became of each fact, from the history (only corrections recorded up to asOf, when given):
 * eventId → { status: 'corrected' | 'retracted', reason, by, at, version, original } .
 */
export function statusMap(history, asOf) {
  const cutoff = asOf ? new Date(asOf).getTime() : Infinity;
  const byId = new Map(history.map((h) => [h.eventId, h]));
  const map = new Map();
  for (const h of history) {
    if (!h.correction || new Date(h.recordedAt).getTime() > cutoff) continue;
    const target = byId.get(h.correction.eventId);
    map.set(h.correction.eventId, {
      status: h.type === 'fact-retracted' ? 'retracted' : 'corrected',
      reason: h.correction.reason,
      by: h.recordedBy,
      at: h.recordedAt,
      version: h.version,
      original: target,
    });
  }
  return map;
}

function correctionNote(s) {
  if (!s) return '';
  const who = s.by ? ` by ${s.by}` : '';
  return `\n${s.status === 'retracted' ? 'Retracted' : 'Corrected'}${who} (entry #${s.version}). Reason: ${s.reason}`;
}

/** Calendar ticks: years, or quarters when the span is short. */
function dateTicks(from, to) {
  const y0 = new Date(from * 86400000).getUTCFullYear();
  const y1 = new Date(to * 86400000).getUTCFullYear();
  const out = [];
  const quarters = y1 - y0 < 3;
  for (let y = y0; y <= y1 + 1; y++) {
    for (const m of quarters ? [0, 3, 6, 9] : [0]) {
      const d = Date.UTC(y, m, 1) / 86400000;
      if (d >= from && d <= to) out.push({ day: d, label: m === 0 ? String(y) : `${y}-${String(m + 1).padStart(2, '0')}` });
    }
  }
  return out;
}

const QUERY = '#6a3d9a';

/** Unresolved data queries (open or answered, not closed) by the fact they concern: eventId → [query]. */
export function queriesByFact(queries) {
  const map = new Map();
  for (const q of queries ?? []) {
    if (!q.eventId || q.status === 'closed') continue;
    if (!map.has(q.eventId)) map.set(q.eventId, []);
    map.get(q.eventId).push(q);
  }
  return map;
}

/** Draws the timeline; answers the svg. Facts with an unresolved data query carry a "?" badge and the question. */
export function timelinePlot(timeline, history, { asOf, queries } = {}) {
  const status = statusMap(history, asOf);
  const queried = queriesByFact(queries);
  const queryNote = (...ids) => ids.flatMap((id) => queried.get(id) ?? [])
    .map((q) => `\nData query (${q.status}): ${q.messages?.[0]?.text ?? ''}`).join('');
  const queryBadge = (g, ids, cx, cy) => {
    if (!ids.some((id) => queried.has(id))) return;
    g.classList.add('has-query');
    el('circle', { cx, cy, r: 6, fill: QUERY }, g);
    el('text', { x: cx, y: cy + 3.5, 'text-anchor': 'middle', class: 'small query-mark', fill: '#fff' }, g, '?');
  };
  const cutoff = asOf ? new Date(asOf).getTime() : Infinity;
  const known = history.filter((h) => new Date(h.recordedAt).getTime() <= cutoff);

  // Ghosts: retracted facts, and earlier values of corrected facts whose date changed.
  const ghosts = [];
  for (const h of known) {
    const s = status.get(h.eventId);
    if (!s || !h.data?.kind || h.data.kind === 'enrolment') continue; // a birth date belongs in the header
    ghosts.push({ history: h, state: s });
  }

  const dated = [
    timeline.diagnosis?.date, timeline.lastContact, timeline.death?.date,
    ...timeline.treatmentLines.flatMap((l) => [l.startDate, l.endDate]),
    ...ghosts.map((g) => factDate(g.history.data)).filter(isDate),
  ].filter(Boolean).map(dayNumber);
  const first = Math.min(...dated);
  const last = Math.max(...dated);
  const pad = Math.max(30, (last - first) * 0.03);
  const from = first - pad;
  const to = last + pad;

  const width = 1180;
  const left = 168;
  const right = 24;
  const top = 30;
  const lane = 40;
  const plotHeight = LANES.length * lane;
  const height = top + plotHeight + 40;
  const svg = chart(width, height, `Timeline of patient ${timeline.patientId}`);
  svg.id = 'timeline-svg';
  el('text', { x: left, y: 18, class: 'title' }, svg, `${timeline.patientId}${asOf ? ' — as recorded at the chosen time' : ''}`);
  const x = linear([from, to], [left, width - right]);
  const laneY = (key) => top + LANES.findIndex((l) => l.key === key) * lane + lane / 2;

  // Lanes and calendar grid.
  const grid = el('g', { class: 'grid' }, svg);
  LANES.forEach((l, i) => {
    if (i % 2 === 0) el('rect', { x: left, y: top + i * lane, width: width - right - left, height: lane, fill: '#f6f8fb' }, svg);
    el('text', { x: left - 10, y: top + i * lane + lane / 2 + 4, 'text-anchor': 'end', class: 'muted' }, svg, l.label);
  });
  const axis = el('g', { class: 'axis' }, svg);
  el('line', { x1: left, x2: width - right, y1: top + plotHeight, y2: top + plotHeight }, axis);
  for (const t of dateTicks(from, to)) {
    el('line', { x1: x(t.day), x2: x(t.day), y1: top, y2: top + plotHeight }, grid);
    el('line', { x1: x(t.day), x2: x(t.day), y1: top + plotHeight, y2: top + plotHeight + 4 }, axis);
    el('text', { x: x(t.day), y: top + plotHeight + 17, 'text-anchor': 'middle' }, axis, t.label);
  }

  // The second-line relapse anchor: a dashed line through every lane.
  if (timeline.anchor) {
    const ax = x(dayNumber(timeline.anchor.date));
    el('line', { x1: ax, x2: ax, y1: top - 4, y2: top + plotHeight, stroke: '#13294b', 'stroke-dasharray': '5 4', 'stroke-width': 1.2 }, svg);
    const m = mark(svg, `Second-line relapse anchor: ${timeline.anchor.kind} on ${timeline.anchor.date}`, 'anchor', { x: ax - 30, y: top - 14, width: 60, height: 12 });
    if (timeline.anchor.eventId) m.dataset.eventId = timeline.anchor.eventId;
    el('text', { x: ax, y: top - 5, 'text-anchor': 'middle', class: 'small', fill: '#13294b' }, m, 'anchor');
  }

  const deco = (g, eventIds, cx, cy, r) => {
    const s = eventIds.map((id) => status.get(id)).find((v) => v?.status === 'corrected');
    if (s) {
      g.classList.add('corrected');
      el('circle', { cx, cy, r: r + 4, fill: 'none', stroke: CORRECTED, 'stroke-width': 2, 'stroke-dasharray': '3 2' }, g);
    }
  };
  const note = (...ids) => ids.map((id) => correctionNote(status.get(id))).join('');
  const markAt = (key, date, label, ids, draw) => {
    const cx = x(dayNumber(date));
    const cy = laneY(key);
    const g = mark(svg, label + note(...ids) + queryNote(...ids), 'tl-marker', { x: cx - 10, y: cy - 11, width: 20, height: 22 });
    g.dataset.eventId = ids[0];
    draw(g, cx, cy);
    deco(g, ids, cx, cy, 7);
    queryBadge(g, ids, cx + 9, cy - 10);
    return g;
  };

  // Diagnosis.
  if (timeline.diagnosis) {
    const d = timeline.diagnosis;
    markAt('diagnosis', d.date, `Diagnosis: ${d.histologyName ?? d.histology}${d.primarySite ? `, ${d.primarySite}` : ''}${d.metastatic ? ', metastatic' : ''} on ${d.date}`,
      [d.eventId], (g, cx, cy) => el('circle', { cx, cy, r: 6, fill: '#13294b' }, g));
  }

  // Treatment lines as bars.
  const drugs = [...new Set(timeline.treatmentLines.filter((l) => l.isMtki).map((l) => l.agents[0].toLowerCase()))];
  const lineEndFallback = timeline.death?.date ?? timeline.lastContact;
  for (const l of timeline.treatmentLines) {
    const cy = laneY('line');
    const x0 = x(dayNumber(l.startDate));
    const endIso = l.endDate ?? lineEndFallback ?? l.startDate;
    const x1 = Math.max(x0 + 3, x(dayNumber(endIso)));
    const colour = l.isMtki ? drugColour(l.agents[0], drugs) : '#7d8aa3';
    const ended = l.endDate ? `ended ${l.endDate} (${l.endReason})` : `ongoing (last contact ${timeline.lastContact})`;
    const ids = [l.eventId, l.endEventId].filter(Boolean);
    const g = mark(svg, `Line ${l.line}: ${l.regimen ?? l.agents.join(', ')}${l.isMtki ? ' (mTKI)' : ''}, from ${l.startDate}, ${ended}${note(...ids)}${queryNote(...ids)}`,
      'tl-line', { x: x0 - 2, y: cy - 12, width: x1 - x0 + 4, height: 24 });
    g.dataset.eventId = l.eventId;
    g.dataset.eventIds = ids.join(' ');
    el('rect', { x: x0, y: cy - 8, width: x1 - x0, height: 16, rx: 3, fill: colour }, g);
    if (!l.endDate) el('polygon', { points: `${x1},${cy - 10} ${x1 + 10},${cy} ${x1},${cy + 10}`, fill: colour }, g);
    const text = `L${l.line} ${l.regimen ?? ''}`.trim();
    if (x1 - x0 > 7 * text.length) el('text', { x: x0 + 5, y: cy + 4, fill: '#fff', class: 'small' }, g, text);
    else el('text', { x: x0, y: cy - 11, class: 'small' }, g, `L${l.line}`);
    if (ids.some((id) => status.get(id)?.status === 'corrected')) {
      g.classList.add('corrected');
      el('rect', { x: x0 - 3, y: cy - 11, width: x1 - x0 + 6, height: 22, rx: 4, fill: 'none', stroke: CORRECTED, 'stroke-width': 2, 'stroke-dasharray': '4 2' }, g);
    }
    queryBadge(g, ids, x0, cy - 12);

    for (const r of l.responses) {
      markAt('response', r.date, `Response ${r.category} on line ${l.line}, ${r.date}`, [r.eventId], (m, cx, cy2) => {
        el('rect', { x: cx - 9, y: cy2 - 7, width: 18, height: 14, rx: 3, fill: RESPONSE_COLOURS[r.category] ?? '#888' }, m);
        el('text', { x: cx, y: cy2 + 3.5, 'text-anchor': 'middle', class: 'small', fill: '#fff', 'font-size': '8.5px', 'font-weight': 'bold' }, m, r.category);
      });
    }
  }

  for (const p of timeline.progressions) {
    markAt('progression', p.date, `Progression on ${p.date}`, [p.eventId], (g, cx, cy) =>
      el('polygon', { points: `${cx},${cy - 7} ${cx + 6},${cy} ${cx},${cy + 7} ${cx - 6},${cy}`, fill: '#d62728' }, g));
  }
  for (const r of timeline.relapses) {
    markAt('progression', r.date, `Relapse on ${r.date}`, [r.eventId], (g, cx, cy) =>
      el('polygon', { points: `${cx},${cy - 7} ${cx + 6},${cy} ${cx},${cy + 7} ${cx - 6},${cy}`, fill: '#f08c00' }, g));
  }
  for (const a of timeline.adverseEvents) {
    markAt('adverse', a.date, `Adverse event: ${a.term}, grade ${a.grade}${a.line ? ` (line ${a.line})` : ''}, ${a.date}`, [a.eventId], (g, cx, cy) => {
      el('rect', { x: cx - 7, y: cy - 7, width: 14, height: 14, fill: a.grade >= 3 ? '#b3261e' : '#e8a0a0' }, g);
      el('text', { x: cx, y: cy + 4, 'text-anchor': 'middle', class: 'small', fill: '#fff', 'font-weight': 'bold' }, g, String(a.grade));
    });
  }
  for (const f of timeline.followUps) {
    markAt('outcome', f.date, `Follow-up: alive on ${f.date}`, [f.eventId], (g, cx, cy) =>
      el('circle', { cx, cy, r: 5, fill: '#fff', stroke: '#2e7d32', 'stroke-width': 2 }, g));
  }
  if (timeline.death) {
    const d = timeline.death;
    markAt('outcome', d.date, `Death on ${d.date}${d.cause ? ` (${d.cause})` : ''}`, [d.eventId], (g, cx, cy) =>
      el('path', { d: `M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx + 5},${cy - 5}L${cx - 5},${cy + 5}`, stroke: '#111', 'stroke-width': 2.5 }, g));
  } else if (timeline.lastContact) {
    const cx = x(dayNumber(timeline.lastContact));
    const cy = laneY('outcome');
    const g = mark(svg, `Last contact: ${timeline.lastContact}`, 'tl-marker', { x: cx - 8, y: cy - 11, width: 16, height: 22 });
    el('line', { x1: cx, x2: cx, y1: cy - 9, y2: cy + 9, stroke: '#2e7d32', 'stroke-width': 2 }, g);
  }

  // Ghosts of what was recorded before: retracted facts, and corrected facts' earlier dates.
  for (const { history: h, state: s } of ghosts) {
    const date = factDate(h.data);
    if (!isDate(date)) continue;
    if (s.status === 'corrected') {
      const replaced = history.find((c) => c.version === s.version)?.data?.replacement;
      if (replaced && factDate(replaced) === date) continue; // same date: the ring on the current entry says it
    }
    const key = LANE_OF_KIND[h.data.kind] ?? 'diagnosis';
    const cx = x(dayNumber(date));
    const cy = laneY(key);
    const what = describe(h.data.kind, h.data);
    const label = s.status === 'retracted'
      ? `Retracted entry #${h.version}: ${what}${correctionNote(s)}`
      : `Earlier value of entry #${h.version}, since corrected: ${what}${correctionNote(s)}`;
    const g = mark(svg, label, `tl-ghost ${s.status}`, { x: cx - 10, y: cy - 11, width: 20, height: 22 });
    g.dataset.eventId = h.eventId;
    el('circle', { cx, cy, r: 7, fill: '#fff', 'fill-opacity': 0.8, stroke: s.status === 'retracted' ? '#b3261e' : CORRECTED, 'stroke-width': 1.5, 'stroke-dasharray': '2 2' }, g);
    el('line', { x1: cx - 8, x2: cx + 8, y1: cy + 8, y2: cy - 8, stroke: s.status === 'retracted' ? '#b3261e' : CORRECTED, 'stroke-width': 1.8 }, g);
  }
  return svg;
}

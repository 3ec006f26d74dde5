// A few SVG drawing helpers: elements, linear scales, tick positions, axes and keyboard-focusable marks.

export const NS = 'http://www.w3.org/2000/svg';

/**
 * The charts' own styles, put into a downloaded SVG or PNG so it looks like the page (css/site.css holds the
 * same rules for the page: no <style> inside the page, for a Content-Security-Policy without inline styles).
 * A presentation attribute (fill, font-size) wins where an element sets one.
 */
export const EMBEDDED_STYLE = `
  text { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; }
  text:not([font-size]) { font-size: 11px; }
  text:not([fill]) { fill: #1d2433; }
  .axis line, .axis path { stroke: #5b6478; stroke-width: 1; fill: none; }
  .axis text:not([fill]) { fill: #3a4256; }
  .grid line { stroke: #e6e9ef; stroke-width: 1; }
  .title:not([font-size]) { font-size: 13px; }
  .title { font-weight: bold; }
  .muted:not([fill]) { fill: #5b6478; }
  .small:not([font-size]) { font-size: 10px; }
  .query-mark { fill: #ffffff; font-weight: bold; }
`;

export function el(name, attrs = {}, parent = null, text = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.append(node);
  return node;
}

/** A new chart: an svg of the given size with a white background and the embedded style. */
export function chart(width, height, label) {
  const svg = el('svg', {
    xmlns: NS, width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': label,
  });
  el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }, svg);
  return svg;
}

export function linear([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** Round tick values covering [min, max]: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function ticks(min, max, count = 6) {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/** A tick step for a time axis, and the axis end rounded up to it. */
export function niceMax(max, count = 6) {
  const t = ticks(0, max > 0 ? max : 1, count);
  const step = t.length > 1 ? t[1] - t[0] : 1;
  return Math.ceil((max > 0 ? max : 1) / step - 1e-9) * step;
}

export function bottomAxis(parent, scale, values, y, format = String, label = null, x0 = 0, x1 = 0) {
  const g = el('g', { class: 'axis' }, parent);
  el('line', { x1: x0, x2: x1, y1: y, y2: y }, g);
  for (const v of values) {
    const x = scale(v);
    el('line', { x1: x, x2: x, y1: y, y2: y + 4 }, g);
    el('text', { x, y: y + 16, 'text-anchor': 'middle' }, g, format(v));
  }
  if (label) el('text', { x: (x0 + x1) / 2, y: y + 32, 'text-anchor': 'middle', class: 'muted' }, g, label);
  return g;
}

export function leftAxis(parent, scale, values, x, format = String, label = null, y0 = 0, y1 = 0) {
  const g = el('g', { class: 'axis' }, parent);
  el('line', { x1: x, x2: x, y1: y0, y2: y1 }, g);
  for (const v of values) {
    const y = scale(v);
    el('line', { x1: x - 4, x2: x, y1: y, y2: y }, g);
    el('text', { x: x - 7, y: y + 4, 'text-anchor': 'end' }, g, format(v));
  }
  if (label) {
    const cy = (y0 + y1) / 2;
    el('text', { x: x - 40, y: cy, 'text-anchor': 'middle', transform: `rotate(-90 ${x - 40} ${cy})`, class: 'muted' }, g, label);
  }
  return g;
}

/**
 * A keyboard-focusable mark: a group with tabindex, an aria-label read by screen readers, the same text
 * as the page's tooltip on hover and focus (data-tip), and an invisible hit area for the focus ring.
 */
export function mark(parent, label, className, hit) {
  const g = el('g', { class: `mark ${className}`, tabindex: 0, role: 'img', 'aria-label': label, 'data-tip': label }, parent);
  el('rect', { class: 'hit', x: hit.x, y: hit.y, width: hit.width, height: hit.height, rx: 3, fill: 'transparent', stroke: 'none' }, g);
  return g;
}

/**
 * A mark that is a link (an SVG <a href>): focusable and followed with a click or Enter without any script,
 * with the same aria-label, tooltip and focus ring as a mark.
 */
export function linkMark(parent, href, label, className, hit) {
  const a = el('a', { href, class: `mark ${className}`, 'aria-label': label, 'data-tip': label }, parent);
  el('rect', { class: 'hit', x: hit.x, y: hit.y, width: hit.width, height: hit.height, rx: 3, fill: 'transparent', stroke: 'none' }, a);
  return a;
}

// Links from a number of a figure to the patients behind it (explain.html), with the figure's own filters.

import { query } from './api.js';

/**
 * The explain page's address for one part of a figure: figure is overall-survival, time-to-progression, response
 * or cohort; part holds the route's parameters (group, measure, time, atRisk, category, drug, mtki); filters
 * are the page's histology, unit and asOf. Times are passed as the API gave them (String of the number, exact).
 */
export function explainUrl(figure, part, filters) {
  return `explain.html${query({ figure, ...part, histology: filters.histology, unit: filters.unit, asOf: filters.asOf })}`;
}

/** Puts a number into an element as a link to the patients behind it. */
export function numberLink(node, text, href, label) {
  const a = document.createElement('a');
  a.href = href;
  a.className = 'explain';
  a.textContent = String(text);
  if (label) a.setAttribute('aria-label', label);
  node.replaceChildren(a);
  return a;
}

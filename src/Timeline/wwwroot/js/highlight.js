// The patient page's ?highlight=<event ids>: the events a figure's value came from (explain.html links here).
// Each is outlined and marked "source of the figure" (text, not colour alone) in the timeline and in the audit
// history, and the first is scrolled into view (the history's, when the address ends in #history-title).

import { el } from './svg.js';

const MARK = 'source of the figure';

/** The event ids asked for, from the address. */
export function highlightedIds(search = location.search) {
  return (new URLSearchParams(search).get('highlight') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Marks the events in the drawn timeline and history; answers how many elements it marked. */
export function highlightSources(ids = highlightedIds()) {
  const wanted = new Set(ids);
  document.getElementById('source-note')?.remove();
  if (wanted.size === 0) return 0;
  const matches = (node) => wanted.has(node.dataset.eventId) || (node.dataset.eventIds ?? '').split(' ').some((id) => wanted.has(id));

  const marks = [...document.querySelectorAll('#timeline [data-event-id]')].filter(matches);
  for (const g of marks) {
    g.classList.add('source');
    const hit = g.querySelector('.hit');
    const box = hit ? { x: +hit.getAttribute('x'), y: +hit.getAttribute('y'), w: +hit.getAttribute('width'), h: +hit.getAttribute('height') } : null;
    if (box) {
      el('rect', {
        class: 'source-outline', x: box.x - 3, y: box.y - 3, width: box.w + 6, height: box.h + 6, rx: 4,
        fill: 'none', stroke: '#6a1b9a', 'stroke-width': 2.5,
      }, g);
      el('text', { class: 'source-label', x: box.x + box.w / 2, y: box.y + box.h + 13, 'text-anchor': 'middle', 'font-size': '9px', 'font-weight': 'bold', fill: '#4a148c' }, g, 'source');
    }
    const label = g.getAttribute('aria-label') ?? '';
    if (!label.startsWith(MARK)) {
      g.setAttribute('aria-label', `${MARK}: ${label}`);
      g.setAttribute('data-tip', `${MARK}: ${g.getAttribute('data-tip') ?? label}`);
    }
  }

  const rows = [...document.querySelectorAll('#history tbody tr[data-event-id]')].filter(matches);
  for (const tr of rows) {
    tr.classList.add('source');
    const what = tr.querySelector('td.what') ?? tr.lastElementChild;
    if (!what.querySelector('.source-mark')) {
      const badge = document.createElement('span');
      badge.className = 'source-mark';
      badge.textContent = MARK;
      what.prepend(badge, ' ');
    }
  }

  // A line above the timeline saying what is highlighted, for every reader.
  const note = document.createElement('p');
  note.id = 'source-note';
  note.className = 'banner source-note';
  note.setAttribute('role', 'status');
  note.textContent = `Outlined and marked "${MARK}": ${rows.length || marks.length} recorded event${(rows.length || marks.length) === 1 ? '' : 's'} `
    + 'the figure\'s value came from (in the timeline and the audit history).';
  document.getElementById('timeline')?.before(note);

  const first = location.hash === '#history-title' ? (rows[0] ?? marks[0]) : (marks[0] ?? rows[0]);
  first?.scrollIntoView({ block: 'center' });
  return marks.length + rows.length;
}

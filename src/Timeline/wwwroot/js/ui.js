// Small page helpers: formatting, the error banner, the tooltip shown on hover and on keyboard focus.

export const DAYS_PER_MONTH = 30.4375; // 365.25 / 12, as DOMAIN.md defines a month

/** Days since 1970-01-01 of a YYYY-MM-DD clinical date (a calendar date, no time zone). */
export function dayNumber(date) {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

export function fmt(x, digits = 1) {
  return x === null || x === undefined || Number.isNaN(x) ? 'NR' : x.toFixed(digits);
}

export function pct(x) {
  return x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`;
}

/** A p value as the study reports it: three decimals, "< 0.001" below that. */
export function pValue(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A median with its interval: "12.0 (9.5–NR)". */
export function median(m, lo, hi) {
  return `${fmt(m)} (${fmt(lo)}–${fmt(hi)})`;
}

export function timestamp(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The value of a datetime-local input (local time) as an ISO instant with offset, for ?asOf=. */
export function localInputToIso(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** An ISO instant as a datetime-local input value (local time, to the second). */
export function isoToLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return timestamp(iso).replace(' ', 'T');
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Shows an error (or clears it with null) in the page's banner. */
export function showError(error) {
  const banner = document.getElementById('banner');
  if (!banner) return;
  if (!error) { banner.hidden = true; banner.textContent = ''; return; }
  banner.hidden = false;
  banner.className = 'banner error';
  banner.textContent = error.message ?? String(error);
}

// ---- tooltip: every element with data-tip shows it on mouse hover and on keyboard focus ----

let tip;

export function installTooltip(root = document) {
  if (!tip) {
    tip = document.createElement('div');
    tip.id = 'tooltip';
    tip.setAttribute('role', 'tooltip');
    tip.hidden = true;
    document.body.append(tip);
  }
  const show = (e) => {
    const target = e.target.closest?.('[data-tip]');
    if (!target) return;
    tip.textContent = target.getAttribute('data-tip');
    tip.hidden = false;
    const r = target.getBoundingClientRect();
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let x = Math.min(window.innerWidth - w - 8, Math.max(8, r.left + r.width / 2 - w / 2));
    let y = r.top - h - 8;
    if (y < 8) y = r.bottom + 8;
    tip.style.left = `${x}px`;
    tip.style.top = `${y}px`;
  };
  const hide = (e) => {
    if (e.target.closest?.('[data-tip]')) tip.hidden = true;
  };
  root.addEventListener('mouseover', show);
  root.addEventListener('focusin', show);
  root.addEventListener('mouseout', hide);
  root.addEventListener('focusout', hide);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') tip.hidden = true; });
}

/**
 * Settles once the page's state (body[data-state], which each page sets as it draws) passes `test`: modules that are
 * asides wait for it, so they neither compete with the page's own calls nor ask for a token before them.
 */
export function whenPageState(test) {
  return new Promise((resolve) => {
    const passes = () => test(document.body.dataset.state);
    if (passes()) { resolve(); return; }
    const watch = new MutationObserver(() => { if (passes()) { watch.disconnect(); resolve(); } });
    watch.observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
}

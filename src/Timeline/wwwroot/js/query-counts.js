// The cohort page's "Data queries" card: per patient, how many queries are open (awaiting the site) and answered
// (awaiting the monitor), from the query worklist (GET /api/queries) as it stands now, each patient linking to its
// page. Only for the roles that read the worklist (recorder, auditor, investigator, admin: AccessPolicy.cs); for
// the others the card stays hidden and the worklist is not asked for.

import { api, me, query } from './api.js';
import { escapeHtml, whenPageState } from './ui.js';

const READERS = ['recorder', 'auditor', 'investigator', 'admin'];

async function loadQueryCounts() {
  const card = document.getElementById('query-counts-card');
  if (!card) return;
  try {
    const user = await me();
    if (!(user?.roles ?? []).some((r) => READERS.includes(r))) return;
    const [open, answered] = await Promise.all([api(`api/queries${query({ status: 'open' })}`), api(`api/queries${query({ status: 'answered' })}`)]);
    const counts = new Map();
    const count = (q, key) => {
      const c = counts.get(q.patientId) ?? { open: 0, answered: 0 };
      c[key] += 1;
      counts.set(q.patientId, c);
    };
    for (const q of open ?? []) count(q, 'open');
    for (const q of answered ?? []) count(q, 'answered');
    // Most open queries first, then most answered, then by id: the patients the site owes answers to on top.
    const rows = [...counts].sort(([a, x], [b, y]) => y.open - x.open || y.answered - x.answered || a.localeCompare(b));
    document.querySelector('#query-counts tbody').innerHTML = rows.map(([id, c]) =>
      `<tr data-patient-id="${escapeHtml(id)}"><th scope="row"><a href="patient.html${escapeHtml(query({ id }))}#review">${escapeHtml(id)}</a></th>`
      + `<td class="num" data-count="open">${c.open}</td><td class="num" data-count="answered">${c.answered}</td></tr>`).join('');
    document.getElementById('query-counts-note').textContent = rows.length === 0
      ? 'No open or answered data query.'
      : `${open.length} open and ${answered.length} answered, on ${rows.length} patient${rows.length === 1 ? '' : 's'} (as they stand now, whatever "as of" shows).`;
    document.getElementById('query-counts').hidden = rows.length === 0;
    card.hidden = false;
  } catch (error) {
    // The card is an aside: its failure leaves the figures alone, and says so in the card.
    card.hidden = false;
    document.getElementById('query-counts').hidden = true;
    document.getElementById('query-counts-note').textContent = `The data queries could not be read: ${error.message ?? error}`;
  } finally {
    card.dataset.state = 'ready';
  }
}

// Once the figures have drawn: the card is an aside, so it neither competes with the figures' calls nor asks for a
// token before them (a 401 is theirs to meet, with the one sign-in box).
whenPageState((state) => state === 'ready').then(loadQueryCounts);

// The runs page: stored analysis runs, a run's headline figures, the diff between two runs, and a button
// that regenerates (rebuilds the projections and stores a new run).

import { api, renderWho } from './api.js';
import { escapeHtml, fmt, pct, pValue, showError, timestamp } from './ui.js';

let runs = [];

async function loadRuns(select) {
  runs = await api('api/analyses/runs');
  const tbody = document.querySelector('#runs tbody');
  if (!runs.length) {
    tbody.innerHTML = '<tr><td colspan="6" class="note">No run stored yet: regenerate to make one.</td></tr>';
    return;
  }
  const newestFirst = [...runs].reverse();
  tbody.innerHTML = newestFirst.map((r, i) => `<tr data-run-id="${r.runId}">
      <td><input type="radio" name="from" value="${r.runId}" aria-label="compare from the run of ${escapeHtml(timestamp(r.createdAt))}" ${i === 1 ? 'checked' : ''}></td>
      <td><input type="radio" name="to" value="${r.runId}" aria-label="compare to the run of ${escapeHtml(timestamp(r.createdAt))}" ${i === 0 ? 'checked' : ''}></td>
      <td class="mono"><a href="#" data-show="${r.runId}">${escapeHtml(timestamp(r.createdAt))}</a></td>
      <td>${escapeHtml(r.requestedBy ?? '—')}</td><td class="num">${r.lastSequence}</td><td class="num">${r.elapsedMs}</td></tr>`).join('');
  updateCompare();
  if (select) await showRun(select);
}

function updateCompare() {
  const from = document.querySelector('input[name=from]:checked');
  const to = document.querySelector('input[name=to]:checked');
  document.getElementById('compare').disabled = !(from && to && from.value !== to.value);
}

async function showRun(id) {
  const run = await api(`api/analyses/runs/${id}`);
  const f = run.figures;
  const os = f.overallSurvival;
  const osteo = f.overallSurvivalByHistology?.['9180/3'];
  const lr = (x) => (x?.logRank ? `χ² ${x.logRank.chiSquare.toFixed(2)}, p = ${pValue(x.logRank.p)}` : '–');
  const row = (k, v) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  document.getElementById('run-figures').innerHTML = `
    <h3 class="sub">Run of ${escapeHtml(timestamp(run.createdAt))} (events up to #${run.lastSequence})</h3>
    <table class="data" id="run-figure-table"><tbody>
      ${row('patients / started an mTKI', `${f.cohort.patients} / ${f.cohort.mtkiPatients}`)}
      ${row('median age at mTKI start', fmt(f.cohort.medianAgeAtMtkiStart))}
      ${row('median TTP (months)', fmt(f.timeToProgression.ttp.median))}
      ${row('ORR', `${pct(f.response.orr)} (${f.response.counts.CR + f.response.counts.PR} of ${f.response.n})`)}
      ${row('OS log-rank, all histologies', lr(os))}
      ${row('OS log-rank, osteosarcoma', lr(osteo))}
    </tbody></table>`;
}

async function compare() {
  const from = document.querySelector('input[name=from]:checked')?.value;
  const to = document.querySelector('input[name=to]:checked')?.value;
  if (!from || !to) return;
  const diff = await api(`api/analyses/runs/${from}/diff/${to}`);
  const value = (v) => (v === null || v === undefined ? '—' : escapeHtml(typeof v === 'number' ? +v.toPrecision(6) : JSON.stringify(v)));
  const changes = diff.changes.length
    ? `<table class="data" id="diff-changes"><thead><tr><th>figure</th><th class="num">before</th><th class="num">after</th></tr></thead><tbody>
        ${diff.changes.map((c) => `<tr><td class="mono">${escapeHtml(c.figure)}</td><td class="num diff-before">${value(c.before)}</td><td class="num diff-after">${value(c.after)}</td></tr>`).join('')}
       </tbody></table>`
    : '<p class="note" id="diff-changes">No figure changed.</p>';
  const causes = diff.causes.length
    ? `<table class="data" id="diff-causes"><thead><tr><th class="num">event</th><th>patient</th><th>what</th><th>reason</th><th>by</th><th>recorded</th></tr></thead><tbody>
        ${diff.causes.map((c) => `<tr><td class="num">${c.sequence}</td><td><a href="patient.html?id=${encodeURIComponent(c.patientId)}">${escapeHtml(c.patientId)}</a></td>
          <td>${escapeHtml(c.type)}</td><td>${escapeHtml(c.reason ?? '')}</td><td>${escapeHtml(c.recordedBy ?? '—')}</td><td class="mono">${escapeHtml(timestamp(c.recordedAt))}</td></tr>`).join('')}
       </tbody></table>`
    : '<p class="note">No event was recorded between the two runs.</p>';
  document.getElementById('diff').innerHTML = `
    <p class="note">From the run of ${escapeHtml(timestamp(diff.from.createdAt))} (events up to #${diff.from.lastSequence})
      to the run of ${escapeHtml(timestamp(diff.to.createdAt))} (up to #${diff.to.lastSequence}).</p>
    <h3 class="sub first">${diff.changes.length} figures changed</h3>${changes}
    <h3 class="sub">${diff.causes.length} events recorded in between</h3>${causes}`;
}

async function regenerate() {
  const button = document.getElementById('regenerate');
  const status = document.getElementById('status');
  button.disabled = true;
  status.textContent = 'Regenerating…';
  try {
    const answer = await api('api/analyses/regenerate', { method: 'POST' });
    status.textContent = `Stored a new run in ${answer.elapsedMs} ms (events up to #${answer.lastSequence}).`;
    await loadRuns(answer.runId);
  } finally {
    button.disabled = false;
  }
}

const guard = (f) => async (...args) => {
  showError(null);
  document.body.dataset.state = 'loading';
  try {
    await f(...args);
    document.body.dataset.state = 'ready';
  } catch (error) {
    showError(error);
    document.body.dataset.state = 'error';
  }
};

renderWho();
document.getElementById('regenerate').addEventListener('click', guard(regenerate));
document.getElementById('compare').addEventListener('click', guard(compare));
document.getElementById('runs').addEventListener('change', updateCompare);
document.getElementById('runs').addEventListener('click', (e) => {
  const link = e.target.closest('[data-show]');
  if (!link) return;
  e.preventDefault();
  guard(showRun)(link.dataset.show);
});
guard(async () => {
  await loadRuns();
  if (runs.length) await showRun(runs[runs.length - 1].runId);
  if (runs.length > 1) await compare();
})();

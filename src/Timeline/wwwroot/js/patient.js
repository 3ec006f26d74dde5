// The patient page: the timeline (now or as of a past recorded time) and the audit history below it.

import { api, query, renderWho } from './api.js';
import { downloadPng, downloadSvg } from './download.js';
import { highlightedIds, highlightSources } from './highlight.js';
import { loadPatientOptions } from './patient-list.js';
import { describe, statusMap, timelinePlot } from './timeline.js';
import { escapeHtml, installTooltip, isoToLocalInput, localInputToIso, showError, timestamp } from './ui.js';

const select = document.getElementById('patient');
const asOfInput = document.getElementById('asof');
let generation = 0;

async function loadPatients() {
  await loadPatientOptions(select, new URLSearchParams(location.search).get('id') ?? '');
}

async function load() {
  const g = ++generation;
  const id = select.value;
  const asOf = localInputToIso(asOfInput.value);
  // The highlight (?highlight=, from explain.html) belongs to the patient it came with.
  const highlight = id === new URLSearchParams(location.search).get('id') ? highlightedIds().join(',') : '';
  history.replaceState(null, '', `${location.pathname}${query({ id, asOf, highlight })}${highlight ? location.hash : ''}`);
  showError(null);
  if (!id) {
    document.body.dataset.state = 'ready';
    return;
  }
  document.body.dataset.state = 'loading';
  try {
    const path = `api/patients/${encodeURIComponent(id)}`;
    const [timeline, events] = await Promise.all([api(`${path}/timeline${query({ asOf })}`), api(`${path}/history`)]);
    if (g !== generation) return;
    render(timeline, events, asOf);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (g !== generation) return;
    document.getElementById('timeline').replaceChildren();
    document.querySelector('#history tbody').replaceChildren();
    showError(error);
    document.body.dataset.state = 'error';
  }
}

function render(t, events, asOf) {
  document.title = `${t.patientId} — Sarcoma treatment timeline`;
  document.getElementById('patient-title').firstChild.textContent = `Timeline of ${t.patientId} `;
  document.getElementById('basis').innerHTML = asOf
    ? `<strong>As of ${escapeHtml(timestamp(asOf))}</strong><br>${t.version} events known then`
    : `Now: ${t.version} events`;
  const fact = (k, v) => `<div class="stat"><div class="v">${escapeHtml(v ?? '–')}</div><div class="k">${escapeHtml(k)}</div></div>`;
  const d = t.diagnosis;
  document.getElementById('facts').innerHTML = [
    fact('born, sex', t.demographics ? `${t.demographics.birthDate}, ${t.demographics.sex}${t.demographics.corrected ? ' (corrected)' : ''}` : null),
    fact('diagnosis', d ? `${d.histologyName ?? d.histology}, ${d.date}` : null),
    fact('primary site', d?.primarySite ? `${d.primarySite}${d.metastatic ? ', metastatic' : ''}` : null),
    fact('second-line anchor', t.anchor ? `${t.anchor.kind} ${t.anchor.date}` : 'none'),
    fact(t.death ? 'died' : 'last contact', t.death ? t.death.date : t.lastContact),
  ].join('');

  document.getElementById('timeline').replaceChildren(timelinePlot(t, events, { asOf }));
  renderHistory(events, asOf);
  highlightSources();
}

function renderHistory(events, asOf) {
  const status = statusMap(events, asOf);
  const cutoff = asOf ? new Date(asOf).getTime() : Infinity;
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const rows = events.map((e) => {
    const later = new Date(e.recordedAt).getTime() > cutoff;
    const s = status.get(e.eventId);
    let what;
    let cls = '';
    if (e.correction) {
      const target = byId.get(e.correction.eventId);
      const targetText = target ? `#${target.version} (${describe(target.data?.kind, target.data)})` : e.correction.eventId;
      what = e.type === 'fact-retracted'
        ? `Retracts ${targetText}`
        : `Corrects ${targetText} to: ${describe(e.data?.replacement?.kind, e.data?.replacement ?? {})}`;
      what = `${escapeHtml(what)}<br><em>Reason: ${escapeHtml(e.correction.reason)}</em>`;
      cls = 'is-correction';
    } else {
      what = escapeHtml(describe(e.data?.kind, e.data ?? {}));
    }
    const state = later ? 'active' : (s?.status ?? 'active');
    const badge = `<span class="badge ${state}">${state}</span>`;
    const because = s && !later ? `<br>by entry #${s.version}: ${escapeHtml(s.reason)}` : '';
    if (state !== 'active') cls += ` status-${state}`;
    if (later) cls += ' later';
    return `<tr id="entry-${e.version}" class="${cls.trim()}" data-event-id="${e.eventId}">`
      + `<td class="num">${e.version}</td><td class="mono">${escapeHtml(timestamp(e.recordedAt))}</td>`
      + `<td>${escapeHtml(e.recordedBy ?? '—')}</td><td class="what">${what}</td><td>${badge}${because}${later ? '<br>(recorded after the chosen time)' : ''}</td></tr>`;
  });
  document.querySelector('#history tbody').innerHTML = rows.join('');
}

// ---- wiring ----

renderWho();
installTooltip();
asOfInput.value = isoToLocalInput(new URLSearchParams(location.search).get('asOf'));
select.addEventListener('change', load);
asOfInput.addEventListener('change', load);
document.getElementById('filters').addEventListener('submit', (e) => { e.preventDefault(); load(); });
document.getElementById('asof-now').addEventListener('click', () => { asOfInput.value = ''; load(); });
document.addEventListener('click', async (e) => {
  const button = e.target.closest('[data-download]');
  const svg = document.querySelector('#timeline svg');
  if (!button || !svg) return;
  const name = `timeline-${select.value}`;
  try {
    if (button.dataset.download === 'svg') downloadSvg(svg, name); else await downloadPng(svg, name);
  } catch (error) { showError(error); }
});

loadPatients().then(load).catch((error) => { showError(error); document.body.dataset.state = 'error'; });

// The patient page: the timeline (now or as of a past recorded time) and the audit history below it.

import { api, query, renderWho } from './api.js';
import { downloadPng, downloadSvg } from './download.js';
import { SUFFIX_OF_KIND, changeForm, initRecordingForms, setRecordingContext } from './forms.js';
import { highlightedIds, highlightSources } from './highlight.js';
import { loadPatientOptions } from './patient-list.js';
import { renderFactsInForce } from './recorder-facts.js';
import { initReviewActions, renderReviewActions } from './review-actions.js';
import { describe, queriesByFact, statusMap, timelinePlot } from './timeline.js';
import { escapeHtml, installTooltip, isoToLocalInput, localInputToIso, showError, timestamp } from './ui.js';

const select = document.getElementById('patient');
const asOfInput = document.getElementById('asof');
let generation = 0;
/** Whether this user may record and correct (GET /api/me: recorder or admin). */
let canRecord = false;
/** The correction or retraction form open in the history: { form, row } (the event id of the row it sits under). */
let openChange = null;

async function loadMe() {
  const me = await api('api/me');
  canRecord = (me?.roles ?? []).some((r) => r === 'recorder' || r === 'admin');
  initReviewActions(me, load);
}

/** Why nothing may be recorded or corrected now, or ''. */
function blockedBecause(t) {
  if (!canRecord) return 'your role cannot record or correct facts (only a recorder or an administrator can).';
  if (t?.locked) return `the record is locked by ${t.locked.by}: ${t.locked.reason}. An administrator must unlock it first.`;
  return '';
}

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
    setRecordingContext('', null, '');
    renderReviewActions(null);
    document.body.dataset.state = 'ready';
    return;
  }
  document.body.dataset.state = 'loading';
  try {
    const path = `api/patients/${encodeURIComponent(id)}`;
    const [timeline, history, queries] = await Promise.all([
      api(`${path}/timeline${query({ asOf })}`), loadHistory(id), loadQueries(id)]);
    if (g !== generation) return;
    const blocked = blockedBecause(timeline);
    const events = history ?? [];
    render(timeline, events, asOf, queries, blocked);
    if (history === null) {
      // Keep the reason correcting is off (a lock, a past time), else say where a recorder corrects.
      const note = document.getElementById('change-note');
      const off = blocked || asOf ? ` ${note.textContent}`
        : canRecord ? ' Correct or Retract a fact below; each change needs a reason (the enrolment is corrected by a user who may read the history).' : '';
      note.textContent = `The audit history (who recorded what, and every change) is for auditors and investigators.${off}`;
    }
    renderFactsInForce(recorderFacts(), history === null && canRecord ? timeline : null,
      { enabled: !asOf && !blocked, reload: load, done: changeDone });
    setRecordingContext(timeline.patientId, timeline.version, asOf, blocked);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (g !== generation) return;
    document.getElementById('timeline').replaceChildren();
    document.querySelector('#history tbody').replaceChildren();
    setRecordingContext('', null, '');
    renderFactsInForce(recorderFacts(), null, {});
    renderReviewActions(null);
    showError(error);
    document.body.dataset.state = 'error';
  }
}

/** Where a recorder's "Facts in force" go (js/recorder-facts.js): under the history's notes. */
function recorderFacts() {
  let box = document.getElementById('recorder-facts');
  if (!box) {
    box = document.createElement('div');
    box.id = 'recorder-facts';
    document.getElementById('change-done').after(box);
  }
  return box;
}

/** What a correction or retraction recorded, said where the focus goes next. */
function changeDone(text) {
  const done = document.getElementById('change-done');
  done.textContent = text;
  done.focus();
}

/** The patient's audit history; null when this user's role may not read it (a recorder: the forms still record). */
async function loadHistory(id) {
  try {
    return await api(`api/patients/${encodeURIComponent(id)}/history`);
  } catch (error) {
    if (error.status === 403) return null;
    throw error;
  }
}

/** The patient's data queries (every state); null when this user's role does not see the worklist. */
async function loadQueries(id) {
  try {
    return await api(`api/queries${query({ patientId: id })}`);
  } catch (error) {
    if (error.status === 403) return null;
    throw error;
  }
}

function render(t, events, asOf, queries, blocked) {
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

  document.getElementById('timeline').replaceChildren(timelinePlot(t, events, { asOf, queries }));
  renderReview(t, events, queries, asOf);
  renderHistory(events, asOf, queries, blocked);
  renderReviewActions({ timeline: t, events, queries, asOf });
  highlightSources();
}

/** The lock in force, the signatures (current or superseded) and the data queries, with the facts they concern. */
function renderReview(t, events, queries, asOf) {
  const lock = document.getElementById('lock');
  lock.className = `lock-state ${t.locked ? 'locked' : 'open'}`;
  lock.innerHTML = t.locked
    ? `<strong>Locked</strong> by ${escapeHtml(t.locked.by)} at ${escapeHtml(timestamp(t.locked.at))}: ${escapeHtml(t.locked.reason)}.`
      + ' No fact or correction can be recorded until an administrator unlocks the record.'
    : `Not locked${asOf ? ' at the chosen time' : ''}: facts and corrections may be recorded.`;

  const byId = new Map(events.map((e) => [e.eventId, e]));
  const signatures = t.signatures ?? [];
  document.getElementById('signatures').innerHTML = signatures.length === 0
    ? '<li>No signature yet.</li>'
    : signatures.map((s) => {
      const later = s.supersededBy ? byId.get(s.supersededBy) : null;
      const why = s.status === 'superseded'
        ? `<br><span class="who">superseded by ${later ? `entry #${later.version} (${escapeHtml(entryText(later))})` : 'a later entry'}</span>` : '';
      return `<li data-signature-id="${escapeHtml(s.eventId)}"><span class="badge ${escapeHtml(s.status)}">${escapeHtml(s.status)}</span> `
        + `<strong>${escapeHtml(s.meaning)}</strong> by ${escapeHtml(s.signer)}, ${escapeHtml(timestamp(s.signedAt))}`
        + `<br><span class="who">covers the record up to entry #${s.coversVersion}</span>${why}</li>`;
    }).join('');

  const list = document.getElementById('queries');
  document.getElementById('queries-note').textContent = queries === null ? '(not shown for your role)'
    : asOf ? '(as they stand now)' : '';
  if (queries === null) { list.replaceChildren(); return; }
  list.innerHTML = queries.length === 0 ? '<li>No data query.</li>' : queries.map((q) => {
    const fact = q.eventId ? byId.get(q.eventId) : null;
    const on = q.eventId
      ? (fact ? `<a href="#entry-${fact.version}">entry #${fact.version}</a>: ${escapeHtml(entryText(fact))}` : 'a fact')
      : 'the patient as a whole';
    const dialogue = (q.messages ?? []).map((m) =>
      `<br><span class="who">${escapeHtml(m.kind)} by ${escapeHtml(m.by)}, ${escapeHtml(timestamp(m.at))}${m.text ? ':' : ''}</span> ${escapeHtml(m.text ?? '')}`).join('');
    return `<li data-query-id="${escapeHtml(q.id)}"><span class="badge ${escapeHtml(q.status)}">${escapeHtml(q.status)}</span> on ${on}${dialogue}</li>`;
  }).join('');
}

/** What one history entry says: a clinical fact, or a lock, an unlock or a signature. */
function entryText(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'patient-locked': return `Locked: ${d.reason}`;
    case 'patient-unlocked': return `Unlocked: ${d.reason}`;
    case 'record-signed': return `Signed (${d.meaning}) by ${d.signer}, covering entries up to #${d.coversVersion}`;
    default: return describe(d.kind, d);
  }
}

/**
 * Which rows carry "Correct" and "Retract": each fact still in force, on the row that shows its current value (the
 * fact itself, or its latest correction); the request names the original fact. An enrolment is corrected (birth date,
 * sex) but never retracted (the API refuses: the patient's stream would have no patient). Not a retracted fact, a
 * lock, a signature or a correction of its own.
 * rowEventId → { target, kind, current }.
 */
function changeable(events) {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const out = new Map();
  for (const e of events) {
    if (e.correction) {
      const target = byId.get(e.correction.eventId);
      if (e.type === 'fact-corrected' && target?.status === 'corrected' && target.correctedBy === e.eventId
        && SUFFIX_OF_KIND[target.data?.kind]) {
        out.set(e.eventId, { target: target.eventId, kind: target.data.kind, current: e.data?.replacement ?? {} });
      }
    } else if (e.status === 'active' && SUFFIX_OF_KIND[e.data?.kind]) {
      out.set(e.eventId, { target: e.eventId, kind: e.data.kind, current: e.data });
    }
  }
  return out;
}

function renderHistory(events, asOf, queries, blocked) {
  const status = statusMap(events, asOf);
  const queried = queriesByFact(queries);
  const cutoff = asOf ? new Date(asOf).getTime() : Infinity;
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const change = asOf || blocked ? new Map() : changeable(events);
  document.getElementById('change-note').textContent = blocked ? `Correcting is off: ${blocked}`
    : asOf ? 'Correcting is off while the page shows a past time: press "Now" first.'
      : 'Correct or Retract a fact on the row that shows its current value; each change needs a reason.';
  // Each fact's value as it stood before each correction: a correction shows what it replaced (the original, or an earlier correction).
  const value = new Map();
  const rows = events.map((e) => {
    const later = new Date(e.recordedAt).getTime() > cutoff;
    const s = status.get(e.eventId);
    let what;
    let cls = '';
    if (e.correction) {
      const target = byId.get(e.correction.eventId);
      const before = value.get(e.correction.eventId) ?? target?.data;
      const targetText = target ? `#${target.version} (${describe(before?.kind, before ?? {})})` : e.correction.eventId;
      what = e.type === 'fact-retracted'
        ? escapeHtml(`Retracts ${targetText}`)
        : `${escapeHtml(`Corrects #${target?.version ?? e.correction.eventId}:`)}${sideBySide(before, e.data?.replacement)}`;
      if (e.type === 'fact-corrected' && !later) value.set(e.correction.eventId, e.data?.replacement);
      what = `${what}<em>Reason: ${escapeHtml(e.correction.reason)}</em>`;
      cls = 'is-correction';
    } else {
      what = escapeHtml(entryText(e));
      if (e.type === 'patient-locked' || e.type === 'patient-unlocked' || e.type === 'record-signed') cls = 'is-review';
    }
    for (const q of queried.get(e.eventId) ?? []) {
      what += `<br><span class="badge ${escapeHtml(q.status)}">query ${escapeHtml(q.status)}</span> ${escapeHtml(q.messages?.[0]?.text ?? '')}`;
      if (!cls.includes('has-query')) cls += ' has-query';
    }
    const state = later ? 'active' : (s?.status ?? 'active');
    const badge = `<span class="badge ${state}">${state}</span>`;
    const because = s && !later ? `<br>by entry #${s.version}: ${escapeHtml(s.reason)}` : '';
    if (state !== 'active') cls += ` status-${state}`;
    if (later) cls += ' later';
    const c = change.get(e.eventId);
    const retract = c?.kind === 'enrolment'
      ? ' <span class="muted-inline">(an enrolment cannot be retracted: correct it instead)</span>'
      : ' <button type="button" data-change="retract">Retract</button>';
    const actions = c ? `<br><span class="change-actions"><button type="button" data-change="correct">Correct</button>${retract}</span>` : '';
    return `<tr id="entry-${e.version}" class="${cls.trim()}" data-event-id="${e.eventId}">`
      + `<td class="num">${e.version}</td><td class="mono">${escapeHtml(timestamp(e.recordedAt))}</td>`
      + `<td>${escapeHtml(e.recordedBy ?? '—')}${e.source ? `<br><span class="muted-inline">${escapeHtml(e.source)}</span>` : ''}</td><td class="what">${what}</td><td>${badge}${because}${later ? '<br>(recorded after the chosen time)' : ''}${actions}</td></tr>`;
  });
  document.querySelector('#history tbody').innerHTML = rows.join('');
  changes = change;
  // A form left open (e.g. across "Reload and retry") goes back under its row while that row still offers it.
  if (openChange) {
    const row = document.querySelector(`#history tr[data-event-id="${openChange.row}"]`);
    if (row && change.get(openChange.row)?.target === openChange.form.dataset.target) placeChange(row, openChange.form);
    else openChange = null;
  }
}

let changes = new Map();

/** A correction's value before and after, side by side (a two-column list: before | after). */
function sideBySide(before, after) {
  const cell = (label, d) => `<div><span class="k">${label}</span> ${escapeHtml(describe(d?.kind, d ?? {}))}</div>`;
  return `<div class="side-by-side">${cell('before', before)}${cell('after', after)}</div>`;
}

function placeChange(row, form) {
  const tr = document.createElement('tr');
  tr.className = 'change-row';
  const td = document.createElement('td');
  td.colSpan = row.cells.length;
  td.append(form);
  tr.append(td);
  row.after(tr);
}

function closeChange() {
  document.querySelector('#history tr.change-row')?.remove();
  openChange = null;
}

/** "Correct" or "Retract" on a history row: the form opens under it. */
function startChange(button) {
  const row = button.closest('tr');
  const c = changes.get(row.dataset.eventId);
  if (!c) return;
  closeChange();
  const mode = button.dataset.change;
  const form = changeForm(mode, c.target, c.kind, c.current, async () => {
    closeChange();
    await load();
    const target = document.querySelector(`#history tr[data-event-id="${c.target}"]`);
    const done = document.getElementById('change-done');
    done.textContent = mode === 'correct'
      ? `Correction recorded; entry ${target?.id.replace('entry-', '#') ?? ''} now shows as corrected.`
      : `Retraction recorded; entry ${target?.id.replace('entry-', '#') ?? ''} now shows as retracted.`;
    done.focus(); // the form is gone: focus goes to what happened, not back to the top of the page
  });
  if (!form) return;
  openChange = { form, row: row.dataset.eventId };
  placeChange(row, form);
  form.querySelector('input, select')?.focus();
}

// ---- wiring ----

renderWho();
installTooltip();
asOfInput.value = isoToLocalInput(new URLSearchParams(location.search).get('asOf'));
select.addEventListener('change', () => { closeChange(); load(); });
document.querySelector('#history tbody').addEventListener('click', (e) => {
  const button = e.target.closest('button[data-change]');
  if (button) { document.getElementById('change-done').textContent = ''; startChange(button); }
});
document.querySelector('#history tbody').addEventListener('change-cancel', () => closeChange());
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

Promise.all([loadPatients(), loadMe(), initRecordingForms(document.getElementById('record-forms'), load)]).then(load).catch((error) => { showError(error); document.body.dataset.state = 'error'; });

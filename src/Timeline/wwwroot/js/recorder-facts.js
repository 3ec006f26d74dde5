// "Facts in force" for a recorder, who records and corrects but may not read the audit history (who recorded what,
// every change: auditors and investigators). The current timeline names the fact behind each value it shows (its
// eventId, the original even once corrected), so each fact gets "Correct" and "Retract" here, with the same forms
// as in the history (js/forms.js changeForm). The enrolment (the demographics' eventId) has "Correct" only: an
// enrolment is never retracted (the patient would have none).

import { changeForm } from './forms.js';
import { describe } from './timeline.js';

/** The timeline's facts in force: { eventId, kind, current } (current = the recording route's body, to prefill). */
export function factsInForce(t) {
  const out = [];
  const add = (eventId, kind, current) => { if (eventId) out.push({ eventId, kind, current: { kind, ...current } }); };
  const e = t.demographics;
  if (e) add(e.eventId, 'enrolment', { birthDate: e.birthDate, sex: e.sex });
  const d = t.diagnosis;
  if (d) add(d.eventId, 'diagnosis', { date: d.date, histology: d.histology, primarySite: d.primarySite, metastatic: d.metastatic });
  for (const l of t.treatmentLines ?? []) {
    add(l.eventId, 'treatment-line', { line: l.line, startDate: l.startDate, regimen: l.regimen, agents: l.agents });
    if (l.endEventId) add(l.endEventId, 'treatment-line-end', { line: l.line, date: l.endDate, reason: l.endReason });
    for (const r of l.responses ?? []) add(r.eventId, 'response', { date: r.date, line: l.line, category: r.category });
  }
  for (const p of t.progressions ?? []) add(p.eventId, 'progression', { date: p.date });
  for (const r of t.relapses ?? []) add(r.eventId, 'relapse', { date: r.date });
  for (const a of t.adverseEvents ?? []) add(a.eventId, 'adverse-event', { date: a.date, line: a.line, term: a.term, grade: a.grade });
  for (const f of t.followUps ?? []) add(f.eventId, 'follow-up', { date: f.date });
  if (t.death) add(t.death.eventId, 'death', { date: t.death.date, cause: t.death.cause });
  const dateOf = (f) => f.current.date ?? f.current.startDate ?? '';
  return out.sort((a, b) => dateOf(a).localeCompare(dateOf(b)));
}

let open = null; // { eventId, mode, item } of the form left open across a redraw (e.g. "Reload and retry")

/**
 * Draws the list into `container` (null timeline: empties it). `enabled` false lists without buttons (a lock, a past
 * "as of"); `reload` redraws the page; `done(text)` tells the page what was recorded.
 */
export function renderFactsInForce(container, t, { enabled, reload, done }) {
  if (!t) { container.replaceChildren(); open = null; return; }
  const heading = document.createElement('h3');
  heading.textContent = 'Facts in force';
  const list = document.createElement('ul');
  list.className = 'review-list facts-in-force';
  for (const fact of factsInForce(t)) {
    const li = document.createElement('li');
    li.dataset.eventId = fact.eventId;
    li.append(describe(fact.kind, fact.current));
    if (enabled) {
      const actions = document.createElement('span');
      actions.className = 'change-actions';
      const modes = fact.kind === 'enrolment' ? [['correct', 'Correct']] : [['correct', 'Correct'], ['retract', 'Retract']];
      for (const [mode, text] of modes) {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.change = mode;
        button.textContent = text;
        button.setAttribute('aria-label', `${text}: ${describe(fact.kind, fact.current)}`);
        button.addEventListener('click', () => start(li, fact, mode, reload, done));
        actions.append(' ', button);
      }
      li.append(actions);
    }
    list.append(li);
  }
  container.replaceChildren(heading, list);
  if (open && enabled) {
    const li = list.querySelector(`li[data-event-id="${open.eventId}"]`);
    if (li) li.append(open.form); else open = null;
  } else open = null;
}

function start(li, fact, mode, reload, done) {
  open?.form.remove();
  const form = changeForm(mode, fact.eventId, fact.kind, fact.current, async () => {
    open?.form.remove();
    open = null;
    await reload();
    done(mode === 'correct' ? `Correction recorded: ${describe(fact.kind, fact.current)} was replaced.`
      : `Retraction recorded: ${describe(fact.kind, fact.current)} is retracted.`);
  });
  if (!form) return;
  form.addEventListener('change-cancel', () => { form.remove(); open = null; li.querySelector(`button[data-change="${mode}"]`)?.focus(); });
  open = { eventId: fact.eventId, form };
  li.append(form);
  form.querySelector('input, select')?.focus();
}

// What a 412 means in words: the entries recorded since the version the page showed. A user who may read the history
// sees each of them (who, what); a recorder, who may not, sees how many, from the version the API answered.

import { api } from './api.js';
import { describe } from './timeline.js';

/** One history entry as a line: "#n by NAME: what". */
function entryLine(e, byId) {
  const d = e.data ?? {};
  const target = e.correction ? byId.get(e.correction.eventId) : null;
  const what = e.type === 'fact-corrected' ? `corrects #${target?.version ?? '?'} to ${describe(d.replacement?.kind, d.replacement ?? {})}`
    : e.type === 'fact-retracted' ? `retracts #${target?.version ?? '?'}`
      : d.kind ? describe(d.kind, d) : e.type;
  return `#${e.version} by ${e.recordedBy}: ${what}`;
}

/**
 * A list of what was recorded in `patientId`'s record after version `seen` (`current`: the version the 412 named, or
 * null). Never fails: without the history it says how many entries, or nothing.
 */
export async function whatChanged(patientId, seen, current) {
  const box = document.createElement('div');
  box.className = 'what-changed';
  try {
    const history = await api(`api/patients/${encodeURIComponent(patientId)}/history`);
    const byId = new Map(history.map((e) => [e.eventId, e]));
    const later = history.filter((e) => e.version > seen);
    if (later.length === 0) return box;
    box.append(`Recorded since version ${seen}:`);
    const list = document.createElement('ul');
    for (const e of later) {
      const li = document.createElement('li');
      li.textContent = entryLine(e, byId);
      list.append(li);
    }
    box.append(list);
  } catch {
    if (current !== null && current !== undefined && current > seen) {
      const n = current - seen;
      box.textContent = `${n} ${n === 1 ? 'entry was' : 'entries were'} recorded since version ${seen} (now ${current}).`;
    }
  }
  return box;
}

// What a re-plan changed, in words and a table: where it started and why, the finish
// before and after, the sessions kept, moved, added and dropped, each moved session's
// old and new time. The plan page outlines the moved sessions (MOVED_KEY).
import { element, formatMoment, MOVED_KEY, sessionTitle, tableWithHeader } from "./api.js";

const SHOWN = 30; // moved sessions listed; the rest are counted

function paragraph(text, className = "") {
  return element("p", { className, textContent: text });
}

function finishWords(changes, zone) {
  const days = changes.days_later;
  const moved =
    days === null
      ? ""
      : days === 0
        ? " (the same day)"
        : ` (${Math.abs(days)} days ${days > 0 ? "later" : "earlier"})`;
  const when = (iso) => (iso ? formatMoment(iso, zone) : "—");
  return `Finish: ${when(changes.finish_before)} → ${when(changes.finish_after)}${moved}.`;
}

function movedTable(movedSessions, previous, plan) {
  const table = tableWithHeader("diff-table", "Moved sessions", ["Session", "Was", "Now"]);
  const body = table.createTBody();
  for (const session of movedSessions.slice(0, SHOWN)) {
    const row = body.insertRow();
    row.insertCell().textContent = sessionTitle(session, plan);
    row.insertCell().textContent = formatMoment(previous.get(session.uid).start, plan.timezone);
    row.insertCell().textContent = formatMoment(session.start, plan.timezone);
  }
  return table;
}

/**
 * Shows in #replan-result what the re-plan from `before` to `after` (its answer)
 * changed; `chosenDay`: the day the learner asked to plan from, if they chose one.
 */
export function describeChanges(before, after, planId, chosenDay = null) {
  const { changes, started } = after;
  const zone = after.plan.timezone;
  const parts = [element("h3", { textContent: "What the re-plan changed" })];
  if (started) {
    const why = started.as_of === chosenDay ? "the start of the day you chose" : started.why;
    parts.push(paragraph(`Planned again from ${formatMoment(started.at, zone)} (${why}).`));
  }
  // A new release changed the roadmap: the plan was upgraded, its history kept.
  if (after.roadmap_changed) parts.push(paragraph(after.roadmap_changed, "alert alert-info"));
  parts.push(paragraph(finishWords(changes, zone)));
  if (changes.soon_days) {
    const changed = changes.changed_soon === 1 ? "1 session" : `${changes.changed_soon} sessions`;
    parts.push(paragraph(`Next ${changes.soon_days} days: ${changed} changed.`));
  }
  parts.push(
    paragraph(
      `Sessions: ${changes.kept} kept, ${changes.moved} moved, ${changes.added} added, ` +
        `${changes.dropped} dropped; ${changes.done} done so far ` +
        `(${changes.hours_done} h done, ${changes.hours_left} h left).`,
    ),
  );
  const previous = new Map(before.plan.sessions.map((session) => [session.uid, session]));
  const movedSessions = after.plan.sessions.filter(
    (session) =>
      !session.done &&
      previous.has(session.uid) &&
      previous.get(session.uid).start !== session.start,
  );
  sessionStorage.setItem(MOVED_KEY, JSON.stringify(movedSessions.map((session) => session.uid)));
  for (const warning of after.warnings || []) parts.push(paragraph(warning, "alert alert-info"));
  if (movedSessions.length) {
    parts.push(movedTable(movedSessions, previous, after.plan));
    if (movedSessions.length > SHOWN)
      parts.push(paragraph(`and ${movedSessions.length - SHOWN} more.`));
  }
  const link = document.createElement("a");
  link.href = `/plan/${encodeURIComponent(planId)}`;
  link.textContent = "See the new plan in the calendar (moved sessions are outlined)";
  parts.push(link);
  const result = document.getElementById("replan-result");
  result.replaceChildren(...parts);
  result.focus();
}

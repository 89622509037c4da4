// The progress record as the API keeps it, read and written at the level of sessions:
// each planned session done, done for N minutes, missed, or not reported (`sessions`);
// beside it the shortcuts (topics done or skipped, a topic's hours, missed day ranges,
// study outside the plan). Which report wins for a session is the API's to say
// (`reports` in a plan's answer), so the page shows what a re-plan will count.

import { expandIds } from "./status.js";

/** What a session's record says: "done", "partly" (with minutes) or "missed". */
export function markOf(entry) {
  if (typeof entry === "string") return { state: "done" };
  if (entry.missed) return { state: "missed" };
  if (entry.minutes !== null && entry.minutes !== undefined)
    return { state: "partly", minutes: entry.minutes };
  return { state: "done" };
}

/** UID -> mark, for every session the record reports. */
export function recordedMarks(progress) {
  const marks = new Map();
  for (const entry of progress?.sessions || []) {
    marks.set(typeof entry === "string" ? entry : entry.session, markOf(entry));
  }
  return marks;
}

/** The record entry for a mark, in the record's short form (a UID alone: done). */
function entryFor(uid, mark) {
  if (mark.state === "missed") return { session: uid, missed: true };
  if (mark.state === "partly") return { session: uid, minutes: mark.minutes };
  return uid;
}

export function plannedMinutes(session) {
  return Math.round((new Date(session.end) - new Date(session.start)) / 60000);
}

/**
 * How the record reads for each session, as the API says (`record.reports`, the rule of
 * planner/planning/session_reports.py): `report(session)` is "done", "partly", "missed"
 * (its own record), "topic done", "skipped", "topic hours" (its topic's shortcut),
 * "missed day", or null (nothing: a re-plan counts it as studied as planned).
 */
export function reading(record) {
  const reports = record.reports || {};
  return {
    marks: recordedMarks(record.progress),
    report(session) {
      return reports[session.uid] ?? null;
    },
  };
}

/** The recorded progress as the API takes it back (nulls left out). */
export function sendable(progress) {
  const recorded = progress || {};
  const body = {
    done: [...(recorded.done || [])],
    hours: { ...(recorded.hours || {}) },
    skipped: [...(recorded.skipped || [])],
    missed: (recorded.missed || []).map(({ from, to }) => ({ from, to })),
    sessions: [...recordedMarks(recorded)].map(([uid, mark]) => entryFor(uid, mark)),
    extra: (recorded.extra || []).map(({ topic, day, minutes, at }) =>
      at ? { topic, day, minutes, at: at.slice(0, 5) } : { topic, day, minutes },
    ),
  };
  if (recorded.as_of) body.as_of = recorded.as_of;
  if (recorded.missed_mode) body.missed_mode = recorded.missed_mode;
  return body;
}

/**
 * The whole progress to PUT: what is recorded, with each session in `marks` (UID ->
 * {state: "done" | "partly" | "missed" | "none", minutes}) recorded so ("none": its
 * record removed), and `topicChoices` (topic id -> "todo", "done" or "skipped") applied.
 */
export function progressFrom(record, roadmap, marks, topicChoices) {
  const body = sendable(record.progress);
  const records = recordedMarks(record.progress);
  for (const [uid, mark] of marks) {
    if (mark.state === "none") records.delete(uid);
    else records.set(uid, mark);
  }
  body.sessions = [...records].map(([uid, mark]) => entryFor(uid, mark));
  if (Object.keys(topicChoices).length) {
    const done = expandIds(roadmap, body.done);
    const skipped = expandIds(roadmap, body.skipped);
    for (const [topic, choice] of Object.entries(topicChoices)) {
      done.delete(topic);
      skipped.delete(topic);
      if (choice === "done") done.add(topic);
      if (choice === "skipped") skipped.add(topic);
    }
    body.done = [...done].sort();
    body.skipped = [...skipped].sort();
  }
  return body;
}

// Progress as the API takes it (done topics, hours per topic, skipped), from what the
// learner ticks: a session marked done adds its hours to its topic; a topic whose every
// session is done is done. The API keeps hours per topic, not per session, so a page
// shows a topic's recorded hours as its first sessions done. A review is no study time:
// it is recorded by its UID (`sessions`), and its topic's hours do not change.

import { expandIds } from "./status.js";

function minutesOf(session) {
  return (new Date(session.end) - new Date(session.start)) / 60000;
}

/** UIDs of the listed sessions that the recorded progress counts as done. */
export function sessionsDone(record, listed) {
  const hours = record.progress?.hours || {};
  const doneTopics = new Set(record.progress?.done || []);
  const history = historyMinutes(record.plan);
  const left = {};
  for (const [topic, value] of Object.entries(hours))
    left[topic] = value * 60 - (history[topic] || 0);
  const reviewsDone = new Set(record.progress?.sessions || []);
  const done = new Set();
  for (const session of listed) {
    if (session.kind === "review") {
      if (reviewsDone.has(session.uid)) done.add(session.uid);
    } else if (doneTopics.has(session.topic)) {
      done.add(session.uid);
    } else if ((left[session.topic] || 0) >= minutesOf(session) - 0.5) {
      left[session.topic] -= minutesOf(session);
      done.add(session.uid);
    }
  }
  return done;
}

function historyMinutes(plan) {
  const minutes = {};
  for (const session of plan.sessions) {
    if (session.done && session.kind !== "review")
      minutes[session.topic] = (minutes[session.topic] || 0) + minutesOf(session);
  }
  return minutes;
}

/**
 * The whole progress to PUT: `marks` maps each listed session's UID to true (done) or
 * false; `topicChoices` maps topic ids to "todo", "done" or "skipped".
 */
export function progressFrom(record, roadmap, listed, marks, topicChoices) {
  const recorded = record.progress || {};
  const history = historyMinutes(record.plan);
  const done = expandIds(roadmap, recorded.done);
  const skipped = expandIds(roadmap, recorded.skipped);
  const hours = { ...(recorded.hours || {}) };
  const reviewsDone = new Set(recorded.sessions || []);
  const marked = {};
  for (const session of listed) {
    if (session.kind === "review") {
      if (marks.get(session.uid)) reviewsDone.add(session.uid);
      else reviewsDone.delete(session.uid);
      continue;
    }
    marked[session.topic] =
      (marked[session.topic] || 0) + (marks.get(session.uid) ? minutesOf(session) : 0);
  }
  for (const [topic, minutes] of Object.entries(marked)) {
    const total = (history[topic] || 0) + minutes;
    if (total > 0) hours[topic] = Math.round((total / 60) * 100) / 100;
    else delete hours[topic];
    const open = record.plan.sessions.filter(
      (s) => s.topic === topic && s.kind !== "review" && !s.done && !marks.get(s.uid),
    );
    if (total > 0 && open.length === 0) done.add(topic);
    else if (!recorded.done?.includes(topic)) done.delete(topic);
  }
  for (const [topic, choice] of Object.entries(topicChoices)) {
    done.delete(topic);
    skipped.delete(topic);
    if (choice === "done") done.add(topic);
    if (choice === "skipped") skipped.add(topic);
  }
  for (const topic of done) delete hours[topic];
  const progress = { done: [...done].sort(), hours, skipped: [...skipped].sort() };
  if (reviewsDone.size) progress.sessions = [...reviewsDone].sort();
  if (recorded.as_of) progress.as_of = recorded.as_of;
  // Missed ranges stay (the API refuses them together with done topics, and says so).
  if (recorded.missed?.length) progress.missed = recorded.missed;
  return progress;
}

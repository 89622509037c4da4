// Where each topic stands: done, in progress, next (ready: its prerequisites are done),
// later, or not planned (skipped, known already, or no hours).

export const STATUS_LABELS = {
  done: "done",
  progress: "in progress",
  next: "next: ready to start",
  later: "later",
  skipped: "not planned (skipped or 0 h)",
};

/** Topic and section ids -> the topic ids they name. */
export function expandIds(roadmap, ids) {
  const topics = new Set();
  for (const id of ids || []) {
    const section = roadmap.sections.find((candidate) => candidate.id === id);
    if (section) section.topics.forEach((topic) => topics.add(topic.id));
    else topics.add(id);
  }
  return topics;
}

export function topicStatuses({ record, roadmap }) {
  const progress = record.progress || {};
  const done = expandIds(roadmap, progress.done);
  const skipped = expandIds(roadmap, [...(progress.skipped || []), ...(record.profile.skip || [])]);
  const sessions = new Map();
  for (const session of record.plan.sessions) {
    if (!sessions.has(session.topic)) sessions.set(session.topic, []);
    sessions.get(session.topic).push(session);
  }
  const statuses = new Map();
  for (const section of roadmap.sections) {
    for (const topic of section.topics) {
      const own = sessions.get(topic.id) || [];
      const hoursDone = Number(progress.hours?.[topic.id] || 0);
      if (done.has(topic.id) || (own.length && own.every((session) => session.done))) {
        statuses.set(topic.id, "done");
      } else if (skipped.has(topic.id) || !own.length) {
        statuses.set(topic.id, "skipped");
      } else if (hoursDone > 0 || own.some((session) => session.done)) {
        statuses.set(topic.id, "progress");
      } else {
        statuses.set(topic.id, "later");
      }
    }
  }
  const needs = (id) =>
    roadmap.edges.filter((edge) => edge.after === id).map((edge) => edge.before);
  // A topic not planned still passes on what it needed (as the planner keeps that order).
  const settled = (id) =>
    statuses.get(id) === "done" || (statuses.get(id) === "skipped" && needs(id).every(settled));
  for (const [id, status] of statuses) {
    if (status === "later" && needs(id).every(settled)) statuses.set(id, "next");
  }
  return statuses;
}

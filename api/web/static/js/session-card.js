// A session's card, opened by clicking (or Enter on) a session in the calendar, the
// timeline's list of a section's sessions or the Today page: its
// topic (id and title, section), when, which session of the topic's it is, the topic's
// prerequisites and why, its items and links (as the .ics DESCRIPTION has them), and,
// once it has started, Done / Done for N minutes / Missed, recorded as the Today page
// records them (POST /plans/{id}/progress).
import { api, element, etag, movedSessions, sessionTitle, topicIndex } from "./api.js";
import { plannedMinutes, reading } from "./progress.js";
import { sessionWhen } from "./today-sessions.js";

const SAID = { done: "done", missed: "missed" };

/** "Session 2 of 5 of 6.3" (study), "Review 1 of 3" (a review). */
function ordinal(session, plan) {
  if (session.kind === "review") {
    const of = plan.reviews ? ` of ${plan.reviews.after_days.length}` : "";
    return `Review ${session.review}${of} of ${session.topic}`;
  }
  const own = plan.sessions
    .filter((other) => other.topic === session.topic && other.kind !== "review")
    .sort((a, b) => new Date(a.start) - new Date(b.start));
  const hours = own.reduce((sum, other) => sum + plannedMinutes(other), 0) / 60;
  const index = own.findIndex((other) => other.uid === session.uid) + 1;
  return `Session ${index} of ${own.length} of ${session.topic} (${Math.round(hours * 10) / 10} h planned in all)`;
}

function prerequisites(topicId, roadmap, topics) {
  const edges = roadmap.edges.filter((edge) => edge.after === topicId);
  if (!edges.length) return element("p", { textContent: "Needs nothing first." });
  const list = element("ul", { className: "card-prerequisites" });
  for (const edge of edges) {
    const before = topics.get(edge.before)?.topic;
    const name = before ? `${edge.before} ${before.title}` : edge.before;
    list.append(element("li", { textContent: `${name}: ${edge.why}` }));
  }
  return list;
}

function itemsAndLinks(topic) {
  const parts = [];
  if (topic.items?.length) {
    const items = element("ul", { className: "card-items" });
    for (const text of topic.items) items.append(element("li", { textContent: text }));
    parts.push(element("h3", { textContent: "What to study" }), items);
  }
  if (topic.links?.length) {
    const links = element("ul", { className: "card-links" });
    for (const link of topic.links) {
      const anchor = element("a", { href: link.url, textContent: link.title || link.url });
      anchor.rel = "noopener noreferrer";
      anchor.target = "_blank";
      const item = element("li");
      item.append(anchor);
      links.append(item);
    }
    parts.push(element("h3", { textContent: "Links" }), links);
  }
  return parts;
}

/** The buttons that record what happened; a session to come has a note instead. */
function reportButtons(session, context, status, onRecorded) {
  if (new Date(session.start) > new Date()) {
    return [element("p", { className: "hint", textContent: "You can say how it went once it has started." })];
  }
  const minutes = element("input", { type: "number", min: "1", max: "1440", step: "1" });
  minutes.id = "card-minutes";
  minutes.value = String(plannedMinutes(session));
  const label = element("label", { htmlFor: "card-minutes", textContent: "Minutes studied " });
  const record = async (entry, words) => {
    const { id, token } = context;
    context.record = await api(`/plans/${encodeURIComponent(id)}/progress`, {
      method: "POST",
      body: { sessions: [entry] },
      token,
      ifMatch: etag(context.record),
    });
    status.textContent = `Recorded: ${words}. Re-plan on the Today page when you are ready.`;
    onRecorded?.();
  };
  const button = (text, className, action) => {
    const made = element("button", { type: "button", textContent: text, className });
    made.addEventListener("click", () => action().catch((error) => {
      status.textContent = `Not recorded: ${error.message}`;
    }));
    return made;
  };
  const buttons = element("p", { className: "dialog-buttons card-report" });
  buttons.append(
    button("Done", "", () => record(session.uid, "done")),
    button("Missed", "secondary", () => record({ session: session.uid, missed: true }, "missed")),
  );
  const partly = element("p", { className: "card-partly" });
  partly.append(
    label,
    minutes,
    " ",
    button("Done for these minutes", "secondary", () =>
      record({ session: session.uid, minutes: Number(minutes.value) }, `done for ${minutes.value} min`),
    ),
  );
  return [buttons, partly];
}

/** Opens the card of the session with this UID; `onRecorded` is called after a report
 * is saved (context.record is then the answer). */
export function showSessionCard(uid, context, onRecorded = null) {
  const { plan } = context.record;
  const session = plan.sessions.find((candidate) => candidate.uid === uid);
  if (!session) return;
  const topics = topicIndex(context.roadmap);
  const found = topics.get(session.topic);
  const dialog = document.getElementById("session-card");
  const title = element("h2", { id: "session-card-title" });
  title.textContent =
    session.kind === "review" ? sessionTitle(session, plan) : `${session.topic} ${session.title}`;
  const status = element("p", { id: "card-status", className: "card-status" });
  status.setAttribute("aria-live", "polite");
  const mark = reading(context.record).marks.get(uid);
  if (session.done) status.textContent = "Done (before the last re-plan).";
  else if (mark) status.textContent = `Recorded: ${SAID[mark.state] || `done for ${mark.minutes} min`}.`;
  const parts = [
    title,
    element("p", {
      className: "muted",
      textContent: found ? `Section ${found.section.id}. ${found.section.title}` : "",
    }),
    element("p", { textContent: sessionWhen(session, plan.timezone) }),
    ...(movedSessions().has(uid)
      ? [element("p", { className: "card-moved", textContent: "Moved by your last re-plan." })]
      : []),
    element("p", { className: "card-ordinal", textContent: ordinal(session, plan) }),
    element("h3", { textContent: "Needs first" }),
    prerequisites(session.topic, context.roadmap, topics),
    ...(found ? itemsAndLinks(found.topic) : []),
    status,
    ...(session.done ? [] : reportButtons(session, context, status, onRecorded)),
  ];
  const close = element("button", { type: "button", textContent: "Close", className: "secondary" });
  close.addEventListener("click", () => dialog.close());
  parts.push(element("p", { className: "dialog-buttons" }));
  parts.at(-1).append(close);
  dialog.replaceChildren(...parts);
  dialog.showModal();
  close.focus();
}

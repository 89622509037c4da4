// The roadmap as roadmap.sh draws it: sections top to bottom, in order, each with its
// topics as nodes coloured by status (done, in progress, next, later, not planned),
// with their hours and planned dates. Selecting a topic marks what it needs first (its
// direct prerequisites, and theirs, fainter) and what needs it. Laid out by CSS (a
// wrapping grid per section), so it reads at any width, 390 px included, with nothing
// to scroll sideways and no label cut; the 80 edges of a roadmap drawn as lines were the
// tangle this replaces, so they are shown on selection instead.
import { element, formatMoment, hoursText } from "./api.js";
import { STATUS_LABELS, topicStatuses } from "./status.js";

// "4 Jan": a day without its weekday and year.
const SHORT_DAY = { weekday: undefined, year: undefined, hour: undefined, minute: undefined };

function plannedSpan(sessions, zone) {
  if (!sessions.length) return "";
  const first = formatMoment(sessions[0].start, zone, SHORT_DAY);
  const last = formatMoment(sessions.at(-1).end, zone, SHORT_DAY);
  return first === last ? first : `${first} – ${last}`;
}

/** Topic id -> its study sessions, by start. */
function sessionsByTopic(plan) {
  const found = new Map();
  const study = plan.sessions.filter((session) => session.kind !== "review");
  for (const session of study.sort((a, b) => new Date(a.start) - new Date(b.start))) {
    if (!found.has(session.topic)) found.set(session.topic, []);
    found.get(session.topic).push(session);
  }
  return found;
}

function topicNode(topic, status, sessions, zone) {
  const minutes = sessions.reduce(
    (sum, session) => sum + (new Date(session.end) - new Date(session.start)) / 60000,
    0,
  );
  const hours = sessions.length ? hoursText(minutes / 60) : `${hoursText(topic.hours)} in the roadmap`;
  const when = plannedSpan(sessions, zone);
  const button = element("button", { type: "button", className: `rv-topic status-${status}` });
  button.dataset.id = topic.id;
  button.setAttribute("aria-pressed", "false");
  button.append(
    element("span", { className: "rv-title", textContent: `${topic.id} ${topic.title}` }),
    element("span", {
      className: "rv-meta",
      textContent: [hours, when, STATUS_LABELS[status].split(":")[0]].filter(Boolean).join(" · "),
    }),
  );
  return button;
}

/** Draws the roadmap view into #graph and its legend into #graph-legend. */
export function renderRoadmapView(context) {
  const { roadmap, record } = context;
  const zone = record.plan.timezone;
  const statuses = topicStatuses(context);
  const sessions = sessionsByTopic(record.plan);
  const container = document.getElementById("graph");
  const sections = roadmap.sections.map((section) => {
    const box = element("section", { className: "rv-section" });
    const own = section.topics.flatMap((topic) => sessions.get(topic.id) || []);
    own.sort((a, b) => new Date(a.start) - new Date(b.start));
    const span = plannedSpan(own, zone);
    const heading = element("h3", { textContent: `${section.id}. ${section.title}` });
    heading.append(
      element("span", {
        className: "rv-meta",
        textContent: ` ${hoursText(section.hours)}${span ? ` · ${span}` : ""}`,
      }),
    );
    const list = element("ul", { className: "rv-topics" });
    for (const topic of section.topics) {
      const item = element("li");
      item.append(topicNode(topic, statuses.get(topic.id), sessions.get(topic.id) || [], zone));
      list.append(item);
    }
    box.append(heading, list);
    return box;
  });
  container.replaceChildren(...sections);
  const counts = {};
  for (const status of statuses.values()) counts[status] = (counts[status] || 0) + 1;
  document.getElementById("graph-legend").replaceChildren(
    ...Object.entries(STATUS_LABELS).map(([status, label]) => {
      const item = document.createElement("li");
      item.append(element("span", { className: `swatch status-${status}` }), `${label} (${counts[status] || 0})`);
      return item;
    }),
  );
  container.addEventListener("click", (event) => {
    const button = event.target.closest(".rv-topic");
    if (button) select(button.dataset.id, context, statuses);
  });
}

function ancestorsOf(id, edges) {
  const found = new Set();
  const walk = (topic) => {
    for (const edge of edges) {
      if (edge.after === topic && !found.has(edge.before)) {
        found.add(edge.before);
        walk(edge.before);
      }
    }
  };
  walk(id);
  return found;
}

/** Marks the topic chosen, what it needs (directly, and before that) and what needs it;
 * says so in words. Choosing it again clears the marks. */
function select(id, { roadmap }, statuses) {
  const container = document.getElementById("graph");
  const chosen = container.querySelector(`.rv-topic[data-id="${CSS.escape(id)}"]`);
  const again = chosen.getAttribute("aria-pressed") === "true";
  for (const node of container.querySelectorAll(".rv-topic")) {
    node.classList.remove("rv-chosen", "rv-needed", "rv-before", "rv-needs-it");
    node.setAttribute("aria-pressed", "false");
  }
  const said = document.getElementById("graph-selection");
  if (again) {
    said.textContent = "";
    return;
  }
  const direct = roadmap.edges.filter((edge) => edge.after === id).map((edge) => edge.before);
  const dependents = roadmap.edges.filter((edge) => edge.before === id).map((edge) => edge.after);
  const mark = (ids, className) => {
    for (const other of ids)
      container.querySelector(`.rv-topic[data-id="${CSS.escape(other)}"]`)?.classList.add(className);
  };
  mark(ancestorsOf(id, roadmap.edges), "rv-before");
  mark(direct, "rv-needed");
  mark(dependents, "rv-needs-it");
  chosen.classList.add("rv-chosen");
  chosen.setAttribute("aria-pressed", "true");
  const name = (other) => `${other} (${STATUS_LABELS[statuses.get(other)].split(":")[0]})`;
  said.textContent =
    `${chosen.querySelector(".rv-title").textContent} needs first: ` +
    `${direct.map(name).join(", ") || "nothing"}; needed by: ` +
    `${dependents.join(", ") || "nothing"}.`;
}

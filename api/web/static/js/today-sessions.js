// The Today page's sessions: each one up to today with its choice (done, done for some
// minutes, missed, not reported), and the rest of this week to come. Days are the
// learner's (the plan's zone).
import {
  element,
  formatMoment,
  localDay,
  movedSessions,
  REVIEW_COLOR,
  sectionColor,
  sessionTitle,
  topicIndex,
} from "./api.js";
import { plannedMinutes } from "./progress.js";

const MARKS = [
  ["done", "Done"],
  ["partly", "Done for"],
  ["missed", "Missed"],
  ["none", "Not reported"],
];
// What a shortcut of the record says of a session nobody reported one by one.
const COVERED = {
  "topic done": "Counts as done: its topic is marked done.",
  skipped: "Counts as not studied: its topic is skipped.",
  "topic hours": "Its topic's hours so far are recorded: they say how much of it is done.",
  "missed day": "Counts as missed: it is on a day you missed.",
};

export const byStart = (a, b) => new Date(a.start) - new Date(b.start);
export const sessionDay = (session, zone) => localDay(new Date(session.start), zone);
export const anchorOf = (uid) => `session-${uid.replace(/[^A-Za-z0-9_-]/g, "_")}`;
export const markKey = (mark) => `${mark.state}:${mark.state === "partly" ? mark.minutes : ""}`;

export function clockTime(iso, zone) {
  const noDay = { weekday: undefined, day: undefined, month: undefined, year: undefined };
  return formatMoment(iso, zone, noDay);
}

/** "Sun, 10 Jan 2027, 09:00–12:00": a session's day and times. */
export function sessionWhen(session, zone) {
  return `${formatMoment(session.start, zone)}–${clockTime(session.end, zone)}`;
}

function radio(session, value, label, checked) {
  const wrapper = document.createElement("label");
  const input = document.createElement("input");
  input.type = "radio";
  input.name = `mark-${anchorOf(session.uid)}`;
  input.value = value;
  input.checked = checked;
  wrapper.append(input, ` ${label}`);
  return wrapper;
}

function minutesField(mark) {
  const minutes = document.createElement("input");
  minutes.type = "number";
  minutes.className = "minutes";
  minutes.min = "1";
  minutes.max = "1440";
  minutes.step = "1";
  minutes.setAttribute("aria-label", "Minutes studied");
  if (mark.state === "partly") minutes.value = String(mark.minutes);
  return minutes;
}

function choices(group, session, mark) {
  const minutes = minutesField(mark);
  for (const [value, label] of MARKS) {
    const choice = radio(session, value, label, value === mark.state);
    if (value !== "partly") {
      group.append(choice);
      continue;
    }
    const partly = document.createElement("span");
    partly.className = "partly";
    partly.append(choice, " ", minutes, " min");
    group.append(partly);
  }
  const partlyChoice = group.querySelector("input[value=partly]");
  minutes.addEventListener("input", () => {
    partlyChoice.checked = true;
  });
  partlyChoice.addEventListener("change", () => {
    if (!minutes.value) minutes.focus();
  });
}

function sessionItem(session, { plan, topics, read }) {
  const item = document.createElement("li");
  item.className = "session";
  item.style.borderLeftColor =
    session.kind === "review"
      ? REVIEW_COLOR
      : sectionColor(topics.get(session.topic).sectionIndex);
  const group = document.createElement("fieldset");
  group.id = anchorOf(session.uid);
  group.dataset.uid = session.uid;
  const legend = document.createElement("legend");
  const when = sessionWhen(session, plan.timezone);
  legend.textContent = `${sessionTitle(session, plan)}, ${when} (${plannedMinutes(session)} min)`;
  markMoved(item, legend, session);
  group.append(legend);
  const mark = read.marks.get(session.uid) || { state: "none" };
  choices(group, session, mark);
  group.dataset.initial = markKey(mark);
  group.append(cardButton(session, plan));
  const covered = COVERED[read.report(session)];
  if (mark.state === "none" && covered)
    group.append(element("p", { className: "hint", textContent: covered }));
  item.append(group);
  return item;
}

/** A session the last re-plan moved: outlined, and "(moved)" said after `words`. */
function markMoved(item, words, session) {
  if (!movedSessions().has(session.uid)) return;
  item.classList.add("moved-session");
  words.append(element("span", { className: "moved-tag", textContent: " (moved)" }));
}

/** A button that opens the session's card (session-card.js: items, links, prerequisites). */
function cardButton(session, plan) {
  const button = element("button", {
    type: "button",
    className: "secondary card-open",
    textContent: "What to study",
  });
  button.dataset.uid = session.uid;
  button.setAttribute("aria-label", `What to study in ${sessionTitle(session, plan)}`);
  return button;
}

/** UID -> {mark, group, minutes}: what each session's choice on the page says now. */
export function marksOnPage() {
  const marks = new Map();
  for (const group of document.querySelectorAll("#sessions fieldset[data-uid]")) {
    const state = group.querySelector("input[type=radio]:checked")?.value || "none";
    const minutes = group.querySelector("input.minutes");
    const mark = state === "partly" ? { state, minutes: Number(minutes.value) } : { state };
    marks.set(group.dataset.uid, { mark, group, minutes });
  }
  return marks;
}

/**
 * The sessions not yet history, up to `today` to report and to `weekEnd` to come;
 * choices made and not saved stay chosen.
 */
export function renderSessions({ plan, roadmap, read, today, weekEnd }) {
  const zone = plan.timezone;
  const unsaved = [...marksOnPage()].filter(
    ([, { mark, group }]) => markKey(mark) !== group.dataset.initial,
  );
  const open = plan.sessions.filter((session) => !session.done).sort(byStart);
  const toReport = open.filter((session) => sessionDay(session, zone) <= today);
  const container = document.getElementById("sessions");
  if (toReport.length) {
    const list = document.createElement("ul");
    list.className = "sessions";
    const topics = topicIndex(roadmap);
    list.append(...toReport.map((session) => sessionItem(session, { plan, topics, read })));
    container.replaceChildren(list);
  } else {
    const none = "No sessions to report: none were planned since the plan was made.";
    container.replaceChildren(element("p", { textContent: none }));
  }
  for (const [uid, { mark }] of unsaved) {
    const group = document.getElementById(anchorOf(uid));
    if (!group) continue;
    group.querySelector(`input[value=${mark.state}]`).checked = true;
    if (mark.state === "partly") group.querySelector("input.minutes").value = String(mark.minutes);
  }
  const later = open.filter((s) => sessionDay(s, zone) > today && sessionDay(s, zone) <= weekEnd);
  renderLater(later, plan);
}

function renderLater(later, plan) {
  const container = document.getElementById("later-sessions");
  if (!later.length) {
    container.replaceChildren();
    return;
  }
  const heading = element("h3", {
    textContent: "Later this week (report them once they have happened)",
  });
  const list = document.createElement("ul");
  list.className = "sessions later";
  for (const session of later) {
    const words = `${sessionTitle(session, plan)}, ${sessionWhen(session, plan.timezone)} `;
    const item = element("li", { className: "session", textContent: words });
    markMoved(item, item, session);
    item.append(cardButton(session, plan));
    list.append(item);
  }
  container.replaceChildren(heading, list);
}

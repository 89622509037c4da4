// The timeline by section: one bar a section from its first session to its last, a date
// axis, the deadline and goals as lines, the sessions the last re-plan moved as marks on
// the bars. Choosing a section (its name or its bar) lists its sessions under the
// timeline, outside the sideways-scrolling box; a session there opens its card.
import {
  element,
  formatDay,
  goalName,
  movedSessions,
  sectionColor,
  sessionTitle,
} from "./api.js";
import { showSessionCard } from "./session-card.js";
import { byStart, sessionWhen } from "./today-sessions.js";

const time = (iso) => new Date(iso).getTime();

/** The timeline's date axis: a tick and a label at the first of each month in it ("Feb",
 * with the year in January and on the first label). */
function timelineAxis(begin, end, left) {
  const row = element("div", { className: "timeline-row timeline-axis" });
  row.setAttribute("aria-hidden", "true"); // each bar says its dates in words
  const track = element("div", { className: "timeline-track axis-track" });
  const month = new Date(begin);
  month.setUTCDate(1);
  month.setUTCHours(0, 0, 0, 0);
  let first = true;
  for (month.setUTCMonth(month.getUTCMonth() + 1); month.getTime() <= end; ) {
    const withYear = first || month.getUTCMonth() === 0;
    const label = month.toLocaleString("en-GB", {
      month: "short",
      year: withYear ? "numeric" : undefined,
      timeZone: "UTC",
    });
    const tick = element("span", { className: "timeline-tick", textContent: label });
    tick.style.left = left(month.getTime());
    track.append(tick);
    first = false;
    month.setUTCMonth(month.getUTCMonth() + 1);
  }
  row.append(element("span"), track);
  return row;
}

function timelineMarks(plan, roadmap) {
  const marks = [];
  if (plan.deadline)
    marks.push({ kind: "deadline", label: "deadline", at: time(`${plan.deadline}T23:59:59Z`) });
  for (const goal of plan.goals)
    if (goal.reached)
      marks.push({ kind: "goal", label: `goal ${goalName(goal.goal, roadmap)}`, at: time(goal.reached) });
  return marks;
}

/** The sessions of one section, listed under the timeline; each opens its card. */
function listSessions(context, section, own, opener) {
  const { plan } = context.record;
  const moved = movedSessions();
  const panel = document.getElementById("timeline-sessions");
  for (const other of document.querySelectorAll(".timeline-open[aria-expanded=true]"))
    if (other !== opener) other.setAttribute("aria-expanded", "false");
  if (opener.getAttribute("aria-expanded") === "true") {
    opener.setAttribute("aria-expanded", "false");
    panel.replaceChildren();
    panel.hidden = true;
    return;
  }
  opener.setAttribute("aria-expanded", "true");
  const heading = element("h3", {
    id: "timeline-sessions-heading",
    textContent: `Sessions of ${section.id}. ${section.title}`,
  });
  const list = element("ul", { className: "timeline-session-list" });
  for (const session of [...own].sort(byStart)) {
    const button = element("button", { type: "button", className: "timeline-session" });
    button.dataset.uid = session.uid;
    const done = session.done ? "✓ " : "";
    button.append(
      element("span", { textContent: `${done}${sessionWhen(session, plan.timezone)} · ` }),
      element("strong", {
        // With the topic's id, as the calendar and the .ics SUMMARY have it.
        textContent:
          session.kind === "review"
            ? sessionTitle(session, plan)
            : `${session.topic} ${session.title}`,
      }),
    );
    if (moved.has(session.uid)) {
      button.classList.add("moved-session");
      button.append(element("span", { className: "moved-tag", textContent: " (moved)" }));
    }
    button.addEventListener("click", () => showSessionCard(session.uid, context));
    const item = element("li");
    item.append(button);
    list.append(item);
  }
  panel.replaceChildren(heading, list);
  panel.hidden = false;
}

function sectionRow(context, section, index, own, scale) {
  const { plan } = context.record;
  const { left, marks, moved } = scale;
  const first = Math.min(...own.map((session) => time(session.start)));
  const last = Math.max(...own.map((session) => time(session.end)));
  const row = element("div", { className: "timeline-row" });
  const opener = element("button", {
    type: "button",
    className: "timeline-open",
    textContent: `${section.id}. ${section.title}`,
  });
  opener.setAttribute("aria-expanded", "false");
  opener.setAttribute("aria-controls", "timeline-sessions");
  const track = element("div", { className: "timeline-track" });
  const bar = element("div", { className: "timeline-bar" });
  bar.style.left = left(first);
  bar.style.width = `max(3px, calc(${left(last)} - ${left(first)}))`;
  bar.style.background = sectionColor(index);
  const movedHere = own.filter((session) => moved.has(session.uid));
  const dates = `${formatDay(new Date(first).toISOString(), plan.timezone)} to ${formatDay(new Date(last).toISOString(), plan.timezone)}`;
  const words = movedHere.length ? `${dates}; ${movedHere.length} moved by the last re-plan` : dates;
  const span = element("span", { className: "visually-hidden", textContent: words });
  bar.title = words;
  // The bar opens the list as the name does (pointer only: the name is the keyboard's).
  bar.addEventListener("click", () => opener.click());
  track.append(bar, span);
  for (const session of movedHere) {
    const tick = element("span", { className: "timeline-moved" });
    tick.style.left = left(time(session.start));
    tick.setAttribute("aria-hidden", "true");
    track.append(tick);
  }
  for (const mark of marks) {
    const line = element("div", { className: `timeline-marker ${mark.kind}` });
    line.style.left = left(mark.at);
    line.title = mark.label;
    track.append(line);
  }
  opener.addEventListener("click", () => listSessions(context, section, own, opener));
  row.append(opener, track);
  return row;
}

export function renderTimeline(context) {
  const { record, roadmap } = context;
  const { plan } = record;
  const sessions = plan.sessions;
  const container = document.getElementById("timeline");
  if (!sessions.length) {
    container.textContent = "No sessions.";
    return;
  }
  const marks = timelineMarks(plan, roadmap);
  const begin = Math.min(...sessions.map((session) => time(session.start)));
  const end = Math.max(
    ...sessions.map((session) => time(session.end)),
    ...marks.map((mark) => mark.at),
  );
  const left = (moment) => `${((moment - begin) / (end - begin || 1)) * 100}%`;
  const scale = { left, marks, moved: movedSessions() };
  const rows = [];
  roadmap.sections.forEach((section, index) => {
    const ids = new Set(section.topics.map((topic) => topic.id));
    const own = sessions.filter((session) => ids.has(session.topic));
    if (own.length) rows.push(sectionRow(context, section, index, own, scale));
  });
  container.replaceChildren(timelineAxis(begin, end, left), ...rows);
  const legend = document.getElementById("timeline-legend");
  const kinds = [...new Set(marks.map((mark) => mark.kind))];
  if (scale.moved.size) kinds.push("moved");
  const said = {
    deadline: "Red line: your deadline",
    goal: "Green lines: where each goal is reached",
    moved: "Dark marks: sessions the last re-plan moved",
  };
  legend.replaceChildren(...kinds.map((kind) => element("li", { textContent: said[kind] })));
}

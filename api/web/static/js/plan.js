// The plan page: facts, the calendar (FullCalendar), the timeline by section and the
// roadmap view (roadmap-view.js), coloured by each topic's status.
import {
  addDays,
  formatDay,
  goalName,
  formatMoment,
  guarded,
  hoursText,
  loadPlan,
  localDay,
  movedSessions,
  REVIEW_COLOR,
  sectionColor,
  sessionTitle,
  topicIndex,
} from "./api.js";
import { orderCost, reviewCost } from "./costs.js";
import { renderForecast } from "./forecast.js";
import { setUpPlanName } from "./plan-name.js";
import { renderRoadmapSummary } from "./roadmap-summary.js";
import { renderRoadmapView } from "./roadmap-view.js";
import { offerPrivateLink } from "./save-link.js";
import { showSessionCard } from "./session-card.js";
import { renderTimeline } from "./timeline.js";

function weeklyHours(profile) {
  let minutes = 0;
  for (const windows of Object.values(profile.weekly)) {
    for (const text of windows) {
      const [from, to] = text.split("-").map((part) => {
        const [hours, mins] = part.split(":").map(Number);
        return hours * 60 + mins;
      });
      minutes += (to - from + 1440) % 1440 || 1440;
    }
  }
  return minutes / 60;
}

function fact(label, value) {
  const item = document.createElement("li");
  const strong = document.createElement("strong");
  strong.textContent = value;
  item.append(label, strong);
  return item;
}

function renderFacts({ record, roadmap }) {
  const { plan, profile } = record;
  const zone = plan.timezone;
  const upcoming = plan.sessions.filter((session) => !session.done);
  const facts = [
    fact("Finish", plan.finish ? formatMoment(plan.finish, zone) : "nothing left to plan"),
    fact(
      "Earliest possible",
      plan.lower_bound_finish ? formatMoment(plan.lower_bound_finish, zone) : "—",
    ),
    fact("Study time", `${hoursText(weeklyHours(profile))} a week`),
    fact("Still to study", `${hoursText(plan.planned_hours)} in ${upcoming.length} sessions`),
    fact("Planned from", formatDay(plan.as_of || plan.start, zone)),
  ];
  if (plan.deadline) {
    const late = plan.finish && localDay(new Date(plan.finish), zone) > plan.deadline;
    facts.push(fact("Deadline", `${formatDay(plan.deadline, zone)}${late ? " (missed)" : ""}`));
  }
  document.getElementById("facts").replaceChildren(...facts);
  const goals = document.getElementById("goal-facts");
  if (plan.goals.length) {
    const list = document.createElement("ul");
    for (const goal of plan.goals) {
      const item = document.createElement("li");
      const reached = goal.reached ? formatDay(goal.reached, zone) : "not planned";
      const earliest = goal.earliest ? formatDay(goal.earliest, zone) : "—";
      const name = goalName(goal.goal, roadmap);
      item.textContent = `Goal ${name}: reached ${reached} (earliest possible ${earliest}).`;
      list.append(item);
    }
    goals.replaceChildren(list);
  }
  for (const [id, text] of [
    ["order-cost", orderCost(plan)],
    ["review-cost", reviewCost(plan)],
  ]) {
    document.getElementById(id).textContent = text;
    document.getElementById(id).hidden = !text;
  }
}

/** FullCalendar shows the plan's wall-clock times: offsets dropped, the calendar in UTC. */
function wallClock(iso) {
  return iso.slice(0, 19);
}

function renderCalendar(context) {
  const { record, roadmap } = context;
  const { plan } = record;
  const topics = topicIndex(roadmap);
  const moved = movedSessions();
  document.getElementById("calendar-zone").textContent = plan.timezone;
  const events = plan.sessions.map((session) => {
    const review = session.kind === "review";
    const mark = session.done ? "✓ " : "";
    // The topic's id, as the .ics SUMMARY has it ("6.3 FastAPI").
    const title = review ? sessionTitle(session, plan) : `${session.topic} ${session.title}`;
    return {
      id: session.uid,
      title: `${mark}${title}${moved.has(session.uid) ? " (moved)" : ""}`,
      start: wallClock(session.start),
      end: wallClock(session.end),
      backgroundColor: review ? REVIEW_COLOR : sectionColor(topics.get(session.topic).sectionIndex),
      textColor: "#ffffff",
      classNames: [
        ...(moved.has(session.uid) ? ["moved-session"] : []),
        ...(review ? ["review-session"] : []),
      ],
    };
  });
  events.push(...daysOffEvents(record));
  const today = localDay(new Date(), plan.timezone);
  const first = plan.sessions.find((session) => !session.done) || plan.sessions[0];
  const firstDay = first ? first.start.slice(0, 10) : today;
  const narrow = window.matchMedia("(max-width: 40rem)").matches;
  const calendar = new window.FullCalendar.Calendar(document.getElementById("calendar"), {
    timeZone: "UTC",
    now: () =>
      wallClock(new Date().toLocaleString("sv-SE", { timeZone: plan.timezone }).replace(" ", "T")),
    initialView: narrow ? "listWeek" : "timeGridWeek",
    initialDate: firstDay > today ? firstDay : today,
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    ...studyHours(plan.sessions),
    allDaySlot: false,
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventInteractive: true, // focusable; Enter opens the card as a click does
    eventClick: (info) => {
      info.jsEvent.preventDefault();
      showSessionCard(info.event.id, context);
    },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    headerToolbar: narrow
      ? { left: "title", right: "prev,next" }
      : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listWeek" },
    footerToolbar: narrow ? { left: "today", right: "dayGridMonth,timeGridWeek,listWeek" } : false,
    buttonIcons: false, // text, not an icon font without a text alternative
    buttonText: {
      prev: "‹ Earlier",
      next: "Later ›",
      today: "Now",
      month: "Month",
      week: "Week",
      list: "List",
    },
    events,
  });
  calendar.render();
}

/** The week view's hours: those the sessions use, whole hours around them, so that it
 * opens at the first session's hour and an evening learner does not scroll past the
 * morning. A session past midnight needs the whole day. */
function studyHours(sessions) {
  const clock = (iso) => Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16));
  let first = 24 * 60;
  let last = 0;
  for (const session of sessions) {
    const [start, end] = [clock(session.start), clock(session.end)];
    if (end <= start && session.start.slice(0, 10) !== session.end.slice(0, 10)) return {};
    first = Math.min(first, start);
    last = Math.max(last, end);
  }
  if (!sessions.length) return {};
  const hour = (minutes) => `${String(minutes / 60).padStart(2, "0")}:00:00`;
  return {
    slotMinTime: hour(Math.max(0, Math.floor(first / 60) * 60 - 60)),
    slotMaxTime: hour(Math.min(24 * 60, Math.ceil(last / 60) * 60 + 60)),
  };
}

/** The profile's days off (its date ranges), the days a busy calendar's all-day events
 * took and blackout holidays as hatched background days in the calendar; holidays
 * studied as days off, named, in light green. */
function daysOffEvents({ profile, plan, holidays }) {
  const ranges = profile.blackouts
    .filter((blackout) => "from" in blackout)
    .map((range) => ({ from: range.from, to: range.to, title: "Day off" }));
  for (const day of plan.busy?.days || []) ranges.push({ from: day, to: day, title: "Busy all day" });
  // Public holidays: no study on a blackout one; a day off is studied as a weekend day.
  for (const holiday of holidays || []) {
    const title = holiday.day_off ? `${holiday.name} (a day off: study time)` : holiday.name;
    const kind = holiday.day_off ? "holiday" : "day-off";
    ranges.push({ from: holiday.day, to: holiday.day, title, kind });
  }
  // Timed, midnight to midnight: the week view has no all-day row to show them in.
  return ranges.map((range) => ({
    start: `${range.from}T00:00:00`,
    end: `${addDays(range.to, 1)}T00:00:00`,
    allDay: false,
    display: "background",
    title: range.title,
    classNames: [range.kind || "day-off"],
  }));
}

guarded(async () => {
  const context = await loadPlan();
  if (!context) return;
  setUpPlanName(context);
  offerPrivateLink(context);
  renderFacts(context);
  renderForecast(context);
  renderRoadmapSummary(context);
  renderCalendar(context);
  renderTimeline(context);
  renderRoadmapView(context);
});

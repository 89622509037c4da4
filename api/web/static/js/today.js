// The daily loop: say what happened to each session (done, done for some minutes,
// missed), topics done or skipped, study outside the plan and missed days; then re-plan
// from where the learner is and see what changed, all on this page. Every day here is
// the learner's (the plan's time zone), never the browser's or UTC's.
import {
  addDays,
  api,
  clearAlerts,
  element,
  etag,
  formatDay,
  formatMoment,
  guarded,
  loadPlan,
  localDay,
  movedSessions,
  showAlert,
  sessionTitle,
} from "./api.js";
import { plannedMinutes, progressFrom, reading, sendable } from "./progress.js";
import { describeChanges } from "./replan-result.js";
import { showSessionCard } from "./session-card.js";
import {
  anchorOf,
  byStart,
  clockTime,
  markKey,
  marksOnPage,
  renderSessions,
  sessionDay,
} from "./today-sessions.js";
import {
  renderExtraTopics,
  renderRecorded,
  renderTopics,
  topicChoicesOnPage,
} from "./today-shortcuts.js";

let context;

const zone = () => context.record.plan.timezone;
const learnersToday = () => localDay(new Date(), zone());
const validMinutes = (minutes) => Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440;

function weekBounds(today) {
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return [addDays(today, -weekday), addDays(today, 6 - weekday)];
}

/** How a session stands, in a few words: "✓ done", "✓ 90 of 180 min", "✗ missed"… */
function standing(session, read, now) {
  const mark = read.marks.get(session.uid);
  if (session.done)
    return mark?.state === "partly" ? `✓ done for ${mark.minutes} min` : "✓ done";
  const report = read.report(session);
  if (report === "done" || report === "topic done") return "✓ done";
  if (report === "partly") return `✓ ${mark.minutes} of ${plannedMinutes(session)} min`;
  if (report === "missed" || (report === "missed day" && new Date(session.start) <= now))
    return "✗ missed";
  if (report === "skipped") return "skipped";
  if (report === "topic hours") return "counted in its topic's hours";
  if (new Date(session.start) > now) return "to come";
  return new Date(session.end) > now ? "now" : "not reported yet";
}

/** Today's sessions as they stand, and the next one: the first to start after now. */
function renderSummary(read, now) {
  const { plan } = context.record;
  const today = localDay(now, zone());
  document.getElementById("today-date").textContent = `Today is ${formatDay(today, zone())}.`;
  const todays = plan.sessions.filter((s) => sessionDay(s, zone()) === today).sort(byStart);
  const moved = movedSessions();
  const movedWord = (session) => (moved.has(session.uid) ? " (moved)" : "");
  const items = todays.map((session) => {
    const times = `${clockTime(session.start, zone())}–${clockTime(session.end, zone())}`;
    const title = `${sessionTitle(session, plan)}${movedWord(session)}`;
    return element("li", { textContent: `${times} ${title}: ${standing(session, read, now)}` });
  });
  if (!items.length) items.push(element("li", { textContent: "Nothing planned today." }));
  document.getElementById("today-sessions").replaceChildren(...items);
  // As `planner next`: a session from now on that a re-plan keeps (a missed day says
  // nothing of a session still ahead).
  const next = plan.sessions
    .filter(
      (s) =>
        !s.done &&
        new Date(s.start) >= now &&
        !["missed", "skipped", "topic done"].includes(read.report(s)),
    )
    .sort(byStart)[0];
  document.getElementById("today-next").textContent = next
    ? `Next: ${sessionTitle(next, plan)}${movedWord(next)}, ${formatMoment(next.start, zone())}.`
    : "Nothing planned after now.";
}

/** Past sessions that nothing in the record speaks of: ask about them. */
function renderUnreported(read, now) {
  const { plan } = context.record;
  const unreported = plan.sessions
    .filter((s) => !s.done && new Date(s.end) <= now && read.report(s) === null)
    .sort(byStart);
  const items = unreported.map((session) => {
    const link = document.createElement("a");
    link.href = `#${anchorOf(session.uid)}`;
    link.textContent = `${formatMoment(session.start, zone())} ${sessionTitle(session, plan)}`;
    const item = document.createElement("li");
    item.append(link);
    return item;
  });
  document.getElementById("unreported-list").replaceChildren(...items);
  document.getElementById("unreported").hidden = !items.length;
}

/** "Plan again from": where a re-plan now would start and why, or another day. */
function renderReplanFrom() {
  const { plan, replan_from: from } = context.record;
  document.getElementById("replan-from-text").textContent = from
    ? `${formatMoment(from.at, zone())} (${from.why})`
    : "now";
  const asOf = document.getElementById("as-of");
  asOf.min = plan.as_of || plan.start;
  if (document.getElementById("replan-from-now").checked)
    asOf.value = from?.as_of || learnersToday();
}

function renderAll() {
  const { record, roadmap } = context;
  const read = reading(record);
  const now = new Date();
  const today = localDay(now, zone());
  renderSummary(read, now);
  renderUnreported(read, now);
  renderSessions({ plan: record.plan, roadmap, read, today, weekEnd: weekBounds(today)[1] });
  renderTopics(record, roadmap);
  renderExtraTopics(roadmap);
  renderRecorded(record, roadmap, (change) =>
    guarded(async () => {
      const body = sendable(context.record.progress);
      change(body);
      await saveProgress("PUT", body, "progress-status", "Removed. Re-plan when you are ready.");
    }),
  );
  renderReplanFrom();
  const extraDay = document.getElementById("extra-day");
  extraDay.max = today;
  if (!extraDay.value) extraDay.value = today;
}

async function saveProgress(method, body, statusId, message) {
  const { id, token, record } = context;
  context.record = await api(`/plans/${encodeURIComponent(id)}/progress`, {
    method,
    body,
    token,
    ifMatch: etag(record),
  });
  clearAlerts();
  renderAll();
  document.getElementById(statusId).textContent = message;
}

function onSaveProgress(event) {
  event.preventDefault();
  const changed = new Map();
  for (const [uid, { mark, group, minutes }] of marksOnPage()) {
    minutes.removeAttribute("aria-invalid");
    if (mark.state === "partly" && !validMinutes(mark.minutes)) {
      minutes.setAttribute("aria-invalid", "true");
      minutes.focus();
      const session = group.querySelector("legend").textContent;
      showAlert(`Say how many minutes you studied (1 to 1440): ${session}.`);
      return;
    }
    if (markKey(mark) !== group.dataset.initial) changed.set(uid, mark);
  }
  const { record, roadmap } = context;
  const progress = progressFrom(record, roadmap, changed, topicChoicesOnPage());
  const saved = "Saved. Re-plan when you are ready.";
  guarded(() => saveProgress("PUT", progress, "progress-status", saved));
}

function onMissed(event) {
  event.preventDefault();
  const from = document.getElementById("missed-from").value;
  const to = document.getElementById("missed-to").value || from;
  if (!from || to < from) {
    showAlert(from ? "The last day missed is before the first." : "Say the first day you missed.");
    return;
  }
  const days = `${formatDay(from, zone())} to ${formatDay(to, zone())}`;
  const words = `Recorded: missed ${days}. Re-plan when you are ready.`;
  guarded(() => saveProgress("POST", { missed: [{ from, to }] }, "missed-status", words));
}

function onExtra(event) {
  event.preventDefault();
  const topic = document.getElementById("extra-topic").value;
  const day = document.getElementById("extra-day").value;
  const minutes = Number(document.getElementById("extra-minutes").value);
  const at = document.getElementById("extra-at").value;
  if (!topic || !day || !validMinutes(minutes)) {
    showAlert("Say the topic, the day and the minutes (1 to 1440) you studied.");
    return;
  }
  const entry = at ? { topic, day, minutes, at } : { topic, day, minutes };
  const words =
    `Recorded: ${minutes} min of ${topic} on ${formatDay(day, zone())}. ` +
    "Re-plan when you are ready.";
  guarded(async () => {
    await saveProgress("POST", { extra: [entry] }, "extra-status", words);
    document.getElementById("extra-minutes").value = "";
    document.getElementById("extra-at").value = "";
  });
}

/** Re-plan: from where the learner is (no as_of: the service's clock decides), or from
 * the start of the day chosen. */
function onReplan(event) {
  event.preventDefault();
  const status = document.getElementById("replan-status");
  const button = document.getElementById("replan");
  const fromDay = document.getElementById("replan-from-day").checked;
  const asOf = document.getElementById("as-of").value;
  if (fromDay && !asOf) {
    showAlert("Choose the day to plan again from.");
    return;
  }
  guarded(async () => {
    const { id, token, record } = context;
    button.disabled = true;
    status.textContent = "Re-planning…";
    try {
      const answer = await api(`/plans/${encodeURIComponent(id)}/replan`, {
        method: "POST",
        body: fromDay ? { as_of: asOf } : undefined,
        token,
        ifMatch: etag(record),
      });
      describeChanges(record, answer, id, fromDay ? asOf : null);
      context.record = answer;
      clearAlerts();
      status.textContent = "Done.";
      document.getElementById("replan-from-now").checked = true;
      renderAll();
    } finally {
      button.disabled = false;
      if (status.textContent === "Re-planning…") status.textContent = "";
    }
  });
}

guarded(async () => {
  context = await loadPlan();
  if (!context) return;
  renderAll();
  document.getElementById("progress-form").addEventListener("submit", onSaveProgress);
  document.getElementById("progress-form").addEventListener("click", (event) => {
    const opener = event.target.closest(".card-open");
    if (opener) showSessionCard(opener.dataset.uid, context, () => renderAll());
  });
  document.getElementById("missed-form").addEventListener("submit", onMissed);
  document.getElementById("extra-form").addEventListener("submit", onExtra);
  document.getElementById("replan-form").addEventListener("submit", onReplan);
  document.getElementById("as-of").addEventListener("input", () => {
    document.getElementById("replan-from-day").checked = true;
  });
});

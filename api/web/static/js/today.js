// The daily loop: mark sessions and topics, record missed days, re-plan, and see what
// the re-plan changed, all on this page.
import {
  addDays,
  api,
  clearAlerts,
  etag,
  formatDay,
  formatMoment,
  guarded,
  loadPlan,
  localDay,
  MOVED_KEY,
  showAlert,
  topicIndex,
  sectionColor,
  sessionTitle,
} from "./api.js";
import { progressFrom, sessionsDone } from "./progress.js";
import { expandIds } from "./status.js";

let context;

function weekBounds(today) {
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return [addDays(today, -weekday), addDays(today, 6 - weekday)];
}

/** Sessions still to mark: from the day the plan is planned from to the end of this week. */
function listedSessions() {
  const { plan } = context.record;
  const today = localDay(new Date(), plan.timezone);
  const [, weekEnd] = weekBounds(today);
  const from = plan.as_of || plan.start;
  return plan.sessions.filter((session) => {
    const day = session.start.slice(0, 10);
    return !session.done && day >= from && day <= weekEnd;
  });
}

function renderSummary() {
  const { plan } = context.record;
  const today = localDay(new Date(), plan.timezone);
  const todays = plan.sessions.filter((session) => session.start.slice(0, 10) === today);
  const next = plan.sessions.find(
    (session) => !session.done && session.start.slice(0, 10) >= today,
  );
  const parts = [`Today is ${formatDay(today, plan.timezone)}.`];
  parts.push(todays.length ? `${todays.length} session(s) today.` : "Nothing planned today.");
  if (next)
    parts.push(`Next: ${sessionTitle(next, plan)}, ${formatMoment(next.start, plan.timezone)}.`);
  document.getElementById("today-summary").textContent = parts.join(" ");
}

function renderSessions() {
  const { record, roadmap } = context;
  const container = document.getElementById("sessions");
  const listed = listedSessions();
  if (record.progress?.missed?.length) {
    const note = document.createElement("p");
    note.textContent =
      "You recorded missed days, so every session before the re-plan day outside them counts as done. " +
      "To mark single sessions instead, re-plan first, or clear the missed days.";
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "secondary";
    clear.textContent = "Clear the missed days";
    clear.addEventListener("click", () => guarded(() => saveProgress({})));
    container.replaceChildren(note, clear);
    return;
  }
  if (!listed.length) {
    container.replaceChildren(
      Object.assign(document.createElement("p"), { textContent: "No sessions to mark this week." }),
    );
    return;
  }
  const topics = topicIndex(roadmap);
  const done = sessionsDone(record, listed);
  const list = document.createElement("ul");
  list.className = "sessions";
  for (const session of listed) {
    const item = document.createElement("li");
    item.className = "session";
    item.style.borderLeftColor = sectionColor(topics.get(session.topic).sectionIndex);
    const group = document.createElement("fieldset");
    const legend = document.createElement("legend");
    const when = formatMoment(session.start, record.plan.timezone);
    legend.textContent = `${sessionTitle(session, record.plan)}, ${when}`;
    group.append(legend);
    for (const [value, label] of [
      ["done", "Done"],
      ["missed", "Missed"],
    ]) {
      const wrapper = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = `mark-${session.uid}`;
      input.value = value;
      input.dataset.uid = session.uid;
      input.checked = value === "done" && done.has(session.uid);
      wrapper.append(input, ` ${label}`);
      group.append(wrapper);
    }
    item.append(group);
    list.append(item);
  }
  container.replaceChildren(list);
}

function renderTopics() {
  const { record, roadmap } = context;
  const done = expandIds(roadmap, record.progress?.done);
  const skipped = expandIds(roadmap, record.progress?.skipped);
  const sections = roadmap.sections.map((section) => {
    const details = document.createElement("details");
    details.className = "section-tree";
    const summary = document.createElement("summary");
    summary.textContent = `${section.id}. ${section.title}`;
    details.append(summary);
    for (const topic of section.topics) {
      const field = document.createElement("div");
      field.className = "field";
      const label = document.createElement("label");
      label.htmlFor = `topic-${topic.id}`;
      label.textContent = `${topic.id} ${topic.title}`;
      const select = document.createElement("select");
      select.id = `topic-${topic.id}`;
      select.className = "topic-choice";
      select.dataset.topic = topic.id;
      for (const [value, text] of [
        ["todo", "to do"],
        ["done", "done"],
        ["skipped", "skip it"],
      ]) {
        select.append(new Option(text, value));
      }
      select.value = done.has(topic.id) ? "done" : skipped.has(topic.id) ? "skipped" : "todo";
      select.dataset.initial = select.value;
      if (select.value !== "todo") details.open = true;
      field.append(label, select);
      details.append(field);
    }
    return details;
  });
  document.getElementById("topics").replaceChildren(...sections);
}

async function saveProgress(progress) {
  const { id, token, record } = context;
  context.record = await api(`/plans/${id}/progress`, {
    method: "PUT",
    body: progress,
    token,
    ifMatch: etag(record),
  });
  renderAll();
  document.getElementById("progress-status").textContent = "Saved. Re-plan when you are ready.";
}

function onSaveProgress(event) {
  event.preventDefault();
  const marks = new Map();
  for (const input of document.querySelectorAll("#sessions input[type=radio]:checked")) {
    marks.set(input.dataset.uid, input.value === "done");
  }
  const choices = {};
  for (const select of document.querySelectorAll(".topic-choice")) {
    if (select.value !== select.dataset.initial) choices[select.dataset.topic] = select.value;
  }
  const progress = progressFrom(context.record, context.roadmap, listedSessions(), marks, choices);
  guarded(() => saveProgress(progress));
}

function onMissed(event) {
  event.preventDefault();
  const from = document.getElementById("missed-from").value;
  const to = document.getElementById("missed-to").value || from;
  if (!from) {
    showAlert("Say the first day you missed.");
    return;
  }
  guarded(async () => {
    const { id, token, record } = context;
    const body = { missed: [{ from, to }] };
    context.record = await api(`/plans/${id}/progress`, {
      method: "POST",
      body,
      token,
      ifMatch: etag(record),
    });
    renderAll();
    document.getElementById("missed-status").textContent =
      `Recorded: missed ${from} to ${to}. Re-plan when you are ready.`;
  });
}

function describeChanges(before, after, changes) {
  const zone = after.plan.timezone;
  const result = document.getElementById("replan-result");
  const heading = document.createElement("h3");
  heading.textContent = "What the re-plan changed";
  const finish = document.createElement("p");
  const days = changes.days_later;
  const moved =
    days === null
      ? ""
      : days === 0
        ? " (the same day)"
        : ` (${Math.abs(days)} days ${days > 0 ? "later" : "earlier"})`;
  finish.textContent = `Finish: ${changes.finish_before ? formatMoment(changes.finish_before, zone) : "—"} → ${
    changes.finish_after ? formatMoment(changes.finish_after, zone) : "—"
  }${moved}.`;
  const counts = document.createElement("p");
  counts.textContent = `Sessions: ${changes.kept} kept, ${changes.moved} moved, ${changes.added} added, ${changes.dropped} dropped; ${changes.done} done so far (${changes.hours_done} h done, ${changes.hours_left} h left).`;
  const previous = new Map(before.plan.sessions.map((session) => [session.uid, session]));
  const movedSessions = after.plan.sessions.filter(
    (session) =>
      !session.done &&
      previous.has(session.uid) &&
      previous.get(session.uid).start !== session.start,
  );
  sessionStorage.setItem(MOVED_KEY, JSON.stringify(movedSessions.map((session) => session.uid)));
  const parts = [heading, finish, counts];
  for (const warning of after.warnings || []) {
    parts.push(
      Object.assign(document.createElement("p"), {
        className: "alert alert-info",
        textContent: warning,
      }),
    );
  }
  if (movedSessions.length) {
    const table = document.createElement("table");
    table.className = "diff-table";
    table.innerHTML =
      '<caption>Moved sessions</caption><thead><tr><th scope="col">Session</th><th scope="col">Was</th><th scope="col">Now</th></tr></thead>';
    const body = document.createElement("tbody");
    for (const session of movedSessions.slice(0, 30)) {
      const row = body.insertRow();
      row.insertCell().textContent = sessionTitle(session, after.plan);
      row.insertCell().textContent = formatMoment(previous.get(session.uid).start, zone);
      row.insertCell().textContent = formatMoment(session.start, zone);
    }
    table.append(body);
    parts.push(table);
    if (movedSessions.length > 30)
      parts.push(
        Object.assign(document.createElement("p"), {
          textContent: `and ${movedSessions.length - 30} more.`,
        }),
      );
  }
  const link = document.createElement("a");
  link.href = `/plan/${context.id}`;
  link.textContent = "See the new plan in the calendar (moved sessions are outlined)";
  parts.push(link);
  result.replaceChildren(...parts);
  result.focus();
}

function onReplan(event) {
  event.preventDefault();
  const status = document.getElementById("replan-status");
  const button = document.getElementById("replan");
  guarded(async () => {
    const { id, token, record } = context;
    button.disabled = true;
    status.textContent = "Re-planning…";
    try {
      const asOf = document.getElementById("as-of").value;
      const answer = await api(`/plans/${id}/replan`, {
        method: "POST",
        body: { as_of: asOf },
        token,
        ifMatch: etag(record),
      });
      describeChanges(record, answer, answer.changes);
      context.record = answer;
      clearAlerts();
      status.textContent = "Done.";
      renderAll();
    } finally {
      button.disabled = false;
      if (status.textContent === "Re-planning…") status.textContent = "";
    }
  });
}

function renderAll() {
  const { plan } = context.record;
  renderSummary();
  renderSessions();
  renderTopics();
  const asOf = document.getElementById("as-of");
  const first = plan.as_of || plan.start;
  const today = localDay(new Date(), plan.timezone);
  asOf.min = first;
  asOf.value = today > first ? today : first;
}

guarded(async () => {
  context = await loadPlan();
  if (!context) return;
  renderAll();
  document.getElementById("progress-form").addEventListener("submit", onSaveProgress);
  document.getElementById("missed-form").addEventListener("submit", onMissed);
  document.getElementById("replan-form").addEventListener("submit", onReplan);
});

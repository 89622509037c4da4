// The start page: the weekly windows, days off, the topic tree, goals, holidays, busy
// calendars, reviews; the form becomes POST /plans, and a refusal is shown beside the
// field it is about. The same form is "Change my week" (data-editing): filled with the
// plan's profile, it re-plans (POST /plans/{id}/replan with the profile).
import {
  ApiError,
  api,
  etag,
  formatDay,
  guarded,
  loadPlan,
  localDay,
  rememberPlan,
  savedPlans,
} from "./api.js";
import { describeErrors } from "./form-errors.js";
import { chosenName, setUpNameField } from "./plan-name.js";
import { ownRoadmapBody, ownRoadmapChosen, setUpOwnRoadmap } from "./own-roadmap.js";
import { setUpRoadmapPreview } from "./own-roadmap-preview.js";
import {
  addGoal,
  extraFields,
  fillExtraFields,
  fillPace,
  labelGoals,
  paceFrom,
  sectionHours,
  showReviewOptions,
  showSubdivisions,
} from "./profile-fields.js";
import { addBusyCalendar, fillBusyCalendars, testBusyCalendars } from "./busy-calendars.js";
import { describeChanges } from "./replan-result.js";

const form = document.getElementById("plan-form");
const editing = form.hasAttribute("data-editing");
// "Change my week": the plan being changed, and what its profile has that the form does
// not show (holiday blackouts, a learned pace, an own roadmap's paces), sent back as it was.
let context = null;
let kept = { blackouts: [], pace: null };

function addRow(list, templateId, [from, to] = ["", ""]) {
  const row = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
  row.querySelector(".from").value = from;
  row.querySelector(".to").value = to;
  row.querySelector(".remove").addEventListener("click", () => {
    row.remove();
    relabel();
  });
  list.append(row);
  relabel();
  return row;
}

// Every control says which day and which row it belongs to.
function relabel() {
  for (const day of form.querySelectorAll(".day")) {
    day.querySelectorAll(".window-row").forEach((row, index) => {
      const name = `${day.dataset.name} window ${index + 1}`;
      row.dataset.loc = `${day.dataset.loc}.${index}`;
      row.dataset.name = name;
      row.querySelector(".from").setAttribute("aria-label", `${name}: from`);
      row.querySelector(".to").setAttribute("aria-label", `${name}: to`);
      row.querySelector(".remove").setAttribute("aria-label", `Remove ${name}`);
    });
  }
  form.querySelectorAll(".blackout-row").forEach((row, index) => {
    row.dataset.loc = `profile.blackouts.${index}`;
    row.dataset.name = `Days off ${index + 1}`;
    row.querySelector(".from").setAttribute("aria-label", `Days off ${index + 1}: first day`);
    row.querySelector(".to").setAttribute("aria-label", `Days off ${index + 1}: last day`);
    row.querySelector(".remove").setAttribute("aria-label", `Remove days off ${index + 1}`);
  });
  drawWeek();
}

function minutesOf(text) {
  const [hours, minutes] = text.split(":").map(Number);
  return hours * 60 + minutes;
}

function windowLength(from, to) {
  const length = (minutesOf(to) - minutesOf(from) + 1440) % 1440;
  return length === 0 ? 1440 : length;
}

/** The week as bars per day (a picture; the total below it says the same in words). */
function drawWeek() {
  const preview = document.getElementById("week-preview");
  const bars = [];
  let total = 0;
  let count = 0;
  form.querySelectorAll(".day").forEach((day, dayIndex) => {
    for (const row of day.querySelectorAll(".window-row")) {
      const from = row.querySelector(".from").value;
      const to = row.querySelector(".to").value;
      if (!from || !to) continue;
      const length = windowLength(from, to);
      row.querySelector(".past-midnight").hidden = minutesOf(from) + length <= 1440;
      total += length;
      count += 1;
      bars.push({ dayIndex, start: minutesOf(from), length });
    }
  });
  const cells = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((name) => {
    const column = document.createElement("div");
    column.className = "preview-day";
    const label = document.createElement("span");
    label.textContent = name;
    column.append(label);
    return column;
  });
  for (const bar of bars) {
    // A window past midnight is drawn in two parts, the second on the next day.
    const parts = [[bar.dayIndex, bar.start, Math.min(bar.length, 1440 - bar.start)]];
    if (bar.start + bar.length > 1440)
      parts.push([(bar.dayIndex + 1) % 7, 0, bar.start + bar.length - 1440]);
    for (const [dayIndex, start, length] of parts) {
      const block = document.createElement("div");
      block.className = "preview-window";
      block.style.top = `${(start / 1440) * 100}%`;
      block.style.height = `${(length / 1440) * 100}%`;
      cells[dayIndex].append(block);
    }
  }
  preview.replaceChildren(...cells);
  const hours = Math.round((total / 60) * 10) / 10;
  document.getElementById("week-total").textContent =
    `${hours} h a week in ${count} window${count === 1 ? "" : "s"}.`;
}

function collectProfile() {
  const weekly = {};
  for (const day of form.querySelectorAll(".day")) {
    const windows = [...day.querySelectorAll(".window-row")].map(
      (row) => `${row.querySelector(".from").value}-${row.querySelector(".to").value}`,
    );
    if (windows.length) weekly[day.dataset.day] = windows;
  }
  const roadmapId = form.querySelector("#roadmap").value;
  const own = ownRoadmapChosen(form);
  // A learner's own roadmap has no topic tree here: nothing skipped, its hours as written
  // (or, changing a plan's week, the skips and hours it had).
  const before = editing ? context.record.profile : { skip: [], hours: {} };
  const { skip, hours } = own ? { skip: before.skip, hours: before.hours } : knownTopics(roadmapId);
  const number = (id) =>
    form.querySelector(id).value === "" ? null : Number(form.querySelector(id).value);
  const profile = {
    timezone: form.querySelector("#timezone").value,
    start: form.querySelector("#start").value || null,
    weekly,
    blackouts: [
      ...[...form.querySelectorAll(".blackout-row")].map((row) => ({
        from: row.querySelector(".from").value || null,
        to: row.querySelector(".to").value || null,
      })),
      ...kept.blackouts,
    ],
    session: {
      min_minutes: number("#min-minutes"),
      max_minutes: number("#max-minutes"),
      slot_minutes: number("#slot-minutes"),
    },
    hours,
    skip,
    only_goals: form.querySelector("#only-goals").checked,
    deadline: form.querySelector("#deadline").value || null,
    max_hours_per_day: number("#max-day"),
    max_hours_per_week: number("#max-week"),
    pace: paceFrom(form, own ? null : topicTree(roadmapId), kept.pace),
    ...extraFields(form, number),
  };
  profile.order = form.querySelector("input[name=order]:checked").value;
  if (profile.order === "balanced") profile.max_shift = number("#max-shift");
  profile.replan = {
    ...(editing ? context.record.profile.replan : {}),
    keep_days: number("#keep-days") ?? 14,
  };
  return own ? { own_roadmap: ownRoadmapBody(form), profile } : { roadmap: roadmapId, profile };
}

function topicTree(roadmapId) {
  return form.querySelector(`.topics[data-roadmap="${roadmapId}"]`);
}

/** The topics of a bundled roadmap ticked as known, and the learner's own hours. */
function knownTopics(roadmapId) {
  const topics = topicTree(roadmapId);
  const skip = [];
  for (const section of topics.querySelectorAll(".skip-section:checked"))
    skip.push(section.dataset.id);
  for (const topic of topics.querySelectorAll(".skip-topic:checked")) {
    if (!skip.includes(topic.dataset.section)) skip.push(topic.dataset.id);
  }
  const hours = sectionHours(topics);
  for (const input of topics.querySelectorAll(".topic-hours")) {
    if (input.value !== "") hours[input.dataset.id] = Number(input.value);
  }
  return { skip, hours };
}

/** The chosen roadmap's fields: a bundled one's topic tree, or the own roadmap's text. */
function showRoadmapFields() {
  const chosen = form.querySelector("#roadmap").value;
  for (const tree of form.querySelectorAll(".topics"))
    tree.hidden = tree.dataset.roadmap !== chosen;
  form.querySelector("#own-roadmap").hidden = editing || !ownRoadmapChosen(form);
  labelGoals(form);
}

// A start before today (in the chosen zone) is asked about once: the plan's first
// sessions would be over before it is made.
let pastStartAccepted = null;

function learnersToday() {
  return localDay(new Date(), form.querySelector("#timezone").value);
}

/** True when the start is in the past and the learner has not said "plan anyway" to it. */
function askAboutPastStart() {
  const start = form.querySelector("#start").value;
  const box = document.getElementById("past-start");
  if (!start || start >= learnersToday() || start === pastStartAccepted) {
    box.hidden = true;
    return false;
  }
  document.getElementById("past-start-question").textContent =
    `Your start, ${formatDay(start, "UTC")}, is in the past: the plan's first sessions ` +
    "would be over before you see them.";
  box.hidden = false;
  document.getElementById("plan-from-today").focus();
  return true;
}

function answerPastStart() {
  document.getElementById("plan-from-today").addEventListener("click", () => {
    form.querySelector("#start").value = learnersToday();
    document.getElementById("past-start").hidden = true;
    form.requestSubmit();
  });
  document.getElementById("plan-anyway").addEventListener("click", () => {
    pastStartAccepted = form.querySelector("#start").value;
    document.getElementById("past-start").hidden = true;
    form.requestSubmit();
  });
}

async function submit(event) {
  event.preventDefault();
  if (editing) {
    await submitChange();
    return;
  }
  if (askAboutPastStart()) return;
  const status = document.getElementById("form-status");
  const button = document.getElementById("make-plan");
  describeErrors(form, []);
  button.disabled = true;
  status.textContent = "Planning… (a few seconds)";
  try {
    const body = { ...collectProfile(), name: chosenName(form) };
    const created = await api("/plans", { method: "POST", body });
    rememberPlan(created.id, {
      token: created.owner_token,
      name: created.name,
      linkToSave: true,
      roadmap: created.roadmap,
      own: "own_roadmap" in body,
      start: created.plan.start,
      created: new Date().toISOString(),
    });
    status.textContent = "Done.";
    location.assign(`/plan/${encodeURIComponent(created.id)}`);
  } catch (error) {
    status.textContent = "";
    showFailure(error);
  } finally {
    button.disabled = false;
  }
}

/** The service's refusal beside its fields (or at the top when it names none). */
function showFailure(error) {
  if (error instanceof ApiError && Array.isArray(error.detail)) {
    describeErrors(form, error.detail);
  } else {
    describeErrors(form, [{ loc: ["body"], msg: error.message }]);
  }
}

/** Change my week: re-plan with the changed profile, and say what changed. */
async function submitChange() {
  const status = document.getElementById("form-status");
  const button = document.getElementById("make-plan");
  describeErrors(form, []);
  button.disabled = true;
  status.textContent = "Re-planning… (a few seconds)";
  try {
    const { id, token, record } = context;
    const { profile } = collectProfile();
    const answer = await api(`/plans/${encodeURIComponent(id)}/replan`, {
      method: "POST",
      body: { profile },
      token,
      ifMatch: etag(record),
    });
    describeChanges(record, answer, id);
    context.record = answer;
    fillBusyCalendars(form, answer.profile.busy); // a new calendar is now the plan's, masked
    status.textContent = "Done: your plan follows your new week.";
  } catch (error) {
    status.textContent = "";
    showFailure(error);
  } finally {
    button.disabled = false;
  }
}

/** The form filled with a plan's profile, for "Change my week". */
function fillForm(record) {
  const profile = record.profile;
  const roadmaps = form.querySelector("#roadmap");
  const bundled = [...roadmaps.options].some((option) => option.value === record.roadmap);
  roadmaps.value = bundled ? record.roadmap : "own";
  form.querySelector("#timezone").value = profile.timezone;
  form.querySelector("#start").value = record.plan.start;
  for (const day of form.querySelectorAll(".day")) {
    const list = day.querySelector(".windows");
    for (const text of profile.weekly[day.dataset.day] || [])
      addRow(list, "window-row", text.split("-"));
  }
  const blackouts = document.getElementById("blackouts");
  for (const range of profile.blackouts.filter((blackout) => "from" in blackout))
    addRow(blackouts, "blackout-row", [range.from, range.to]);
  kept = {
    blackouts: profile.blackouts.filter((blackout) => !("from" in blackout)),
    pace: profile.pace, // a learned pace, and factors of ids the form has no field for
  };
  for (const key of ["min_minutes", "max_minutes", "slot_minutes"])
    form.querySelector(`#${key.replace("_minutes", "-minutes")}`).value = profile.session[key];
  const tree = form.querySelector(`.topics[data-roadmap="${record.roadmap}"]`);
  for (const id of tree ? profile.skip : []) {
    for (const box of tree.querySelectorAll(`[data-id="${CSS.escape(id)}"][type=checkbox]`))
      box.checked = true;
    for (const box of tree.querySelectorAll(`.skip-topic[data-section="${CSS.escape(id)}"]`))
      box.checked = true;
  }
  for (const [id, hours] of Object.entries(tree ? profile.hours : {})) {
    const input = tree.querySelector(`input[type=number][data-id="${CSS.escape(id)}"]`);
    if (input) input.value = hours;
  }
  form.querySelector("#only-goals").checked = profile.only_goals;
  form.querySelector("#deadline").value = profile.deadline || "";
  form.querySelector("#max-day").value = profile.max_hours_per_day ?? "";
  form.querySelector("#max-week").value = profile.max_hours_per_week ?? "";
  fillPace(form, tree, profile.pace);
  form.querySelector("#keep-days").value = profile.replan?.keep_days ?? 14;
  form.querySelector(`#order-${profile.order}`).checked = true;
  form.querySelector("#max-shift").value = profile.max_shift;
  fillExtraFields(form, profile);
}

/** The example's week in the form, in place of what the week had. */
function useExampleWeek() {
  for (const day of form.querySelectorAll(".day")) {
    const list = day.querySelector(".windows");
    list.replaceChildren();
    for (const text of day.dataset.example.split(" ").filter(Boolean))
      addRow(list, "window-row", text.split("-"));
  }
  relabel();
}

function listSavedPlans() {
  const plans = Object.entries(savedPlans());
  if (!plans.length) return;
  const list = document.getElementById("saved-plans");
  for (const [id, plan] of plans) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/plan/${encodeURIComponent(id)}`;
    const made = `${plan.title || plan.roadmap || "A plan"} from ${plan.start || "?"}`;
    link.textContent = plan.name || made;
    item.append(link);
    if (plan.name) item.append(" ", Object.assign(document.createElement("span"), {
      className: "muted",
      textContent: `(${made})`,
    }));
    list.append(item);
  }
  document.getElementById("saved").hidden = false;
}

function setUp() {
  for (const day of form.querySelectorAll(".day")) {
    const list = day.querySelector(".windows");
    day.querySelector(".add-window").addEventListener("click", () => {
      addRow(list, "window-row", ["19:00", "21:00"]).querySelector(".from").focus();
    });
  }
  document.getElementById("example-week").addEventListener("click", useExampleWeek);
  const blackouts = document.getElementById("blackouts");
  document.getElementById("add-blackout").addEventListener("click", () => {
    addRow(blackouts, "blackout-row").querySelector(".from").focus();
  });
  document.getElementById("add-goal").addEventListener("click", () => {
    addGoal(form).querySelector(".goal-id").focus();
  });
  for (const control of form.querySelectorAll("#holiday-country, input[name=holiday-as]"))
    control.addEventListener("change", () => showSubdivisions(form));
  showSubdivisions(form);
  form.querySelector("#review").addEventListener("change", () => showReviewOptions(form));
  document.getElementById("add-busy").addEventListener("click", () => {
    addBusyCalendar(form).querySelector(".busy-ics").focus();
  });
  document
    .getElementById("test-busy")
    .addEventListener("click", () => guarded(() => testBusyCalendars(form, api)));
  showReviewOptions(form);
  form.addEventListener("input", drawWeek);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = form.querySelector("#timezone");
  if ([...zones.options].some((option) => option.value === zone)) zones.value = zone;
  const start = form.querySelector("#start");
  start.value = learnersToday();
  // Today where the learner is: a start left at today follows the zone chosen.
  let defaultStart = start.value;
  zones.addEventListener("change", () => {
    if (start.value === defaultStart) start.value = learnersToday();
    defaultStart = learnersToday();
  });
  answerPastStart();
  for (const section of form.querySelectorAll(".skip-section")) {
    section.addEventListener("change", () => {
      const topics = section.closest("details").querySelectorAll(".skip-topic");
      for (const topic of topics) topic.checked = section.checked;
    });
  }
  form.querySelector("#roadmap").addEventListener("change", showRoadmapFields);
  showRoadmapFields(); // a reload may keep the choice made before it
  setUpOwnRoadmap(form);
  setUpRoadmapPreview(form);
  // The shift limit belongs to the balanced order only.
  const maxShift = form.querySelector(".max-shift");
  const showMaxShift = () => {
    maxShift.hidden = form.querySelector("input[name=order]:checked").value !== "balanced";
  };
  for (const mode of form.querySelectorAll("input[name=order]"))
    mode.addEventListener("change", showMaxShift);
  showMaxShift();
  form.addEventListener("submit", (event) => guarded(() => submit(event)));
  relabel();
  if (!editing) {
    setUpNameField(form);
    listSavedPlans();
  }
}

setUp();
if (editing) {
  guarded(async () => {
    context = await loadPlan();
    if (!context) return;
    fillForm(context.record);
    showRoadmapFields();
    relabel();
    showMaxShiftNow();
  });
}

function showMaxShiftNow() {
  form.querySelector(".max-shift").hidden =
    form.querySelector("input[name=order]:checked").value !== "balanced";
}

// The parts of the profile the start form (and "Change my week") adds to the week:
// goals with their dates, public holidays, busy calendars, review settings, hours per
// section. Each part is read into the profile the API takes, and filled back from one.
import { busyCalendars, commaList, fillBusyCalendars } from "./busy-calendars.js";

/** A row from a <template>, with a Remove button that calls `changed` after. */
export function templateRow(templateId, changed) {
  const row = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
  row.querySelector(".remove").addEventListener("click", () => {
    row.remove();
    changed();
  });
  return row;
}

// --- goals --------------------------------------------------------------------------

export function addGoal(form, [topic, by] = ["", ""]) {
  const row = templateRow("goal-row", () => labelGoals(form));
  row.querySelector(".goal-id").value = topic;
  row.querySelector(".goal-by").value = by || "";
  form.querySelector("#goals").append(row);
  labelGoals(form);
  return row;
}

/** Each goal row named for its number, its ids offered from the chosen roadmap. */
export function labelGoals(form) {
  const roadmap = form.querySelector("#roadmap").value;
  form.querySelectorAll(".goal-row").forEach((row, index) => {
    const name = `Goal ${index + 1}`;
    row.dataset.loc = `profile.goals.${index}`;
    row.dataset.name = name;
    const topic = row.querySelector(".goal-id");
    topic.setAttribute("aria-label", `${name}: topic or section`);
    topic.setAttribute("list", `goal-ids-${roadmap}`);
    row.querySelector(".goal-by").setAttribute("aria-label", `${name}: reached by (optional)`);
    row.querySelector(".remove").setAttribute("aria-label", `Remove goal ${index + 1}`);
  });
}

function goals(form) {
  return [...form.querySelectorAll(".goal-row")]
    .map((row) => {
      const topic = row.querySelector(".goal-id").value.trim();
      const by = row.querySelector(".goal-by").value;
      return by ? { topic, by } : topic;
    })
    .filter((goal) => goal !== "");
}

// --- public holidays ----------------------------------------------------------------

/** The subdivisions of the chosen country, offered, the one chosen kept (`chosen`: one
 * to choose); none chosen: the whole country. */
export function showSubdivisions(form, chosen = null) {
  const country = form.querySelector("#holiday-country").selectedOptions[0];
  const select = form.querySelector("#holiday-subdivision");
  chosen ??= select.value;
  // "CA=California|NY=New York": each code with its name.
  const named = (country?.dataset.subdivisions || "").split("|").filter(Boolean);
  const codes = named.map((entry) => entry.split("=")[0]);
  const options = [new Option("The whole country", "")];
  for (const entry of named) {
    const [code, name] = entry.split("=");
    options.push(new Option(name === code ? code : `${name} (${code})`, code));
  }
  select.replaceChildren(...options);
  select.value = codes.includes(chosen) ? chosen : "";
  select.disabled = !codes.length;
  const dayOff = form.querySelector("#holiday-day-off").checked;
  form.querySelector("#holiday-like").disabled = !dayOff || !country?.value;
}

function holidays(form) {
  const country = form.querySelector("#holiday-country").value;
  if (!country) return null;
  const kind = form.querySelector("input[name=holiday-as]:checked").value;
  const chosen = { country, as: kind };
  const subdivision = form.querySelector("#holiday-subdivision").value;
  if (subdivision) chosen.subdivision = subdivision;
  if (kind === "day_off") chosen.like = form.querySelector("#holiday-like").value;
  const categories = commaList(form.querySelector("#holiday-categories").value);
  if (categories.length) chosen.categories = categories;
  return chosen;
}

function fillHolidays(form, chosen) {
  form.querySelector("#holiday-country").value = chosen?.country?.toUpperCase() || "";
  const kind = chosen?.as || "day_off";
  form.querySelector(`#holiday-${kind === "day_off" ? "day-off" : "blackout"}`).checked = true;
  if (chosen?.like === "sun") form.querySelector("#holiday-like").value = "sun";
  form.querySelector("#holiday-categories").value = (chosen?.categories || []).join(", ");
  showSubdivisions(form, chosen?.subdivision || "");
}

// --- reviews ------------------------------------------------------------------------

export function showReviewOptions(form) {
  form.querySelector("#review-options").hidden = !form.querySelector("#review").checked;
}

function review(form, number) {
  if (!form.querySelector("#review").checked) return null;
  const days = form.querySelector("#review-after").value.split(/[\s,;]+/).filter(Boolean);
  return {
    minutes: number("#review-minutes"),
    after_days: days.map((day) => (/^\d+$/.test(day) ? Number(day) : day)),
    min_topic_hours: number("#review-min-hours"),
    slack_days: number("#review-slack"),
  };
}

function fillReview(form, rules) {
  form.querySelector("#review").checked = Boolean(rules);
  if (rules) {
    form.querySelector("#review-minutes").value = rules.minutes;
    form.querySelector("#review-after").value = rules.after_days.join(", ");
    form.querySelector("#review-min-hours").value = rules.min_topic_hours;
    form.querySelector("#review-slack").value = rules.slack_days;
  }
  showReviewOptions(form);
}

// --- the whole of these parts -------------------------------------------------------

/** These parts of the profile, as the API takes them. `number(selector)`: a field's number. */
export function extraFields(form, number) {
  const fields = { goals: goals(form), busy: busyCalendars(form) };
  const chosen = holidays(form);
  if (chosen) fields.holidays = chosen;
  const rules = review(form, number);
  if (rules) fields.review = rules;
  return fields;
}

/** These parts of the form filled from a stored profile ("Change my week"). */
export function fillExtraFields(form, profile) {
  for (const goal of profile.goals || []) {
    addGoal(form, typeof goal === "string" ? [goal, ""] : [goal.topic, goal.by]);
  }
  fillHolidays(form, profile.holidays);
  fillBusyCalendars(form, profile.busy);
  fillReview(form, profile.review);
}

/** The hours per section of a bundled roadmap's tree (topics' own hours are read apart). */
export function sectionHours(tree) {
  const hours = {};
  for (const input of tree.querySelectorAll(".section-hours")) {
    if (input.value !== "") hours[input.dataset.id] = Number(input.value);
  }
  return hours;
}

// --- pace ---------------------------------------------------------------------------

/** The profile's pace: `learned` as it was; else the form's factor, with a factor per
 * section or topic where one is typed (a mapping, the factor as its "all"); ids the form has no
 * field for (an own roadmap's ids) are sent back as they were. */
export function paceFrom(form, tree, keptPace) {
  if (keptPace === "learned") return keptPace;
  const value = form.querySelector("#pace").value;
  const factor = value === "" ? 1 : Number(value);
  const perId = keptPace && typeof keptPace === "object" ? { ...keptPace } : {};
  delete perId.all;
  for (const input of tree ? tree.querySelectorAll(".section-pace, .topic-pace") : []) {
    delete perId[input.dataset.id];
    if (input.value !== "") perId[input.dataset.id] = Number(input.value);
  }
  if (!Object.keys(perId).length) return factor;
  return factor === 1 ? perId : { ...perId, all: factor };
}

/** The form's pace fields filled from a profile's pace; a learned pace is shown, not
 * edited here (the plan page's "Plan with the estimates again" goes back). */
export function fillPace(form, tree, pace) {
  const learned = pace === "learned";
  form.querySelector("#pace-learned").hidden = !learned;
  for (const input of form.querySelectorAll("#pace, .section-pace, .topic-pace"))
    input.disabled = learned;
  if (typeof pace === "number") form.querySelector("#pace").value = pace;
  if (!pace || typeof pace !== "object") return;
  form.querySelector("#pace").value = pace.all ?? 1;
  for (const [id, factor] of Object.entries(pace)) {
    const field = `[data-id="${CSS.escape(id)}"]:is(.section-pace, .topic-pace)`;
    const input = tree?.querySelector(field);
    if (input) input.value = factor;
  }
}

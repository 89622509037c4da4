// The API's 422 answers, shown beside the field they are about: each error's `loc`
// (["body", "profile", "weekly", "mon", 0]) is matched to the nearest element whose
// data-loc is that path or a prefix of it ("profile.weekly.mon.0", then "profile.weekly"…),
// else by the field the message names first. A text the learner pasted (data-source) is
// named in its messages like a file, with the line: "own_roadmap:6: topic 1.2 y has no
// hours" reads "Line 6: topic 1.2 y has no hours" under that text.

/** The form's refusal: each error beside its field, and a summary at the top (focused). */
export function describeErrors(form, errors) {
  clearErrors(form);
  const summary = form.querySelector(".form-errors");
  summary.replaceChildren();
  if (!errors.length) return;
  const heading = document.createElement("p");
  heading.textContent =
    errors.length === 1 ? "One thing to fix:" : `${errors.length} things to fix:`;
  const list = document.createElement("ul");
  errors.forEach((error, index) => {
    const { target, message, path } = placeError(form, error, `field-error-${index}`);
    const item = document.createElement("li");
    // Named as the page names it ("Sessions"), else by the API's path ("profile.session").
    const name = target && fieldName(target);
    const label = name ? `${name}: ` : path.length ? `${path.join(".")}: ` : "";
    item.textContent = `${label}${message}`;
    list.append(item);
  });
  summary.append(heading, list);
  summary.focus();
}

/**
 * Errors beside their fields inside `scope` only, with no summary and no focus taken: a
 * refusal read while the learner types (the own roadmap's preview). What `scope` showed
 * before goes; an error with no field of its own in `scope` is shown at `fallback`.
 * The messages, one per error, as shown.
 */
export function markFieldErrors(form, scope, errors, fallback) {
  clearErrors(scope);
  return errors.map((error, index) => {
    const id = `field-error-${scope.id}-${index}`;
    const placed = placeError(form, error, id, (target) =>
      target && scope.contains(target) ? target : fallback,
    );
    return placed.message;
  });
}

/** The error notes and aria-invalid marks inside `scope` gone. */
function clearErrors(scope) {
  for (const old of scope.querySelectorAll(".field-error")) old.remove();
  for (const marked of scope.querySelectorAll("[aria-invalid]")) {
    marked.removeAttribute("aria-invalid");
    const kept = (marked.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && !id.startsWith("field-error-"));
    if (kept.length) marked.setAttribute("aria-describedby", kept.join(" "));
    else marked.removeAttribute("aria-describedby");
  }
}

/** One error as a note (with `id`) in the field it is about, its control marked invalid;
 * `choose` may put it elsewhere. Returns where it went, its message and its API path. */
function placeError(form, error, id, choose = (target) => target) {
  // A union's member is named in the path ("pace", "factor per id", "1.2"): not a key.
  let path = error.loc
    .filter((part) => part !== "body")
    .map(String)
    .filter((part) => !part.includes(" "));
  let raw = error.msg.replace(/^Value error, /, "");
  // The planner's own refusals name their key in the message ("profile: goals[1]: …").
  const keyed = /^profile(?:: |\.)([a-z_]+)((?:\[\d+\]|\.[\w.]+)*): /.exec(raw);
  if (/^busy calendar /.test(raw) && path.length <= 1) path = ["profile", "busy"];
  if (keyed && path.length <= 1) {
    const rest = keyed[2].match(/\[\d+\]|\.[\w]+/g) || [];
    path = ["profile", keyed[1], ...rest.map((part) => part.replace(/^\.|^\[|\]$/g, ""))];
    raw = raw.slice(keyed[0].length);
  }
  path = placedByMessage(form, path, raw);
  raw = inLearnersWords(raw);
  const target = choose(placeFor(form, path) || placeFor(form, [...path, ...namedField(raw)]));
  let message = target?.hasAttribute("data-source") ? withoutSourceName(raw) : raw;
  message = withLabels(form, message, target?.dataset.loc?.split(".") || path);
  if (target) {
    // A field inside a closed section ("What you know already", "More") is shown.
    for (let open = target.closest("details"); open; open = open.parentElement.closest("details"))
      open.open = true;
    const note = document.createElement("p");
    note.className = "field-error";
    note.id = id;
    note.textContent = message;
    target.append(note);
    const control = target.querySelector("input, select, textarea");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const described = control.getAttribute("aria-describedby") || "";
      control.setAttribute("aria-describedby", `${described} ${id}`.trim());
    }
  }
  return { target, message, path };
}

// The command line's words, said as the web says them: no commands to run, ids as the
// form shows them.
function inLearnersWords(message) {
  return message
    .replace(/ \(`planner [^`]*` [^)]*\)/g, "")
    .replace(/unknown topic or section id '([^']+)'/g, "there is no topic or section $1 in this roadmap")
    .replace(/^Categor(?:y is|ies are) not supported: (.*?)\.?$/, (_, names) =>
      `the country has no kind of holiday called ${names}`)
    .replace(/^Input should be a valid integer.*/, "Use a whole number.")
    .replace(/^'to' \((.*?)\) is before 'from' \((.*?)\)$/, "the last day ($1) is before the first ($2)")
    .replace(/\b(mon|tue|wed|thu|fri|sat|sun)(?= \d\d:\d\d)/g, (day) => DAY_NAMES[day]);
}

const DAY_NAMES = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** Where a refusal of the whole profile (or of the week) belongs, by what its message is
 * about: a goal's date ("goal 6.3 by 2027-01-01 is before start …") under that goal; an
 * unknown kind of holiday under the kinds; overlapping windows under their day; a
 * deadline that cannot be met under the deadline. Else `path` as it came. */
function placedByMessage(form, path, message) {
  const goal = /^goal (\S+) by /.exec(message);
  if (goal && path.length <= 1) {
    const rows = [...form.querySelectorAll(".goal-row")];
    const index = rows.findIndex((row) => row.querySelector(".goal-id").value.trim() === goal[1]);
    if (index >= 0) return ["profile", "goals", String(index)];
  }
  if (/^Categor(y|ies)\b/.test(message) && path.join(".") === "profile.holidays")
    return [...path, "categories"];
  // "mon 19:00-21:00 overlaps mon 19:30-20:30": under that day.
  const day = /^(mon|tue|wed|thu|fri|sat|sun) \d\d:\d\d/.exec(message);
  if (day && path.join(".") === "profile.weekly") return [...path, day[1]];
  // "the deadline 2027-03-01 cannot be met: …": under the deadline.
  if (/^the deadline \d{4}-\d\d-\d\d /.test(message) && path.length <= 1)
    return ["profile", "deadline"];
  return path;
}

/** How the page names a field: its row's name ("Goal 1"), else its label or legend. */
function fieldName(target) {
  if (target.dataset.name) return target.dataset.name;
  if (!target.matches("fieldset, .field, .day")) return "";
  const title = target.querySelector(":scope > legend, :scope > label, :scope > h3");
  return title ? title.textContent.trim() : "";
}

/** A key the model names ("review.minutes", "max_minutes") said as the form labels it
 * (“Minutes a review”), looked up from the field the error is about outwards. */
function withLabels(form, message, path) {
  return message.replace(/\b[a-z]+(?:[._][a-z]+)+\b/g, (key) => {
    for (let length = path.length; length > 0; length -= 1) {
      const loc = [...path.slice(0, length), key].join(".");
      const field = form.querySelector(`[data-loc="${CSS.escape(loc)}"]`);
      const name = field && fieldName(field);
      if (name) return `“${name}”`;
    }
    return key;
  });
}

// A rule over several fields comes back with the model's path (["profile"]) and names
// its field first: "review.minutes (20) is longer than…", "only_goals needs goals".
function namedField(message) {
  const name = /^([a-z_]+(?:\.[a-z_]+)*)\b/.exec(message);
  return name ? name[1].split(".") : [];
}

function withoutSourceName(message) {
  return message.replace(/^[a-z_]+(?:\.[a-z_]+)*:(?:(\d+):)? */, (_, line) =>
    line ? `Line ${line}: ` : "",
  );
}

function placeFor(form, path) {
  for (let length = path.length; length > 0; length -= 1) {
    const loc = path.slice(0, length).join(".");
    const match = [...form.querySelectorAll("[data-loc]")].find(
      (element) => element.dataset.loc === loc && !element.closest("[hidden]"),
    );
    if (match) return match;
  }
  return null;
}

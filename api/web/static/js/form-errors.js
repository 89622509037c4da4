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
    const named = target?.matches("fieldset, .field, .day");
    const title = named && target.querySelector(":scope > legend, :scope > label, :scope > h3");
    const label = target?.dataset.name
      ? `${target.dataset.name}: `
      : title
        ? `${title.textContent.trim()}: `
        : path.length
          ? `${path.join(".")}: `
          : "";
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
  let path = error.loc.filter((part) => part !== "body").map(String);
  let raw = error.msg.replace(/^Value error, /, "");
  // The planner's own refusals name their key in the message ("profile: goals[1]: …").
  const keyed = /^profile(?:: |\.)([a-z_]+)((?:\[\d+\]|\.[\w.]+)*): /.exec(raw);
  if (/^busy calendar /.test(raw) && path.length <= 1) path = ["profile", "busy"];
  if (keyed && path.length <= 1) {
    const rest = keyed[2].match(/\[\d+\]|\.[\w]+/g) || [];
    path = ["profile", keyed[1], ...rest.map((part) => part.replace(/^\.|^\[|\]$/g, ""))];
    raw = raw.slice(keyed[0].length);
  }
  raw = inLearnersWords(raw);
  const target = choose(placeFor(form, path) || placeFor(form, [...path, ...namedField(raw)]));
  const message = target?.hasAttribute("data-source") ? withoutSourceName(raw) : raw;
  if (target) {
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
    .replace(/unknown topic or section id '([^']+)'/g, "there is no topic or section $1 in this roadmap");
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

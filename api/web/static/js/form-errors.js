// The API's 422 answers, shown beside the field they are about: each error's `loc`
// (["body", "profile", "weekly", "mon", 0]) is matched to the nearest element whose
// data-loc is that path or a prefix of it ("profile.weekly.mon.0", then "profile.weekly"…),
// else by the field the message names first. A text the learner pasted (data-source) is
// named in its messages like a file, with the line: "own_roadmap:6: topic 1.2 y has no
// hours" reads "Line 6: topic 1.2 y has no hours" under that text.

export function describeErrors(form, errors) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const marked of form.querySelectorAll("[aria-invalid]")) {
    marked.removeAttribute("aria-invalid");
    const kept = (marked.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && !id.startsWith("field-error-"));
    if (kept.length) marked.setAttribute("aria-describedby", kept.join(" "));
    else marked.removeAttribute("aria-describedby");
  }
  const summary = form.querySelector(".form-errors");
  summary.replaceChildren();
  if (!errors.length) return;
  const heading = document.createElement("p");
  heading.textContent =
    errors.length === 1 ? "One thing to fix:" : `${errors.length} things to fix:`;
  const list = document.createElement("ul");
  errors.forEach((error, index) => {
    const path = error.loc.filter((part) => part !== "body").map(String);
    const raw = error.msg.replace(/^Value error, /, "");
    const target = placeFor(form, path) || placeFor(form, [...path, ...namedField(raw)]);
    const message = target?.hasAttribute("data-source") ? withoutSourceName(raw) : raw;
    const note = document.createElement("p");
    note.className = "field-error";
    note.id = `field-error-${index}`;
    note.textContent = message;
    if (target) {
      target.append(note);
      const control = target.querySelector("input, select, textarea");
      if (control) {
        control.setAttribute("aria-invalid", "true");
        const described = control.getAttribute("aria-describedby") || "";
        control.setAttribute("aria-describedby", `${described} ${note.id}`.trim());
      }
    }
    const item = document.createElement("li");
    // Named as the page names it ("Sessions"), else by the API's path ("profile.session").
    const named = target?.matches("fieldset, .field, .day");
    const title = named && target.querySelector(":scope > legend, :scope > label, :scope > h3");
    const label = title
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

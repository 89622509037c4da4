// The start form's "Your own roadmap": a text pasted or loaded from a file (read here in
// the browser; sent to be previewed and planned, never stored before the plan), the
// format it is read in, and its part of POST /plans and POST /roadmaps/preview. The
// service reads it as `planner import` and `planner check` do, and a refusal names the
// line, shown under the text it is about (form-errors.js, own-roadmap-preview.js).
import { guarded } from "./api.js";

// A roadmap in YAML has its keys at the top level; a file `planner import` wrote starts
// with "#" comments, so a first line starting with "#" does not make it Markdown.
const YAML_KEY = /^(id|title|sections)\s*:/m;
const FORMAT_NAMES = { markdown: "Markdown", yaml: "YAML" };

/** "markdown" or "yaml": the format a roadmap's text is most likely written in. */
export function formatOf(text) {
  return YAML_KEY.test(text) ? "yaml" : "markdown";
}

/** True when the Roadmap select is at "Your own roadmap". */
export function ownRoadmapChosen(form) {
  return form.querySelector("#roadmap").selectedOptions[0]?.dataset.own !== undefined;
}

/** POST /plans's `own_roadmap` (and POST /roadmaps/preview's body): the text under its
 * format, and the prerequisites if any. */
export function ownRoadmapBody(form) {
  const format = form.querySelector("input[name=own-format]:checked").value;
  const body = { [format]: form.querySelector("#own-roadmap-text").value };
  const prerequisites = form.querySelector("#own-prerequisites-text").value;
  if (prerequisites.trim()) body.prerequisites = prerequisites;
  return body;
}

/** The format follows the text until the learner picks one by hand. */
function followFormat(form) {
  const text = form.querySelector("#own-roadmap-text");
  const hint = form.querySelector("#own-format-hint");
  let byHand = false;
  for (const radio of form.querySelectorAll("input[name=own-format]")) {
    radio.addEventListener("change", () => {
      byHand = true;
      hint.textContent = `Read as ${FORMAT_NAMES[radio.value]}, as you chose.`;
    });
  }
  text.addEventListener("input", () => {
    if (!text.value.trim()) byHand = false;
    if (byHand) return;
    const format = formatOf(text.value);
    form.querySelector(`#own-format-${format}`).checked = true;
    hint.textContent =
      format === "yaml"
        ? "Read as YAML: it has an id:, title: or sections: key at the top level."
        : "Read as Markdown: it has no id:, title: or sections: key at the top level.";
  });
}

/** A file chosen is read into the textarea its input names (data-into), as if typed
 * there and left (an input and a change event). */
function loadFiles(form) {
  for (const input of form.querySelectorAll(".load-file")) {
    input.addEventListener("change", () =>
      guarded(async () => {
        const file = input.files[0];
        if (!file) return;
        const target = form.querySelector(`#${input.dataset.into}`);
        target.value = await file.text();
        target.dispatchEvent(new Event("input", { bubbles: true }));
        target.dispatchEvent(new Event("change", { bubbles: true }));
      }),
    );
  }
}

export function setUpOwnRoadmap(form) {
  followFormat(form);
  loadFiles(form);
}

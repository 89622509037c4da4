// The own roadmap read before planning: as the learner pastes, types or loads it,
// POST /roadmaps/preview reads it as POST /plans would, and the form shows how it was
// read under the box (the plan page's summary, roadmap-summary.js) or the refusal with
// its line under the text it is about (form-errors.js). Calm: a preview stays until the
// next answer replaces it, an answer to an older text is dropped, nothing takes focus,
// and the region says what changed politely (aria-live).
import { ApiError, api } from "./api.js";
import { markFieldErrors } from "./form-errors.js";
import { ownRoadmapBody, ownRoadmapChosen } from "./own-roadmap.js";
import { summaryLine, summaryParts } from "./roadmap-summary.js";

const PAUSE_MS = 400; // typing pauses this long before the text is read

/** What the summary shows of a roadmap: a new answer that shows the same is not redrawn
 * (a changed link or item list is not announced again). */
function shownOf(roadmap) {
  return JSON.stringify([
    roadmap.title,
    roadmap.hours,
    roadmap.sections.map((section) => [
      section.id,
      section.title,
      section.hours,
      section.topics.map((topic) => [topic.id, topic.title, topic.hours]),
    ]),
  ]);
}

/** The preview region's three states: a roadmap read, a refusal, or nothing to read. */
function previewView(form) {
  const fields = form.querySelector("#own-roadmap");
  const roadmapField = form.querySelector("[data-loc='own_roadmap']");
  const summary = form.querySelector("#own-roadmap-preview-summary");
  const note = form.querySelector("#own-roadmap-preview-note");
  let shown = null;

  function say(text, { visible = false } = {}) {
    note.textContent = text;
    note.classList.toggle("visually-hidden", !visible);
  }
  return {
    roadmap(roadmap) {
      markFieldErrors(form, fields, [], roadmapField);
      say("");
      summary.hidden = false;
      summary.dataset.title = roadmap.title; // the plan's suggested name (plan-name.js)
      form.dispatchEvent(new Event("roadmap-read"));
      if (shownOf(roadmap) === shown) return;
      shown = shownOf(roadmap);
      form.querySelector("#own-roadmap-preview-line").textContent = summaryLine(roadmap);
      form.querySelector("#own-roadmap-preview-sections").replaceChildren(...summaryParts(roadmap));
    },
    // Shown under the box it is about; the region only says so, for a screen reader.
    refusal(errors) {
      const messages = markFieldErrors(form, fields, errors, roadmapField);
      summary.hidden = true;
      shown = null;
      say(`Not read: ${messages.join(" ")}`);
    },
    unavailable(message) {
      say(`No preview just now (${message}); Make my plan still reads your roadmap.`, {
        visible: true,
      });
    },
    nothing() {
      markFieldErrors(form, fields, [], roadmapField);
      summary.hidden = true;
      shown = null;
      say("");
    },
  };
}

export function setUpRoadmapPreview(form) {
  const view = previewView(form);
  const roadmapText = form.querySelector("#own-roadmap-text");
  let timer = null;
  let asked; // the body last read, as JSON ("null": no text): the same is not read twice
  let latest = 0; // the last request's number; an answer to an earlier one is dropped

  async function read() {
    clearTimeout(timer);
    if (!ownRoadmapChosen(form)) return;
    const body = roadmapText.value.trim() ? ownRoadmapBody(form) : null;
    if (JSON.stringify(body) === asked) return;
    asked = JSON.stringify(body);
    latest += 1;
    const number = latest;
    if (body === null) {
      view.nothing();
      return;
    }
    try {
      const roadmap = await api("/roadmaps/preview", { method: "POST", body });
      if (number === latest) view.roadmap(roadmap);
    } catch (error) {
      if (number !== latest) return;
      if (error instanceof ApiError && error.status === 422 && Array.isArray(error.detail)) {
        view.refusal(error.detail);
      } else {
        asked = undefined; // no answer about the text: read it again next time
        view.unavailable(error.message);
      }
    }
  }
  const readSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(read, PAUSE_MS);
  };

  for (const text of form.querySelectorAll("#own-roadmap-text, #own-prerequisites-text")) {
    text.addEventListener("input", readSoon);
    text.addEventListener("change", read); // left, or loaded from a file: read it now
  }
  for (const radio of form.querySelectorAll("input[name=own-format]"))
    radio.addEventListener("change", read);
  form.querySelector("#roadmap").addEventListener("change", read);
  read(); // a reload may keep the text and the choice made before it
}

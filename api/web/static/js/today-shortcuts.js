// The Today page's shortcuts beside the session records: topics done or skipped (a
// select per topic), and the missed days and extra study recorded, each with a way to
// take it back.
import { element, formatDay, topicIndex } from "./api.js";
import { expandIds } from "./status.js";

function topicField(topic, done, skipped) {
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
  field.append(label, select);
  return field;
}

/** A section at a time, each topic to do, done or skipped; a section with a choice opens. */
export function renderTopics(record, roadmap) {
  const done = expandIds(roadmap, record.progress?.done);
  const skipped = expandIds(roadmap, record.progress?.skipped);
  const sections = roadmap.sections.map((section) => {
    const details = document.createElement("details");
    details.className = "section-tree";
    const summary = document.createElement("summary");
    summary.textContent = `${section.id}. ${section.title}`;
    details.append(summary);
    for (const topic of section.topics) details.append(topicField(topic, done, skipped));
    details.open = section.topics.some((topic) => done.has(topic.id) || skipped.has(topic.id));
    return details;
  });
  document.getElementById("topics").replaceChildren(...sections);
}

/** Topic id -> "todo", "done" or "skipped", for each topic whose choice changed. */
export function topicChoicesOnPage() {
  const choices = {};
  for (const select of document.querySelectorAll(".topic-choice")) {
    if (select.value !== select.dataset.initial) choices[select.dataset.topic] = select.value;
  }
  return choices;
}

/** The topics to choose from for study outside the plan, by section (filled once). */
export function renderExtraTopics(roadmap) {
  const select = document.getElementById("extra-topic");
  if (select.options.length) return;
  select.append(new Option("Choose a topic", ""));
  for (const section of roadmap.sections) {
    const group = document.createElement("optgroup");
    group.label = `${section.id}. ${section.title}`;
    for (const topic of section.topics)
      group.append(new Option(`${topic.id} ${topic.title}`, topic.id));
    select.append(group);
  }
}

/**
 * For each extra study of the record, whether a re-plan took it into the plan's
 * history already (an event `…-<topic>-extra<YYYYMMDD>-<n>…` marked done): taking it
 * back would not take it out of the plan, so the page does not offer to.
 */
function extraInPlan(record) {
  const seen = {};
  return (record.progress?.extra || []).map(({ topic, day }) => {
    const key = `-${topic}-extra${day.replaceAll("-", "")}-`;
    seen[key] = (seen[key] || 0) + 1;
    const taken = record.plan.sessions.filter((s) => s.done && s.uid.includes(key)).length;
    return seen[key] <= taken;
  });
}

function recordedItem(words, removeLabel, remove) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary small";
  button.textContent = "Remove";
  button.setAttribute("aria-label", removeLabel);
  button.addEventListener("click", remove);
  item.append(`${words} `, button);
  return item;
}

/**
 * The missed days and extra study recorded. `remove(change)` takes one back: `change`
 * edits the progress to send (its `missed` or `extra` list).
 */
export function renderRecorded(record, roadmap, remove) {
  const zone = record.plan.timezone;
  const progress = record.progress || {};
  const missed = (progress.missed || []).map((range, index) => {
    const words = `${formatDay(range.from, zone)} to ${formatDay(range.to, zone)}`;
    return recordedItem(`Missed: ${words}`, `Remove the missed days ${words}`, () =>
      remove((body) => body.missed.splice(index, 1)),
    );
  });
  document.getElementById("missed-list").replaceChildren(...missed);
  const topics = topicIndex(roadmap);
  const inPlan = extraInPlan(record);
  const extra = (progress.extra || []).map((entry, index) => {
    const title = topics.get(entry.topic)?.topic.title || "";
    const at = entry.at ? ` from ${entry.at.slice(0, 5)}` : "";
    const day = formatDay(entry.day, zone);
    const words = `${entry.minutes} min of ${entry.topic} ${title} on ${day}${at}`;
    if (inPlan[index]) return element("li", { textContent: `${words} (in the plan)` });
    return recordedItem(words, `Remove the study of ${words}`, () =>
      remove((body) => body.extra.splice(index, 1)),
    );
  });
  document.getElementById("extra-list").replaceChildren(...extra);
}

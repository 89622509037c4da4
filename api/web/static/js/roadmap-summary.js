// The plan page's account of its roadmap: sections with their topics and hours, and the
// total, so a learner who pasted their own roadmap sees how it was read.
import { hoursText, savedPlans, sectionColor } from "./api.js";

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function sectionsTable(roadmap) {
  const table = document.createElement("table");
  table.className = "plain-table";
  table.createCaption().textContent = `The sections of ${roadmap.title}`;
  const head = table.createTHead().insertRow();
  for (const title of ["Section", "Topics", "Hours"]) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = title;
    head.append(cell);
  }
  const body = table.createTBody();
  roadmap.sections.forEach((section, index) => {
    const row = body.insertRow();
    const name = document.createElement("th");
    name.scope = "row";
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = sectionColor(index);
    name.append(swatch, `${section.id}. ${section.title}`);
    row.append(name);
    row.insertCell().textContent = section.topics.length;
    row.insertCell().textContent = hoursText(section.hours);
  });
  const total = table.createTFoot().insertRow();
  const label = document.createElement("th");
  label.scope = "row";
  label.textContent = "In all";
  total.append(label);
  total.insertCell().textContent = roadmap.sections.flatMap((section) => section.topics).length;
  total.insertCell().textContent = hoursText(roadmap.hours);
  return table;
}

/** "Frontend Developer Roadmap: 3 sections, 9 topics, 28 h", and a table by section;
 * open at first for a roadmap the learner brought (so said when the plan was made here). */
export function renderRoadmapSummary({ id, record, roadmap }) {
  const topics = roadmap.sections.flatMap((section) => section.topics);
  document.getElementById("roadmap-summary-line").textContent =
    `${roadmap.title}: ${plural(roadmap.sections.length, "section")}, ` +
    `${plural(topics.length, "topic")}, ${hoursText(roadmap.hours)}`;
  const parts = [sectionsTable(roadmap)];
  // A topic the roadmap gives no hours (a milestone) is planned only with the learner's.
  const ownHours = record.profile.hours || {};
  const unplanned = topics.filter((topic) => topic.hours === 0 && !(topic.id in ownHours));
  if (unplanned.length) {
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent =
      "Not planned, as the roadmap gives no hours: " +
      unplanned.map((topic) => `${topic.id} ${topic.title}`).join(", ") +
      ".";
    parts.push(note);
  }
  document.getElementById("roadmap-sections").replaceChildren(...parts);
  if (savedPlans()[id]?.own) document.getElementById("roadmap-summary").open = true;
}

// How a roadmap was read: sections with their topics and hours, and the total, so a
// learner who pasted their own roadmap sees it — on the plan page, and on the start form
// before planning (own-roadmap-preview.js).
import { hoursText, savedPlans, sectionColor, tableWithHeader } from "./api.js";

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function sectionsTable(roadmap) {
  const table = tableWithHeader("plain-table", `The sections of ${roadmap.title}`, [
    "Section",
    "Topics",
    "Hours",
  ]);
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

/** "Frontend Developer Roadmap: 3 sections, 9 topics, 28 h". */
export function summaryLine(roadmap) {
  const topics = roadmap.sections.flatMap((section) => section.topics).length;
  return (
    `${roadmap.title}: ${plural(roadmap.sections.length, "section")}, ` +
    `${plural(topics, "topic")}, ${hoursText(roadmap.hours)}`
  );
}

/** The table by section, and the topics left out of a plan: those the roadmap gives no
 * hours (a milestone) and the learner gave none of their own (`ownHours`). */
export function summaryParts(roadmap, ownHours = {}) {
  const parts = [sectionsTable(roadmap)];
  const unplanned = roadmap.sections
    .flatMap((section) => section.topics)
    .filter((topic) => topic.hours === 0 && !(topic.id in ownHours));
  if (unplanned.length) {
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent =
      "Not planned, as the roadmap gives no hours: " +
      unplanned.map((topic) => `${topic.id} ${topic.title}`).join(", ") +
      ".";
    parts.push(note);
  }
  return parts;
}

/** The plan page's summary: its line and table; open at first for a roadmap the learner
 * brought (so said when the plan was made here). */
export function renderRoadmapSummary({ id, record, roadmap }) {
  document.getElementById("roadmap-summary-line").textContent = summaryLine(roadmap);
  document
    .getElementById("roadmap-sections")
    .replaceChildren(...summaryParts(roadmap, record.profile.hours || {}));
  if (savedPlans()[id]?.own) document.getElementById("roadmap-summary").open = true;
}

// A plan's name, given by the learner and kept with the plan (so a browser that opens
// the private link shows it too): suggested on the start form from the roadmap and the
// first goal or the start day, shown as the plan page's heading, renamed there.
import { api, etag, guarded, rememberPlan } from "./api.js";

const START_DAY = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** The name a plan gets when the learner leaves the field empty. */
export function suggestedName(form) {
  const roadmap = form.querySelector("#roadmap");
  const option = roadmap.selectedOptions[0];
  const preview = form.querySelector("#own-roadmap-preview-summary");
  const ownTitle = (!preview.hidden && preview.dataset.title) || "My roadmap";
  const title = option?.dataset.own !== undefined ? ownTitle : option?.dataset.title;
  const goal = form.querySelector(".goal-row .goal-id")?.value.trim();
  if (goal) {
    const known = [...document.querySelectorAll(`#goal-ids-${roadmap.value} option`)].find(
      (each) => each.value === goal,
    );
    const goalTitle = known ? known.textContent.replace(/ \(all of it\)$/, "") : goal;
    return `${title}: ${goalTitle}`;
  }
  const start = form.querySelector("#start").value;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(start) ? new Date(`${start}T12:00:00Z`) : null;
  return day ? `${title} from ${START_DAY.format(day)}` : title;
}

/** The name field shows the suggestion as its placeholder while it is empty. */
export function setUpNameField(form) {
  const field = form.querySelector("#plan-name");
  const suggest = () => {
    field.placeholder = suggestedName(form);
  };
  form.addEventListener("input", suggest);
  form.addEventListener("change", suggest);
  form.addEventListener("roadmap-read", suggest); // an own roadmap's title, read
  suggest();
}

/** The name the new plan is made with: the learner's, else the suggestion. */
export function chosenName(form) {
  return form.querySelector("#plan-name").value.trim() || suggestedName(form);
}

function showName(context) {
  const name = context.record.name || `Your plan: ${context.roadmap.title}`;
  document.getElementById("plan-title").textContent = name;
  document.title = `${name} — Roadmap Planner`;
}

/** The plan page's heading, and its rename form. */
export function setUpPlanName(context) {
  showName(context);
  const button = document.getElementById("rename-plan");
  const renameForm = document.getElementById("rename-form");
  const field = document.getElementById("new-plan-name");
  const status = document.getElementById("rename-status");
  button.hidden = false;
  button.addEventListener("click", () => {
    field.value = context.record.name;
    renameForm.hidden = false;
    button.hidden = true;
    field.focus();
  });
  const close = () => {
    renameForm.hidden = true;
    button.hidden = false;
    button.focus();
  };
  document.getElementById("rename-cancel").addEventListener("click", close);
  renameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(async () => {
      status.textContent = "Saving…";
      const { id, token, record } = context;
      context.record = await api(`/plans/${encodeURIComponent(id)}`, {
        method: "PATCH",
        body: { name: field.value },
        token,
        ifMatch: etag(record),
      }).finally(() => {
        status.textContent = "";
      });
      rememberPlan(id, { name: context.record.name });
      showName(context);
      status.textContent = "Renamed.";
      close();
    });
  });
}

// Once per new plan: the private link, with a copy button and why to keep it. Shown on
// the plan page (not a dialog: the plan is usable beside it) until the learner says it
// is saved; a plan opened from its link in another browser never asks.
import { copyText, guarded, privateLink, rememberPlan, savedPlans } from "./api.js";

export function offerPrivateLink({ id, token }) {
  if (!savedPlans()[id]?.linkToSave) return;
  const section = document.getElementById("save-link");
  const link = document.getElementById("save-link-url");
  const status = document.getElementById("save-link-status");
  link.value = privateLink(id, token);
  section.hidden = false;
  document.getElementById("save-link-copy").addEventListener("click", () =>
    guarded(async () => {
      link.select();
      await copyText(link.value, status);
    }),
  );
  document.getElementById("save-link-done").addEventListener("click", () => {
    rememberPlan(id, { linkToSave: false });
    section.hidden = true;
    document.getElementById("plan-title").focus();
  });
}

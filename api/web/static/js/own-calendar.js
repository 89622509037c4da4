// "Your own calendar" on the Subscribe page: the plan written into the learner's CalDAV
// calendar (PUT /plans/{id}/calendar), read back on request (POST …/calendar/sync) and
// forgotten (DELETE). The password goes to the service once, in the PUT, and is cleared
// from the form at once: nothing of it is kept in this browser. The service's refusals
// are shown beside the field they are about (the 422 names it: caldav, password, token).
import { ApiError, api, element, formatMoment, MOVED_KEY } from "./api.js";
import { describeErrors } from "./form-errors.js";

let context; // the page's plan context: {id, token, record, roadmap}
let onPlanChanged; // called with the plan record after a sync that re-planned
let connected = null; // the calendar as the service last answered it (masked)

const byId = (id) => document.getElementById(id);

function calendarPath() {
  return `/plans/${encodeURIComponent(context.id)}/calendar`;
}

/** The connected account, or the form when there is none. */
function showTarget(target) {
  const form = byId("own-form");
  byId("own-connected").hidden = !target;
  form.hidden = Boolean(target);
  byId("own-form-title").textContent = "Connect your calendar";
  byId("own-again-hint").hidden = true;
  byId("own-cancel").hidden = true;
  connected = target;
  if (!target) return;
  const zone = context.record.plan.timezone;
  byId("own-name").textContent = target.name;
  byId("own-server").textContent = target.caldav;
  const signsIn = target.signs_in_with === "token" ? "an access token" : "a password";
  byId("own-user").textContent = `${target.username} (with ${signsIn})`;
  byId("own-events").textContent = String(target.events);
  byId("own-synced").textContent = target.synced_at
    ? formatMoment(target.synced_at, zone)
    : "not yet";
  const problem = byId("own-error");
  problem.hidden = !target.error;
  if (target.error) {
    const since = target.failing_since ? ` since ${formatMoment(target.failing_since, zone)}` : "";
    const times = target.failures === 1 ? "once" : `${target.failures} times`;
    problem.textContent =
      `The last sync failed (${times}${since}): ${target.error}. ` +
      "The service tries again by itself; Sync now tries at once.";
  }
}

function chosenProvider() {
  const select = byId("own-provider");
  return select.options[select.selectedIndex];
}

function signsInWithToken() {
  return document.querySelector("input[name=own-sign-in]:checked").value === "token";
}

function showSecretField() {
  const token = signsInWithToken();
  byId("own-password-field").hidden = token;
  byId("own-token-field").hidden = !token;
  byId("own-password").required = !token;
  byId("own-token").required = token;
}

function choosePreset() {
  const option = chosenProvider();
  byId("own-provider-hint").textContent = option.dataset.hint || "";
  const address = byId("own-caldav");
  if (option.dataset.caldav) address.value = option.dataset.caldav;
  else if (option.value) address.value = "";
  address.placeholder = option.dataset.placeholder || "";
  const wanted = "token" in option.dataset ? "token" : "password";
  document.querySelector(`input[name=own-sign-in][value=${wanted}]`).checked = true;
  showSecretField();
}

/** The form again, for a new password or token: the user and calendar as connected, the
 * address to give again (the service answers it masked). */
function connectAgain() {
  const form = byId("own-form");
  describeErrors(form, []);
  byId("own-provider").value = "";
  choosePreset();
  byId("own-caldav").value = "";
  byId("own-username").value = connected.username;
  byId("own-calendar-name").value = connected.name;
  const wanted = connected.signs_in_with === "token" ? "token" : "password";
  document.querySelector(`input[name=own-sign-in][value=${wanted}]`).checked = true;
  showSecretField();
  byId("own-form-title").textContent = "Change the password";
  byId("own-again-hint").hidden = false;
  byId("own-cancel").hidden = false;
  form.hidden = false;
  byId("own-provider").focus();
}

function cancelAgain() {
  clearSecrets();
  showTarget(connected);
  byId("own-again").focus();
}

function clearSecrets() {
  byId("own-password").value = "";
  byId("own-token").value = "";
}

async function connect(event) {
  event.preventDefault();
  const form = byId("own-form");
  const status = byId("own-status");
  if (!form.reportValidity()) return;
  const body = {
    caldav: byId("own-caldav").value.trim(),
    username: byId("own-username").value.trim(),
    name: byId("own-calendar-name").value.trim() || "Study plan",
  };
  if (signsInWithToken()) body.token = byId("own-token").value;
  else body.password = byId("own-password").value;
  const button = byId("own-connect");
  button.disabled = true;
  status.textContent = "Connecting to your calendar and writing the plan…";
  describeErrors(form, []);
  try {
    const target = await api(calendarPath(), { method: "PUT", body, token: context.token });
    clearSecrets();
    showTarget(target);
    byId("own-sync-result").replaceChildren(
      element("p", {
        className: target.error ? "alert" : "alert alert-ok",
        textContent: target.error
          ? `Connected to “${target.name}”, but writing the plan failed; the service tries again.`
          : `Connected: ${target.events} events written into “${target.name}”.`,
      }),
    );
    byId("own-sync").focus();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const problems = Array.isArray(error.detail)
      ? error.detail
      : [{ loc: ["body"], msg: error.message }];
    describeErrors(form, problems);
  } finally {
    button.disabled = false;
    status.textContent = "";
  }
}

function when(session, zone) {
  const end = formatMoment(session.end, zone, {
    weekday: undefined,
    day: undefined,
    month: undefined,
    year: undefined,
  });
  return `${formatMoment(session.start, zone)}–${end}`;
}

/** What a sync took in and wrote, in words. */
function describeSync(answer, zone) {
  const lines = [];
  for (const edit of answer.taken_in) {
    const name = `${edit.topic} ${edit.title}`;
    lines.push(
      edit.action === "moved"
        ? `Moved in your calendar, kept there: ${name}, ${when(edit, zone)}.`
        : `Deleted in your calendar, its hours planned elsewhere: ${name} (was ${when(edit, zone)}).`,
    );
  }
  if (!answer.taken_in.length) lines.push("Nothing was moved or deleted in your calendar.");
  if (answer.replanned) lines.push("The plan was re-planned around it.");
  const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  lines.push(
    `Written: ${count(answer.written, "event")}; removed: ${count(answer.deleted, "event")}; ` +
      `unchanged: ${answer.unchanged}.`,
  );
  if (answer.conflicts.length)
    lines.push(`${count(answer.conflicts.length, "event")} changed while written: read again next time.`);
  for (const warning of answer.warnings) lines.push(warning);
  return lines;
}

/** The sessions whose time a re-plan changed: outlined in the plan's views (MOVED_KEY). */
function markMoved(before, after) {
  const was = new Map(before.sessions.map((s) => [s.uid, `${s.start} ${s.end}`]));
  const moved = after.sessions
    .filter((s) => was.has(s.uid) && was.get(s.uid) !== `${s.start} ${s.end}`)
    .map((s) => s.uid);
  sessionStorage.setItem(MOVED_KEY, JSON.stringify(moved));
}

async function syncNow() {
  const button = byId("own-sync");
  const result = byId("own-sync-result");
  button.disabled = true;
  result.replaceChildren(element("p", { textContent: "Reading your calendar…" }));
  try {
    const answer = await api(`${calendarPath()}/sync`, { method: "POST", token: context.token });
    showTarget(answer.calendar);
    const zone = context.record.plan.timezone;
    const list = element("ul", { className: "sync-result" });
    for (const line of describeSync(answer, zone)) list.append(element("li", { textContent: line }));
    result.replaceChildren(list);
    if (answer.replanned) {
      const before = context.record.plan;
      context.record = await api(`/plans/${encodeURIComponent(context.id)}`, {
        token: context.token,
      });
      markMoved(before, context.record.plan);
      onPlanChanged(context.record);
      const link = element("a", {
        href: `/plan/${encodeURIComponent(context.id)}`,
        textContent: "See the plan",
      });
      const paragraph = element("p");
      paragraph.append(link, " (moved sessions are outlined).");
      result.append(paragraph);
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    result.replaceChildren(
      element("p", { className: "alert", textContent: `Sync failed: ${error.message}` }),
    );
    await refresh(); // the failure is on the target now
  } finally {
    button.disabled = false;
  }
}

async function disconnect() {
  const dialog = byId("disconnect-dialog");
  const confirmed = await new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), {
      once: true,
    });
    dialog.returnValue = "";
    dialog.showModal();
  });
  if (!confirmed) return;
  await api(calendarPath(), { method: "DELETE", token: context.token }).catch((error) => {
    if (!(error instanceof ApiError && error.status === 404)) throw error; // gone already
  });
  byId("own-sync-result").replaceChildren();
  showTarget(null);
  byId("own-status").textContent =
    "Disconnected: the service no longer writes to that calendar and forgot the password.";
}

async function refresh() {
  try {
    showTarget(await api(calendarPath(), { token: context.token }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) showTarget(null);
    else throw error;
  }
}

/**
 * Sets up the section for the plan of `planContext`; `planChanged(record)` is called
 * after a sync that re-planned (the page's copy of the plan is then stale). Nothing to
 * do when the service keeps no calendar passwords (the section then says so).
 */
export async function setUpOwnCalendar(planContext, planChanged, guard) {
  const form = byId("own-form");
  if (!form) return;
  context = planContext;
  onPlanChanged = planChanged;
  byId("own-provider").addEventListener("change", choosePreset);
  for (const radio of document.querySelectorAll("input[name=own-sign-in]"))
    radio.addEventListener("change", showSecretField);
  choosePreset();
  form.addEventListener("submit", (event) => guard(() => connect(event)));
  byId("own-sync").addEventListener("click", () => guard(syncNow));
  byId("own-disconnect").addEventListener("click", () => guard(disconnect));
  byId("own-again").addEventListener("click", connectAgain);
  byId("own-cancel").addEventListener("click", cancelAgain);
  await refresh();
  byId("own-connect").disabled = false;
}

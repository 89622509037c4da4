// The JSON API, the owner token kept in this browser, and what every page shares.
//
// The owner token never goes to the server in a URL: a private link carries it in the
// fragment (#token=…), which browsers do not send; this module moves it into
// localStorage and takes it out of the address bar, then sends it only as a Bearer
// header to the JSON API.

const STORE_KEY = "roadmap-planner:plans";
export const MOVED_KEY = "roadmap-planner:moved"; // sessionStorage: UIDs the last re-plan moved

/** The UIDs of the sessions the last re-plan in this tab moved (marked in every view). */
export function movedSessions() {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(MOVED_KEY) || "[]"));
  } catch {
    return new Set();
  }
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(describeDetail(detail) || `the service answered ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

function describeDetail(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((problem) => problem.msg).join("; ");
  return "";
}

export function savedPlans() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) || "{}");
  } catch {
    return {};
  }
}

export function rememberPlan(id, fields) {
  const plans = savedPlans();
  plans[id] = { ...(plans[id] || {}), ...fields };
  localStorage.setItem(STORE_KEY, JSON.stringify(plans));
}

export function forgetPlan(id) {
  const plans = savedPlans();
  delete plans[id];
  localStorage.setItem(STORE_KEY, JSON.stringify(plans));
}

/** The private link of a plan: the page address with the token in the fragment. */
export function privateLink(id, token) {
  return `${location.origin}/plan/${encodeURIComponent(id)}#token=${encodeURIComponent(token)}`;
}

/** The owner token of the plan on this page: from the fragment (then stored), else storage. */
export function tokenFor(id) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromLink = fragment.get("token");
  if (fromLink) {
    rememberPlan(id, { token: fromLink });
    history.replaceState(null, "", location.pathname + location.search);
    return fromLink;
  }
  return savedPlans()[id]?.token || null;
}

export async function api(path, { method = "GET", body, token, ifMatch } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (ifMatch) headers["If-Match"] = ifMatch;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, answer?.detail);
  return answer;
}

/** A new element with these properties (textContent, className…). */
export function element(tag, properties = {}) {
  return Object.assign(document.createElement(tag), properties);
}

/** A table of class `className` with its caption and a header row of `columns`. */
export function tableWithHeader(className, caption, columns) {
  const table = element("table", { className });
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const title of columns) head.append(element("th", { scope: "col", textContent: title }));
  return table;
}

export function showAlert(message, kind = "error") {
  const alerts = document.getElementById("alerts");
  const item = document.createElement("p");
  item.className = `alert alert-${kind}`;
  item.textContent = message;
  alerts.replaceChildren(item);
}

export function clearAlerts() {
  document.getElementById("alerts").replaceChildren();
}

/** Runs a page's async work; a failure becomes a message on the page, not a broken page. */
export async function guarded(work) {
  try {
    return await work();
  } catch (error) {
    showAlert(error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
    return undefined;
  }
}

/**
 * Everything a plan page needs: its id, the token, the plan record (GET /plans/{id})
 * and its roadmap (GET /plans/{id}/roadmap: the bundled one, or the learner's own).
 * Null (with a message on the page) when this browser has no token.
 */
export async function loadPlan() {
  const id = document.querySelector("main").dataset.planId;
  const token = tokenFor(id);
  if (!token) {
    showAlert(
      "This browser has no key for this plan. Open your private link (the one with #token=… " +
        "at the end), or start a new plan.",
    );
    return null;
  }
  try {
    const path = `/plans/${encodeURIComponent(id)}`;
    const [record, roadmap] = await Promise.all([
      api(path, { token }),
      api(`${path}/roadmap`, { token }),
    ]);
    const start = record.plan.start;
    rememberPlan(id, { roadmap: record.roadmap, title: roadmap.title, start, name: record.name });
    return { id, token, record, roadmap };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      showAlert("No such plan, or the key in this browser is not its key (was it forgotten?).");
      return null;
    }
    throw error;
  }
}

export function etag(record) {
  return `"v${record.version}"`;
}

// --- dates in the plan's own time zone ---------------------------------------------

export function formatMoment(iso, zone, options = {}) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...options,
  }).format(new Date(iso));
}

export function formatDay(isoOrDate, zone) {
  const moment = /^\d{4}-\d{2}-\d{2}$/.test(isoOrDate) ? `${isoOrDate}T12:00:00Z` : isoOrDate;
  return formatMoment(moment, /^\d{4}-\d{2}-\d{2}$/.test(isoOrDate) ? "UTC" : zone, {
    hour: undefined,
    minute: undefined,
  });
}

/** The calendar day (YYYY-MM-DD) of a moment in a time zone. */
export function localDay(moment, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(moment);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export function addDays(isoDay, days) {
  const moment = new Date(`${isoDay}T12:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + days);
  return moment.toISOString().slice(0, 10);
}

export function hoursText(hours) {
  return `${Math.round(hours * 10) / 10} h`;
}

// --- colours: one per section, dark enough for white text (WCAG AA) ----------------

const PALETTE = [
  "#1f5f99",
  "#8a3b12",
  "#2e6b30",
  "#7a2a78",
  "#99301f",
  "#1d6b6b",
  "#5a4a99",
  "#6b5a12",
  "#8a2447",
  "#356b1d",
  "#3b4a8a",
  "#7a4512",
  "#1d5a80",
  "#6b1d6b",
  "#4a6b12",
  "#80301d",
];

export const REVIEW_COLOR = "#3d4650"; // reviews: one colour of their own, no section's

export function sectionColor(sectionIndex) {
  return PALETTE[sectionIndex % PALETTE.length];
}

/** What a session is called: its topic's title, or "Review: 2.3 OOP (1 of 3)" as in the feed. */
export function sessionTitle(session, plan) {
  if (session.kind !== "review") return session.title;
  const of = plan.reviews ? ` of ${plan.reviews.after_days.length}` : "";
  return `Review: ${session.topic} ${session.title} (${session.review}${of})`;
}

/** "6.3 FastAPI", "7. Authentication": a goal's id with its title. */
export function goalName(id, roadmap) {
  const found = topicIndex(roadmap).get(id);
  if (found) return `${id} ${found.topic.title}`;
  const section = roadmap.sections.find((candidate) => candidate.id === id);
  return section ? `${id}. ${section.title}` : id;
}

/** Topic id -> {section, sectionIndex, topic} for a roadmap from GET /plans/{id}/roadmap. */
export function topicIndex(roadmap) {
  const index = new Map();
  roadmap.sections.forEach((section, sectionIndex) => {
    for (const topic of section.topics) index.set(topic.id, { section, sectionIndex, topic });
  });
  return index;
}

/** Copies text to the clipboard, and says so in `status` (an aria-live element). */
export async function copyText(text, status) {
  await navigator.clipboard.writeText(text);
  status.textContent = "Copied.";
  setTimeout(() => {
    status.textContent = "";
  }, 4000);
}

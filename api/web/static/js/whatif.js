// What if: finish dates at other weekly budgets, as a chart and a table; and the least
// hours a week that reach a goal (or everything) by a day.
import {
  api,
  formatDay,
  goalName,
  guarded,
  hoursText,
  loadPlan,
  tableWithHeader,
} from "./api.js";
import { describeErrors } from "./form-errors.js";

const SVG = "http://www.w3.org/2000/svg";
let context;

function element(name, attributes = {}, text = "") {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

/** "7 Aug": a day on a phone's chart. */
function shortDay(iso, zone) {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "short" }).format(
    new Date(iso),
  );
}

/** Finish date (y) against hours a week (x); the learner's own budget highlighted. */
function drawChart(answer) {
  const rows = answer.rows.filter((row) => row.finish);
  const container = document.getElementById("whatif-chart");
  if (rows.length < 1) {
    container.replaceChildren();
    return;
  }
  // As wide as the page allows, one unit a pixel: on a phone the labels keep their 12 px
  // (a 640-unit chart shrunk to 350 px made them 6 px), and shorter, every other one.
  const width = Math.round(Math.min(640, Math.max(300, container.clientWidth || 640)));
  const narrow = width < 480;
  const [height, pad] = [320, narrow ? 40 : 60];
  const xs = rows.map((row) => row.scaled_hours_per_week);
  const ys = rows.map((row) => new Date(row.finish).getTime());
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const x = (value) => pad + ((value - xMin) / (xMax - xMin || 1)) * (width - 2 * pad);
  const y = (value) => height - pad + -((value - yMin) / (yMax - yMin || 1)) * (height - 2 * pad);
  const zone = context.record.plan.timezone;
  const svg = element("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": "chart-title",
  });
  svg.append(
    element(
      "title",
      { id: "chart-title" },
      "Finish date by hours a week (the table below gives the numbers)",
    ),
  );
  svg.append(
    element("line", {
      class: "axis",
      x1: pad,
      y1: height - pad,
      x2: width - pad / 2,
      y2: height - pad,
    }),
  );
  svg.append(element("line", { class: "axis", x1: pad, y1: pad / 2, x2: pad, y2: height - pad }));
  svg.append(
    element("text", { x: width / 2, y: height - 15, "text-anchor": "middle" }, "hours a week"),
  );
  svg.append(element("text", { x: 10, y: pad / 2 - 8 }, "done by"));
  svg.append(
    element("polyline", {
      class: "line",
      points: rows.map((row, i) => `${x(xs[i])},${y(ys[i])}`).join(" "),
    }),
  );
  rows.forEach((row, index) => {
    const own = Math.abs(row.hours_per_week - answer.current_hours_per_week) < 0.01;
    svg.append(
      element("circle", {
        class: own ? "dot current" : "dot",
        cx: x(xs[index]),
        cy: y(ys[index]),
        r: own ? 7 : 5,
      }),
    );
    svg.append(
      element(
        "text",
        { x: x(xs[index]), y: height - pad + 18, "text-anchor": "middle" },
        `${xs[index]}`,
      ),
    );
    if (narrow && index % 2 === 1 && index !== rows.length - 1 && !own) return;
    // Right of its dot, or left of it in the chart's right half: never cut at the edge.
    const right = x(xs[index]) > width / 2;
    const at = { x: x(xs[index]) + (right ? -8 : 8), y: y(ys[index]) - 8 };
    svg.append(
      element(
        "text",
        { ...at, "text-anchor": right ? "end" : "start", class: "finish-label" },
        narrow ? shortDay(row.finish, zone) : formatDay(row.finish, zone),
      ),
    );
  });
  container.replaceChildren(svg);
}

function drawTable(answer) {
  const zone = context.record.plan.timezone;
  const goals = answer.rows.length ? Object.keys(answer.rows[0].goals) : [];
  const table = tableWithHeader("plain-table", `Your week now: ${answer.current_hours_per_week} h.`, [
    "Hours a week",
    "Your windows give",
    "Everything done by",
    ...goals.map((goal) => `Goal ${goalName(goal, context.roadmap)}`),
  ]);
  const body = table.createTBody();
  for (const row of answer.rows) {
    const line = body.insertRow();
    line.insertCell().textContent = `${row.hours_per_week} h`;
    line.insertCell().textContent = `${row.scaled_hours_per_week} h`;
    line.insertCell().textContent = row.finish ? formatDay(row.finish, zone) : row.problem;
    for (const goal of goals)
      line.insertCell().textContent = row.goals[goal] ? formatDay(row.goals[goal], zone) : "—";
  }
  document.getElementById("whatif-table").replaceChildren(table);
}

async function compare(event) {
  event?.preventDefault();
  const form = document.getElementById("whatif-form");
  const status = document.getElementById("whatif-status");
  describeErrors(form, []);
  const budgets = document
    .getElementById("budgets")
    .value.split(/[\s,]+/)
    .filter(Boolean);
  const query = budgets.map((hours) => `hours_per_week=${encodeURIComponent(hours)}`).join("&");
  status.textContent = "Planning each budget… (a few seconds)";
  try {
    const answer = await api(`/plans/${context.id}/whatif?${query}`, { token: context.token });
    document.getElementById("budgets").value = answer.rows
      .map((row) => row.hours_per_week)
      .join(", ");
    drawChart(answer);
    drawTable(answer);
    status.textContent = "";
  } catch (error) {
    status.textContent = "";
    showRefusal(form, error);
  }
}

/** The API's refusals beside the form's fields: a query parameter's loc is its name. */
function showRefusal(form, error) {
  if (!Array.isArray(error.detail)) throw error;
  describeErrors(
    form,
    error.detail.map((e) => ({ ...e, loc: e.loc.filter((p) => p !== "query") })),
  );
}

function leastHoursText(answer) {
  const zone = context.record.plan.timezone;
  const what = answer.goal ? `goal ${goalName(answer.goal, context.roadmap)}` : "everything";
  if (answer.hours_per_week === null)
    return `No week your windows stretch to is enough: ${answer.problem}.`;
  const [need, now] = [answer.hours_per_week, answer.current_hours_per_week];
  const compared =
    need > now
      ? `${hoursText(need - now)} more than your ${hoursText(now)}`
      : `you have ${hoursText(now)}`;
  return (
    `You need ${hoursText(need)} a week (${compared}) to reach ${what} by ` +
    `${formatDay(answer.by, zone)}: with ${hoursText(need)} it is reached on ` +
    `${formatDay(answer.reached, zone)}.`
  );
}

async function leastHours(event) {
  event.preventDefault();
  const form = document.getElementById("least-form");
  const status = document.getElementById("least-status");
  const answerText = document.getElementById("least-answer");
  describeErrors(form, []);
  answerText.textContent = "";
  const query = new URLSearchParams({ by: document.getElementById("least-by").value });
  const goal = document.getElementById("least-goal").value.trim();
  if (goal) query.set("goal", goal);
  status.textContent = "Planning several budgets… (several seconds)";
  try {
    const answer = await api(`/plans/${context.id}/least-hours?${query}`, { token: context.token });
    answerText.textContent = leastHoursText(answer);
  } catch (error) {
    showRefusal(form, error);
  } finally {
    status.textContent = "";
  }
}

guarded(async () => {
  context = await loadPlan();
  if (!context) return;
  document
    .getElementById("whatif-form")
    .addEventListener("submit", (event) => guarded(() => compare(event)));
  document
    .getElementById("least-form")
    .addEventListener("submit", (event) => guarded(() => leastHours(event)));
  const { plan } = context.record;
  document.getElementById("least-by").value = plan.deadline || "";
  await compare();
});

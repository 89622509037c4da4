// The plan page's "How sure is the date?": the learner's pace so far and a small fan
// chart (SVG) of the hours still to study against the date: the plan's line at the
// estimates, and the forecast's fan from P10 to P90 around its most likely finish.
import { api, etag, formatDay, guarded, hoursText } from "./api.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 10, bottom: 26 };

function element(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** "Your pace so far: 1.5× the estimates (4 topics)", as the summary says it. */
export function paceWords(forecast) {
  if (!forecast.topics) {
    return "No pace of yours yet: at the estimates, a wide range until you finish topics";
  }
  const topics = forecast.topics === 1 ? "1 topic" : `${forecast.topics} topics`;
  return `Your pace so far: ${forecast.pace.toFixed(1)}× the estimates (${topics})`;
}

/** "Plan with my pace" (the profile's `pace: learned`), or back to the estimates: a
 * re-plan with the choice, then the page again. Offered once a topic is finished. */
function offerPaceChoice(context) {
  const { id, token, record } = context;
  const learned = record.profile.pace === "learned";
  const choice = document.getElementById("pace-choice");
  choice.hidden = !learned && !record.plan.forecast.topics;
  const button = document.getElementById("plan-with-pace");
  button.textContent = learned ? "Plan with the estimates again" : "Plan with my pace";
  button.onclick = () =>
    guarded(async () => {
      button.disabled = true;
      document.getElementById("pace-status").textContent = "Re-planning…";
      try {
        await api(`/plans/${encodeURIComponent(id)}/replan`, {
          method: "POST",
          body: { pace: learned ? "estimates" : "learned" },
          token,
          ifMatch: etag(context.record), // the plan as it is now (renamed since?)
        });
        window.location.reload();
      } finally {
        button.disabled = false;
      }
    });
}

export function renderForecast(context) {
  const { record } = context;
  const { plan } = record;
  const forecast = plan.forecast;
  const section = document.getElementById("forecast");
  if (!forecast || !forecast.finish_p50 || !plan.finish) {
    section.hidden = true;
    return;
  }
  const zone = plan.timezone;
  const upcoming = plan.sessions.filter((session) => !session.done && session.kind !== "review");
  const hours = upcoming.reduce((sum, s) => sum + (new Date(s.end) - new Date(s.start)), 0) / 36e5;
  const begin = Math.min(...upcoming.map((session) => new Date(session.start).getTime()));
  const p = Object.fromEntries(forecast.fan.map((point) => [point.p, new Date(point.finish)]));
  const finish = new Date(plan.finish).getTime();
  const end = Math.max(finish, p[90].getTime());
  const x = (moment) => PAD.left + ((moment - begin) / (end - begin || 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (done) => HEIGHT - PAD.bottom - (done / (hours || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const sentence =
    `${paceWords(forecast)}. Finish most likely ${formatDay(forecast.finish_p50, zone)}, ` +
    `9 in 10 by ${formatDay(forecast.finish_p90, zone)}.`;
  document.getElementById("forecast-line").textContent = sentence;
  const svg = element("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: "100%",
    role: "img",
    "aria-label": `Fan chart: ${hoursText(hours)} still to study. ${sentence}`,
  });
  const origin = `${x(begin)},${y(0)}`;
  const band = (low, high, klass) =>
    element("polygon", {
      points: `${origin} ${x(p[low].getTime())},${y(hours)} ${x(p[high].getTime())},${y(hours)}`,
      class: klass,
    });
  svg.append(band(10, 90, "fan-outer"), band(25, 75, "fan-inner"));
  const line = (moment, klass) =>
    element("line", { x1: x(begin), y1: y(0), x2: x(moment), y2: y(hours), class: klass });
  svg.append(line(p[50].getTime(), "fan-median"), line(finish, "fan-plan"));
  svg.append(element("line", { x1: PAD.left, y1: y(0), x2: WIDTH - PAD.right, y2: y(0), class: "fan-axis" }));
  const label = (text, at, anchor) => {
    const node = element("text", { x: at, y: HEIGHT - 8, "text-anchor": anchor, class: "fan-label" });
    node.textContent = text;
    return node;
  };
  svg.append(
    label(formatDay(new Date(begin).toISOString(), zone), PAD.left, "start"),
    label(formatDay(new Date(end).toISOString(), zone), WIDTH - PAD.right, "end"),
  );
  const axis = element("text", { x: 4, y: PAD.top + 10, class: "fan-label" });
  axis.textContent = hoursText(hours);
  svg.append(axis);
  document.getElementById("forecast-chart").replaceChildren(svg);
  section.hidden = false;
  offerPaceChoice(context);
}

// What the plan's order and its reviews cost, in sentences a learner reads, from the
// plan's `order` and `reviews` blocks (the same figures as `planner plan`'s summary).
import { formatDay } from "./api.js";

const DAY = 24 * 60 * 60 * 1000;
const MODE_NAMES = {
  roadmap: "strict roadmap order",
  balanced: "balanced order",
  free: "free order",
};

const count = (number, noun) =>
  `${number.toLocaleString("en-GB")} ${noun}${number === 1 ? "" : "s"}`;
const capitalized = (text) => text[0].toUpperCase() + text.slice(1);

function followed(order) {
  if (order.mode === "roadmap") return "Follows the roadmap's order exactly";
  if (order.mode === "balanced") {
    const places = count(order.max_shift, "place");
    return `Follows the roadmap's order with small swaps (at most ${places})`;
  }
  return "Takes any order the prerequisites allow";
}

/** Another finish against this one: "same finish", "finish 3 days later", "finish 2 h earlier". */
export function finishChange(finish, other) {
  if (!other) return "same finish";
  const delta = new Date(other) - new Date(finish);
  if (delta === 0) return "same finish";
  const size = Math.abs(delta);
  const amount =
    size >= DAY ? count(Math.floor(size / DAY), "day") : `${Math.round(size / 36e5 * 10) / 10} h`;
  return `finish ${amount} ${delta > 0 ? "later" : "earlier"}`;
}

function against(plan, other) {
  const { order, solver } = plan;
  const sameFinish = new Date(other.finish).getTime() === new Date(plan.finish).getTime();
  if (sameFinish && other.sessions === solver.sessions && other.inversions === order.inversions)
    return `${MODE_NAMES[other.mode]}: the same plan`;
  const more = other.sessions - solver.sessions;
  const sessions = more === 0 ? "the same" : `${Math.abs(more)} ${more > 0 ? "more" : "fewer"}`;
  return `${MODE_NAMES[other.mode]}: ${count(other.sessions, "session")} (${sessions}), ` +
    finishChange(plan.finish, other.finish);
}

/** "Follows the roadmap's order with small swaps (at most 3 places): 24 times a topic
 * comes before one the roadmap puts first, none more than 3 places from its place.
 * Strict roadmap order: 124 sessions (4 more), same finish; …" or "". */
export function orderCost(plan) {
  const { order } = plan;
  if (!order) return ""; // a plan made before the order modes
  // An inversion, in words: a topic studied before one the roadmap puts before it.
  const swapped = order.inversions
    ? `${count(order.inversions, "time")} a topic comes before one the roadmap puts first, ` +
      `none more than ${count(order.largest_shift, "place")} from its place`
    : "no topic moved";
  const sentences = [`${followed(order)}: ${swapped}.`];
  // The modes a plan at both bounds did not solve: none of them could do better.
  const unbeatable = order.unbeatable_by ?? [];
  if ((order.alternatives.length || unbeatable.length) && plan.finish) {
    // With reviews the other orders were planned without them: shown as they are.
    const others = plan.reviews
      ? order.alternatives.map(
          (other) =>
            `${MODE_NAMES[other.mode]}: ${count(other.sessions, "session")}, last topic ` +
            (other.finish ? formatDay(other.finish, plan.timezone) : "none"),
        )
      : order.alternatives.map((other) => against(plan, other));
    if (unbeatable.length)
      others.push(
        `${unbeatable.map((mode) => MODE_NAMES[mode]).join(" or ")}: no sooner finish or ` +
          "fewer sessions possible (this plan is at both bounds)",
      );
    sentences.push(`${plan.reviews ? "Without reviews, " : ""}${others.join("; ")}.`);
  }
  return sentences.map(capitalized).join(" ");
}

/** "156 reviews of 20 minutes, the last on …; without them the last topic is done 60 days
 * sooner (…). 2 are late: no study time was free within their slack." or "". */
export function reviewCost(plan) {
  const { reviews } = plan;
  if (!reviews) return "";
  const zone = plan.timezone;
  const sentences = [
    `${count(reviews.reviews, "review")} of ${reviews.minutes} minutes` +
      (reviews.last_review ? `, the last on ${formatDay(reviews.last_review, zone)}` : ""),
  ];
  const without = reviews.finish_without_reviews;
  if (without && plan.finish && without !== plan.finish) {
    const days = Math.round((new Date(plan.finish) - new Date(without)) / DAY);
    const sooner = days >= 1 ? `${count(days, "day")} sooner` : "a little sooner";
    sentences[0] += `; without them the last topic is done ${sooner} (${formatDay(without, zone)})`;
  }
  if (reviews.late)
    sentences.push(
      `${count(reviews.late, "review")} ${reviews.late === 1 ? "is" : "are"} late: ` +
        "no study time was free on the due day or the few days after",
    );
  return sentences.map((sentence) => `${capitalized(sentence)}.`).join(" ");
}

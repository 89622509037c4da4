// Subscribe: the feed links with copy buttons, Google's add-by-URL link, a QR code for
// phones, your own calendar (own-calendar.js), rotating the feed address, the private
// link, and forgetting the plan.
import qrcode from "/static/vendor/qrcode-generator/qrcode.mjs";
import { api, copyText, etag, forgetPlan, guarded, loadPlan, privateLink } from "./api.js";
import { setUpOwnCalendar } from "./own-calendar.js";

let context;

function renderLinks() {
  const { feed } = context.record;
  document.getElementById("feed-url").value = feed.url;
  document.getElementById("webcal-url").value = feed.webcal_url;
  document.getElementById("download-ics").href = feed.url;
  document.getElementById("open-webcal").href = feed.webcal_url;
  const google = document.getElementById("google-link");
  // Google's "add by URL": it fetches the feed itself, so the address must be public
  // https; the service says whether it is (https_url is null otherwise).
  const isHttps = Boolean(feed.https_url);
  google.href = `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(feed.webcal_url)}`;
  google.hidden = !isHttps;
  document.getElementById("http-note").hidden = isHttps;
  const code = qrcode(0, "M");
  code.addData(feed.webcal_url);
  code.make();
  const picture = document.getElementById("qr");
  picture.innerHTML = code.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
  picture.querySelector("svg").setAttribute("aria-hidden", "true");
  document.getElementById("private-link").value = privateLink(context.id, context.token);
}

/** Opens a confirmation dialog; resolves true when the learner confirms. */
function confirmWith(dialogId) {
  const dialog = document.getElementById(dialogId);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), {
      once: true,
    });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

async function rotate() {
  if (!(await confirmWith("rotate-dialog"))) return;
  const { id, token, record } = context;
  context.record = await api(`/plans/${id}/feed/rotate`, {
    method: "POST",
    token,
    ifMatch: etag(record),
  });
  renderLinks();
  document.getElementById("copy-status").textContent =
    "New feed address ready; the old one no longer works.";
}

async function forget() {
  if (!(await confirmWith("forget-dialog"))) return;
  const { id, token, record } = context;
  await api(`/plans/${id}`, { method: "DELETE", token, ifMatch: etag(record) });
  forgetPlan(id);
  location.assign("/");
}

guarded(async () => {
  context = await loadPlan();
  if (!context) return;
  renderLinks();
  const status = document.getElementById("copy-status");
  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", () =>
      guarded(() => copyText(document.getElementById(button.dataset.copy).value, status)),
    );
  }
  document.getElementById("rotate").addEventListener("click", () => guarded(rotate));
  document.getElementById("forget").addEventListener("click", () => guarded(forget));
  // Rendered disabled: a click before the plan is loaded would do nothing.
  for (const button of document.querySelectorAll("button[disabled]:not(#own-connect)"))
    button.disabled = false;
  // A sync that re-planned changed the plan: rotate and forget send its new version.
  await setUpOwnCalendar(context, (record) => (context.record = record), guarded);
});

// Busy calendars in the form: one row a calendar, each with its own options (minutes kept
// free around an event, what an all-day event means, the learner's addresses). In "Change
// my week" a plan's calendars come back masked ("https://host/… [1a2b3c]"): such a row is
// kept as it is (its masked name is how the service finds the stored address), its options
// can change, it can be removed; a new row takes a full address, read when the plan is made.

/** "a, b; c" as ["a", "b", "c"]. */
export function commaList(text) {
  return text
    .split(/[,;\s]+/)
    .map((word) => word.trim())
    .filter(Boolean);
}

/** A calendar's row; `source` fills it (a plan's calendar: kept, its address read-only). */
export function addBusyCalendar(form, source = null) {
  const row = document.getElementById("busy-row").content.firstElementChild.cloneNode(true);
  row.querySelector(".remove").addEventListener("click", () => {
    row.remove();
    labelBusyCalendars(form);
  });
  const address = row.querySelector(".busy-ics");
  if (source) {
    address.value = source.ics;
    address.readOnly = true;
    row.dataset.kept = source.ics;
    row.querySelector(".busy-kept").hidden = false;
    row.querySelector(".busy-buffer").value = source.buffer_minutes ?? 0;
    row.querySelector(".busy-all-day").value = source.all_day || "blackout";
    row.querySelector(".busy-me").value = (source.me || []).join(", ");
    const changed = source.buffer_minutes || source.all_day === "ignore" || source.me?.length;
    row.querySelector(".busy-options").open = Boolean(changed);
  }
  form.querySelector("#busy-calendars").append(row);
  labelBusyCalendars(form);
  return row;
}

// Each row's fields named for its number ("Calendar 2: address"), and placed for the
// API's errors (profile.busy.1.buffer_minutes).
function labelBusyCalendars(form) {
  form.querySelectorAll(".busy-row").forEach((row, index) => {
    const name = `Calendar ${index + 1}`;
    const loc = `profile.busy.${index}`;
    row.dataset.loc = loc;
    row.dataset.name = name;
    const fields = [
      [".busy-address", ".busy-ics", "ics", "address"],
      [".busy-buffer-field", ".busy-buffer", "buffer_minutes", "minutes kept free before and after each event"],
      [".busy-all-day-field", ".busy-all-day", "all_day", "an event all day long"],
      [".busy-me-field", ".busy-me", "me", "your e-mail addresses (optional)"],
    ];
    for (const [fieldClass, controlClass, key, label] of fields) {
      const field = row.querySelector(fieldClass);
      field.dataset.loc = `${loc}.${key}`;
      field.dataset.name = `${name}: ${label}`;
      row.querySelector(controlClass).setAttribute("aria-label", `${name}: ${label}`);
    }
    row.querySelector(".busy-title").textContent = `${name}: address`;
    row.querySelector(".busy-options > summary").textContent = `Options for calendar ${index + 1}`;
    row.querySelector(".remove").setAttribute("aria-label", `Remove calendar ${index + 1}`);
  });
}

/** The calendars as the API takes them: a kept one under its masked name. */
export function busyCalendars(form) {
  return [...form.querySelectorAll(".busy-row")]
    .map((row) => {
      const buffer = row.querySelector(".busy-buffer").value;
      return {
        ics: row.dataset.kept || row.querySelector(".busy-ics").value.trim(),
        buffer_minutes: buffer === "" ? 0 : Number(buffer),
        all_day: row.querySelector(".busy-all-day").value,
        me: commaList(row.querySelector(".busy-me").value),
      };
    })
    .filter((source) => source.ics !== "");
}

/** The rows of a profile's calendars, in place of any. */
export function fillBusyCalendars(form, sources) {
  form.querySelector("#busy-calendars").replaceChildren();
  for (const source of sources || []) addBusyCalendar(form, source);
}

/** Reads each new address once (POST /busy/check) and says, under it, what was read or
 * why not; a plan's own calendars were read with it. */
export async function testBusyCalendars(form, api) {
  const timezone = form.querySelector("#timezone").value;
  const rows = [...form.querySelectorAll(".busy-row")].filter(
    (row) => !row.dataset.kept && row.querySelector(".busy-ics").value.trim(),
  );
  if (!rows.length) {
    const row = addBusyCalendar(form);
    row.querySelector(".busy-result").textContent = "Type an address here, then test it.";
    row.querySelector(".busy-ics").focus();
    return;
  }
  for (const row of rows) {
    const result = row.querySelector(".busy-result");
    result.classList.remove("not-read");
    result.textContent = "Reading…";
    try {
      const ics = row.querySelector(".busy-ics").value.trim();
      const read = await api("/busy/check", { method: "POST", body: { ics, timezone } });
      const events = `${read.events} event${read.events === 1 ? "" : "s"}`;
      result.textContent = `Read: ${events}; ${read.busy_hours} h busy in the next ${read.days} days.`;
    } catch (error) {
      result.classList.add("not-read");
      result.textContent = `Not read: ${error.message}`;
    }
  }
}

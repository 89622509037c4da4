// Read an .ics file with ical.js and print one JSON object per VEVENT.
//
// Usage: node read_ics.mjs FILE.ics
//
// Output (stdout): a JSON list of
//   {"uid", "summary", "sequence", "start_utc", "end_utc", "tzid"}
// where start_utc/end_utc are "YYYY-MM-DDTHH:MM:SSZ" instants computed by
// ical.js from the VTIMEZONE components *in the file*, registered with
// ICAL.TimezoneService first, as Thunderbird-like consumers do (null for a
// missing DTEND or an all-day DATE); tzid is DTSTART's TZID or null.
//
// ical.js ships no zone data (only UTC), but to be sure that the file's
// VTIMEZONE and nothing else was used, every TZID-bearing time must resolve
// to an ICAL.Timezone wrapping one of the file's own VTIMEZONE components,
// and a floating time (no TZID, no Z) is refused: this script then exits 2
// with a message on stderr instead of guessing.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function fail(message) {
  process.stderr.write(`read_ics.mjs: ${message}\n`);
  process.exit(2);
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function formatUtc(t) {
  return `${String(t.year).padStart(4, "0")}-${pad(t.month)}-${pad(t.day)}` +
    `T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}Z`;
}

function registerFileZones(vcalendar) {
  ICAL.TimezoneService.reset();
  const components = vcalendar.getAllSubcomponents("vtimezone");
  for (const component of components) {
    ICAL.TimezoneService.register(new ICAL.Timezone(component));
  }
  return components;
}

function toUtc(prop, fileZones, uid) {
  if (!prop) {
    return { utc: null, tzid: null };
  }
  const time = prop.getFirstValue();
  const tzid = prop.getParameter("tzid") ?? null;
  if (time.isDate) {
    return { utc: null, tzid }; // an all-day DATE has no UTC instant
  }
  if (tzid !== null) {
    const zone = time.zone;
    if (!(zone instanceof ICAL.Timezone) || !fileZones.includes(zone.component)) {
      fail(`${uid}: TZID=${tzid} did not resolve to a VTIMEZONE of this file`);
    }
  } else if (time.zone !== ICAL.Timezone.utcTimezone) {
    fail(`${uid}: floating time ${time.toString()} has no UTC instant`);
  }
  const viaConvert = formatUtc(time.convertToZone(ICAL.Timezone.utcTimezone));
  const viaJsDate = time.toJSDate().toISOString().replace(/\.\d{3}Z$/, "Z");
  if (viaConvert !== viaJsDate) {
    fail(`${uid}: convertToZone gave ${viaConvert} but toJSDate gave ${viaJsDate}`);
  }
  return { utc: viaConvert, tzid };
}

function readEvent(vevent, fileZones) {
  const uid = vevent.getFirstPropertyValue("uid");
  const start = toUtc(vevent.getFirstProperty("dtstart"), fileZones, uid);
  const end = toUtc(vevent.getFirstProperty("dtend"), fileZones, uid);
  const sequence = vevent.getFirstPropertyValue("sequence");
  return {
    uid,
    summary: vevent.getFirstPropertyValue("summary"),
    sequence: sequence === null ? null : Number(sequence),
    start_utc: start.utc,
    end_utc: end.utc,
    tzid: start.tzid,
  };
}

function main() {
  const path = process.argv[2];
  if (!path) {
    fail("usage: node read_ics.mjs FILE.ics");
  }
  const vcalendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  const fileZones = registerFileZones(vcalendar);
  const events = vcalendar.getAllSubcomponents("vevent")
    .map((vevent) => readEvent(vevent, fileZones));
  process.stdout.write(JSON.stringify(events) + "\n");
}

main();

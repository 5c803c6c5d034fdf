import { describe, expect, test } from "vitest";
import type { SchedulePayload } from "../src/api";
import {
  acclimationEnd,
  acclimationPercent,
  acclimationSentence,
  actionSentence,
  cronSentence,
  everySeconds,
  formatMinutes,
  formatSeconds,
  instantIn,
  whatSentence,
  whenSentence,
} from "../src/when";
import { ctxFor, norm } from "./helpers";

const base = { name: "x", targets: ["light.blue"] };
const when = (payload: Partial<SchedulePayload>, language = "en", hour12 = false) =>
  norm(whenSentence({ ...base, ...payload } as SchedulePayload, ctxFor(language, hour12)));

describe("when: recurring", () => {
  test.each([
    [{ frequency: "daily", every: 1, times: ["06:00"] }, "en", false, "every day at 06:00"],
    [{ frequency: "daily", every: 1, times: ["06:00"] }, "en", true, "every day at 6:00 AM"],
    [{ frequency: "daily", every: 3, times: ["06:00", "18:30"] }, "en", false, "every 3 days at 06:00 and 18:30"],
    [{ frequency: "weekly", every: 2, weekdays: ["mon", "thu"], times: ["08:00", "20:00"] }, "en", false, "every 2 weeks on Mon, Thu at 08:00 and 20:00"],
    [{ frequency: "weekly", every: 2, weekdays: ["mon", "thu"], times: ["08:00", "20:00"] }, "en", true, "every 2 weeks on Mon, Thu at 8:00 AM and 8:00 PM"],
    [{ frequency: "weekly", every: 1, weekdays: ["sun"], times: ["10:00"] }, "en", false, "every week on Sunday at 10:00"],
    [{ frequency: "weekly", every: 1, weekdays: ["fri", "mon", "tue", "wed", "thu"], times: ["07:00"] }, "en", false, "every week on Mon–Fri at 07:00"],
    [{ frequency: "monthly", every: 1, days_of_month: [15, 1, -1], times: ["09:00"] }, "en", false, "every month on day 1, day 15, and the last day at 09:00"],
    [{ frequency: "monthly", every: 2, days_of_month: [-2], times: ["09:00"] }, "en", false, "every 2 months on day 2 from the end at 09:00"],
    [{ frequency: "daily", every: 1, times: ["06:00"] }, "de", false, "täglich um 06:00"],
    [{ frequency: "weekly", every: 2, weekdays: ["mon", "thu"], times: ["08:00", "20:00"] }, "de", false, "alle 2 Wochen am Mo, Do um 08:00 und 20:00"],
    [{ frequency: "monthly", every: 1, days_of_month: [1, 15, -1], times: ["09:00"] }, "de", false, "jeden Monat am 1., 15. und letzten Tag um 09:00"],
  ] as const)("%j (%s, 12 h %s)", (fields, language, hour12, expected) => {
    expect(when({ schedule_type: "recurring", ...fields } as unknown as Partial<SchedulePayload>, language, hour12)).toBe(expected);
  });
});

describe("when: other types", () => {
  test("interval in the largest whole unit", () => {
    const ctx = ctxFor("en");
    expect(everySeconds(900, ctx)).toBe("every 15 minutes");
    expect(everySeconds(60, ctx)).toBe("every minute");
    expect(everySeconds(3600, ctx)).toBe("every hour");
    expect(everySeconds(5400, ctx)).toBe("every 90 minutes");
    expect(everySeconds(86400, ctx)).toBe("every day");
    expect(everySeconds(14 * 86400, ctx)).toBe("every 2 weeks");
    expect(everySeconds(45, ctx)).toBe("every 45 seconds");
    expect(everySeconds(900, ctxFor("de"))).toBe("alle 15 Minuten");
    expect(everySeconds(3600, ctxFor("de"))).toBe("stündlich");
  });

  test("interval from its start, in the user's zone", () => {
    expect(when({ schedule_type: "interval", interval_seconds: 7200, start_time: "2027-01-10T08:00:00+00:00" })).toBe(
      "every 2 hours, from January 10, 2027 09:00",
    );
  });

  test("one-off: the wall time in the schedule's zone; the zone named only when it is not HA's", () => {
    expect(when({ schedule_type: "one_off", run_at: "2027-05-01T08:00:00+00:00" })).toBe("once on May 1, 2027 at 10:00");
    expect(when({ schedule_type: "one_off", run_at: "2027-05-01T10:00:00" }, "en", true)).toBe("once on May 1, 2027 at 10:00 AM");
    expect(when({ schedule_type: "one_off", run_at: "2027-05-01T10:00:00" }, "de")).toBe("einmalig am 1. Mai 2027 um 10:00");
    expect(when({ schedule_type: "one_off", run_at: "2027-05-01T17:00:00+00:00", timezone: "US/Pacific" })).toBe(
      "once on May 1, 2027 at 10:00 (US/Pacific)",
    );
    expect(when({ schedule_type: "one_off", run_at: "2027-05-01T08:00:00+00:00", timezone: "Europe/Berlin" })).toBe(
      "once on May 1, 2027 at 10:00",
    );
  });

  test("cron: the zone when it differs", () => {
    expect(when({ schedule_type: "cron", cron_expression: "0 6 * * *", timezone: "US/Pacific" })).toBe("every day at 06:00 (US/Pacific)");
    expect(when({ schedule_type: "cron", cron_expression: "0 6 * * *", timezone: "Europe/Berlin" })).toBe("every day at 06:00");
  });
});

describe("cron sentences", () => {
  const en = ctxFor("en");
  const en12 = ctxFor("en", true);
  const de = ctxFor("de");
  test.each([
    ["0 6 * * *", "every day at 06:00"],
    ["30 8 * * 1-5", "every Mon–Fri at 08:30"],
    ["0 8,20 * * sat,sun", "every Sat, Sun at 08:00 and 20:00"],
    ["0 9 * * 1,4", "every Mon, Thu at 09:00"],
    ["0 9 * * 0", "every Sunday at 09:00"],
    ["0 9 * * 7", "every Sunday at 09:00"],
    ["*/15 * * * *", "every 15 minutes"],
    ["* * * * *", "every minute"],
    ["0 * * * *", "every hour, on the hour"],
    ["15 * * * *", "every hour at minute 15"],
    ["0 */2 * * *", "every 2 hours"],
    ["0 7 1,15 * *", "every month on day 1 and day 15 at 07:00"],
    ["0 0 1 1 *", "every year on January 1 at 00:00"],
    ["@daily", "every day at 00:00"],
    ["@midnight", "every day at 00:00"],
    ["@hourly", "every hour, on the hour"],
    ["@weekly", "every Sunday at 00:00"],
    ["@monthly", "every month on day 1 at 00:00"],
    ["@yearly", "every year on January 1 at 00:00"],
    ["  0   6 * *   * ", "every day at 06:00"],
    ["30 5 1-15 */2 *", "cron 30 5 1-15 */2 *"],
    ["*/7 * * * *", "cron */7 * * * *"],
    ["0 6 * * * 30", "cron 0 6 * * * 30"],
    ["0 6 * * mon-fri", "every Mon–Fri at 06:00"],
    ["5 4 * * sun#2", "cron 5 4 * * sun#2"],
    ["garbage", "cron garbage"],
    ["*/30 9-17 * * *", "every 30 minutes from 09:00 to 17:30"],
    ["*/15 8-20 * * 1-5", "every 15 minutes from 08:00 to 20:45, Mon–Fri"],
    ["* 22-23 * * *", "every minute from 22:00 to 23:59"],
    ["*/30 17-9 * * *", "cron */30 17-9 * * *"],
    ["*/30 9-24 * * *", "cron */30 9-24 * * *"],
    ["*/30 9-17 1 * *", "cron */30 9-17 1 * *"],
    ["*/7 9-17 * * *", "cron */7 9-17 * * *"],
    ["0 6-9 * * *", "every day at 06:00, 07:00, 08:00, and 09:00"],
  ])("%s", (expression, expected) => {
    expect(norm(cronSentence(expression, en))).toBe(expected);
  });
  test("12 h and German", () => {
    expect(norm(cronSentence("0 6 * * *", en12))).toBe("every day at 6:00 AM");
    expect(norm(cronSentence("30 20 * * 1-5", en12))).toBe("every Mon–Fri at 8:30 PM");
    expect(cronSentence("0 6 * * *", de)).toBe("täglich um 06:00");
    expect(cronSentence("*/15 * * * *", de)).toBe("alle 15 Minuten");
    expect(cronSentence("0 9 * * 0", de)).toBe("jeden Sonntag um 09:00");
    expect(cronSentence("@yearly", de)).toBe("jährlich am 1. Januar um 00:00");
    expect(cronSentence("1 2 3 4 5", de)).toBe("Cron 1 2 3 4 5");
    expect(norm(cronSentence("*/30 9-17 * * *", en12))).toBe("every 30 minutes from 9:00 AM to 5:30 PM");
    expect(cronSentence("*/30 9-17 * * 1-5", de)).toBe("alle 30 Minuten von 09:00 bis 17:30, Mo–Fr");
  });
});

describe("presets", () => {
  const preset = (preset: string, preset_params: Record<string, unknown>, language = "en", hour12 = false) =>
    when({ schedule_type: "static", preset: preset as "diurnal", preset_params }, language, hour12);
  const day = { sunrise: "09:00", sunrise_minutes: 120, peak_level: 85, sunset: "19:00", sunset_minutes: 120 };
  test("reef day", () => {
    expect(preset("diurnal", day)).toBe("reef day: sunrise 09:00 (2 h) → 85%, sunset 19:00 (2 h)");
    expect(preset("diurnal", { ...day, sunrise_minutes: 90, night_level: 2 })).toBe(
      "reef day: sunrise 09:00 (1 h 30 min) → 85%, sunset 19:00 (2 h), night 2%",
    );
    expect(preset("diurnal", day, "en", true)).toBe("reef day: sunrise 9:00 AM (2 h) → 85%, sunset 7:00 PM (2 h)");
    expect(preset("diurnal", day, "de")).toBe("Riff-Tag: Sonnenaufgang 09:00 (2 Std.) → 85 %, Sonnenuntergang 19:00 (2 Std.)");
  });
  test("moonlight, feeding, maintenance", () => {
    expect(preset("moonlight", { night_level: 3, start: "21:30", end: "06:00" })).toBe("moonlight 3% from 21:30 to 06:00");
    expect(preset("moonlight", { night_level: 3, start: "21:30", end: "06:00" }, "en", true)).toBe("moonlight 3% from 9:30 PM to 6:00 AM");
    expect(preset("feed_pause", { times: ["08:30", "18:30"], minutes: 10 })).toBe("feeding pauses of 10 min at 08:30 and 18:30");
    expect(preset("maintenance", { weekday: "sun", time: "10:00", minutes: 60 })).toBe("maintenance every Sunday at 10:00 for 60 min");
    expect(preset("maintenance", { weekday: "sun", time: "10:00", minutes: 60 }, "de")).toBe("Wartung jeden Sonntag um 10:00 für 60 Min.");
    expect(preset("feed_pause", { times: ["08:30", "18:30"], minutes: 10 }, "de")).toBe("Fütterungspausen von 10 Min. um 08:30 und 18:30");
  });
  test("the zone of a programme when it differs from HA's", () => {
    expect(
      when({ schedule_type: "static", preset: "moonlight", preset_params: { night_level: 3, start: "21:30", end: "06:00" }, timezone: "Asia/Tokyo" }),
    ).toBe("moonlight 3% from 21:30 to 06:00 (Asia/Tokyo)");
  });
});

describe("what", () => {
  const en = ctxFor("en");
  const de = ctxFor("de");
  test.each([
    ["on", {}, "turn on"],
    ["on", { duration: 45 }, "on for 45 s, then back"],
    ["off", { duration: 600 }, "off for 10 min, then back"],
    ["toggle", {}, "toggle"],
    ["toggle", { duration: 300 }, "toggle for 5 min, then back"],
    ["set_level", { level: 60, duration: 3600 }, "set to 60% for 60 min, then back"],
    ["set_pwm", { duty: 75 }, "PWM duty 75%"],
    ["ramp", { end_level: 100, duration: 1800 }, "ramp to 100% over 30 min"],
    ["ramp", { start_level: 0, end_level: 100, duration: 7200, curve: "linear" }, "ramp from 0% to 100% over 2 h (linear)"],
    ["custom", { service: "notify.notify", data: {} }, "call notify.notify"],
    ["revert", {}, "back to the level before"],
    ["mystery", {}, "mystery"],
  ])("%s %j", (type, params, expected) => {
    expect(norm(actionSentence(type, params, en))).toBe(expected);
  });
  test("German", () => {
    expect(norm(actionSentence("ramp", { end_level: 100, duration: 1800 }, de))).toBe("in 30 Min. auf 100 % dimmen");
    expect(actionSentence("off", { duration: 600 }, de)).toBe("für 10 Min. aus, dann zurück");
  });
  test("a programme says what it does", () => {
    expect(whatSentence({ ...base, schedule_type: "static", preset: "feed_pause", preset_params: {} }, en)).toBe("pumps pause, then run again");
  });
});

describe("durations", () => {
  const en = ctxFor("en");
  test.each([
    [0, "0 s"],
    [45, "45 s"],
    [90, "1 min 30 s"],
    [600, "10 min"],
    [3600, "60 min"],
    [5400, "1 h 30 min"],
    [7200, "2 h"],
    [86400, "1 d"],
    [90000, "25 h"],
  ])("%i s", (seconds, expected) => expect(formatSeconds(seconds, en)).toBe(expected));
  test("minutes", () => {
    expect(formatMinutes(120, en)).toBe("2 h");
    expect(formatMinutes(150, en)).toBe("2 h 30 min");
    expect(formatMinutes(60, en)).toBe("60 min");
    expect(formatMinutes(10, ctxFor("de"))).toBe("10 Min.");
  });
});

describe("wall times without an offset are read in the schedule's zone", () => {
  test("summer and winter", () => {
    expect(instantIn("2027-05-01T10:00:00", "Europe/Berlin").toISOString()).toBe("2027-05-01T08:00:00.000Z");
    expect(instantIn("2027-01-01T10:00", "Europe/Berlin").toISOString()).toBe("2027-01-01T09:00:00.000Z");
    expect(instantIn("2027-05-01T10:00:00", "US/Pacific").toISOString()).toBe("2027-05-01T17:00:00.000Z");
    expect(instantIn("2027-05-01T10:00:00+00:00", "US/Pacific").toISOString()).toBe("2027-05-01T10:00:00.000Z");
  });
  test("on a DST change", () => {
    // 28 March 2027, Berlin: 02:00 → 03:00. 01:30 is still winter time, 03:30 summer time.
    expect(instantIn("2027-03-28T01:30:00", "Europe/Berlin").toISOString()).toBe("2027-03-28T00:30:00.000Z");
    expect(instantIn("2027-03-28T03:30:00", "Europe/Berlin").toISOString()).toBe("2027-03-28T01:30:00.000Z");
  });
});

describe("light programmes in words", () => {
  const preset = (preset: string, preset_params: Record<string, unknown>, language = "en", hour12 = false) =>
    when({ schedule_type: "static", preset: preset as "profile", preset_params }, language, hour12);
  const points = (n: number) => Array.from({ length: n }, (_, i) => ({ time: `${String(6 + i).padStart(2, "0")}:00`, level: i * 10 }));
  const clouds = { start: "11:00", end: "16:00", per_hour: 2, depth: 40 };
  const day = { sunrise: "09:00", sunrise_minutes: 120, peak_level: 85, sunset: "19:00", sunset_minutes: 120 };
  const moon = { night_level: 3, start: "21:30", end: "06:00" };

  test("a profile: its points, smooth, clouds, offsets, the moon", () => {
    const full = { points: points(6), interpolation: "smooth", clouds, follow_moon: true };
    expect(preset("profile", full)).toBe("profile of 6 points, smooth · clouds 11:00–16:00 · follows the moon");
    expect(preset("profile", full, "en", true)).toBe("profile of 6 points, smooth · clouds 11:00 AM–4:00 PM · follows the moon");
    expect(preset("profile", full, "de")).toBe("Profil mit 6 Punkten, weich · Wolken 11:00–16:00 · folgt dem Mond");
    expect(preset("profile", { points: points(2) })).toBe("profile of 2 points");
    expect(preset("profile", { points: points(2), interpolation: "linear", follow_moon: false })).toBe("profile of 2 points");
    const offsets = [{ target: "light.blue", shift_minutes: -30 }, { target: "light.uv", scale: 60 }];
    expect(preset("profile", { points: points(3), offsets })).toBe("profile of 3 points · 2 channel offsets");
    expect(preset("profile", { points: points(3), offsets: offsets.slice(1) }, "de")).toBe("Profil mit 3 Punkten · 1 Kanalversatz");
    expect(preset("profile", {})).toBe("profile of 0 points");
  });

  test("moonlight that follows the moon; a reef day with clouds", () => {
    expect(preset("moonlight", { ...moon, follow_moon: true })).toBe("moonlight 3% from 21:30 to 06:00, following the moon");
    expect(preset("moonlight", { ...moon, follow_moon: true, min_level: 0.5 }, "de")).toBe("Mondlicht 3 % von 21:30 bis 06:00, dem Mond folgend");
    expect(preset("moonlight", { ...moon, follow_moon: false })).toBe("moonlight 3% from 21:30 to 06:00");
    expect(preset("diurnal", { ...day, clouds })).toBe("reef day: sunrise 09:00 (2 h) → 85%, sunset 19:00 (2 h), clouds 11:00–16:00");
    expect(preset("diurnal", { ...day, night_level: 2, clouds }, "en", true)).toBe(
      "reef day: sunrise 9:00 AM (2 h) → 85%, sunset 7:00 PM (2 h), night 2%, clouds 11:00 AM–4:00 PM",
    );
    expect(preset("diurnal", { ...day, clouds }, "de")).toBe(
      "Riff-Tag: Sonnenaufgang 09:00 (2 Std.) → 85 %, Sonnenuntergang 19:00 (2 Std.), Wolken 11:00–16:00",
    );
  });

  test("what a profile does", () => {
    const schedule = { ...base, schedule_type: "static" as const, preset: "profile" as const, preset_params: {} };
    expect(whatSentence(schedule, ctxFor("en"))).toBe("a light curve through its points");
    expect(whatSentence(schedule, ctxFor("de"))).toBe("eine Lichtkurve durch ihre Punkte");
  });

  test("acclimation", () => {
    const en = ctxFor("en");
    const de = ctxFor("de");
    expect(acclimationSentence({ start_percent: 40, days: 30 }, en)).toBe("acclimation from 40% over 30 days");
    expect(acclimationSentence({ start_percent: 40, days: 1 }, en)).toBe("acclimation from 40% over 1 day");
    expect(acclimationSentence({ start_percent: 40, days: 30, start_date: "2026-12-01" }, en)).toBe(
      "acclimation from 40% over 30 days, starting December 1, 2026",
    );
    expect(norm(acclimationSentence({ start_percent: 40, days: 30, start_date: "2026-12-01" }, de))).toBe(
      "Eingewöhnung ab 40 % über 30 Tage, ab 1. Dezember 2026",
    );
    // The end is the calendar day, whatever the zone (no day lost at midnight).
    expect(acclimationEnd({ start_percent: 40, days: 30, start_date: "2026-12-01" }, ctxFor("en", false, "Pacific/Kiritimati"))).toBe(
      "December 31, 2026",
    );
    expect(acclimationEnd({ start_percent: 40, days: 30 }, en)).toBeNull();
    expect(acclimationPercent(0.64, en)).toBe("64%");
    expect(norm(acclimationPercent(0.64, de))).toBe("64 %");
    expect(acclimationPercent(0.999, en)).toBe("99%");
    expect(acclimationPercent(1, en)).toBe("100%");
    expect(acclimationPercent(0, en)).toBe("0%");
  });
});

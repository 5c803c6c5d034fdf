import { describe, expect, test } from "vitest";
import {
  formatPercent,
  formatRelative,
  formatWallTime,
  formatWhen,
  hour12For,
  localDate,
  localeInfo,
  toLocalInput,
} from "../src/format";
import type { Hass } from "../src/hass";
import { norm } from "./helpers";

const now = new Date("2026-12-01T12:00:00Z");
const plus = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("relative time", () => {
  test.each([
    [0, "en", "now"],
    [30, "en", "in 30 seconds"],
    [300, "en", "in 5 minutes"],
    [-7200, "en", "2 hours ago"],
    [86400, "en", "tomorrow"],
    [-86400, "en", "yesterday"],
    [3 * 86400, "en", "in 3 days"],
    [14 * 86400, "en", "in 2 weeks"],
    [7 * 86400, "en", "in 1 week"],
    [150 * 86400, "en", "in 5 months"],
    [400 * 86400, "en", "in 1 year"],
    [300, "de", "in 5 Minuten"],
    [-7200, "de", "vor 2 Stunden"],
    [86400, "de", "morgen"],
  ])("%i s (%s)", (seconds, language, expected) => {
    expect(formatRelative(plus(seconds), now, language)).toBe(expected);
  });
});

describe("HA's locale", () => {
  test("12 or 24 hours", () => {
    expect(hour12For("12", "de")).toBe(true);
    expect(hour12For("am_pm", "de")).toBe(true);
    expect(hour12For("24", "en")).toBe(false);
    expect(hour12For("language", "en")).toBe(true);
    expect(hour12For("language", "en-GB")).toBe(false);
    expect(hour12For("language", "de")).toBe(false);
  });
  test("server or local zone; language fallbacks", () => {
    const hass = { config: { time_zone: "Asia/Tokyo" }, locale: { language: "de", time_format: "24", time_zone: "server" } } as unknown as Hass;
    expect(localeInfo(hass)).toEqual({ language: "de", hour12: false, zone: "Asia/Tokyo", haZone: "Asia/Tokyo", numbers: "de" });
    const local = { ...hass, locale: { language: "de", time_zone: "local" } } as unknown as Hass;
    expect(localeInfo(local).zone).toBe("UTC");
    expect(localeInfo({ config: { time_zone: "Asia/Tokyo" }, language: "fr" } as unknown as Hass).language).toBe("fr");
    expect(localeInfo(undefined).language).toBe("en");
  });
  test("wall times", () => {
    const info = { language: "en", hour12: true, zone: "UTC", haZone: "UTC" };
    expect(norm(formatWallTime("06:00", info))).toBe("6:00 AM");
    expect(norm(formatWallTime("18:30", info))).toBe("6:30 PM");
    expect(formatWallTime("06:00", { ...info, hour12: false })).toBe("06:00");
    expect(formatWallTime("06:00:30", { ...info, hour12: false })).toBe("06:00:30");
    expect(formatWallTime("soon", info)).toBe("soon");
  });
  test("short instants in the user's zone", () => {
    const info = { language: "en", hour12: false, zone: "Europe/Berlin", haZone: "Europe/Berlin" };
    expect(formatWhen("2026-12-01T15:00:00Z", now, info)).toBe("16:00");
    expect(formatWhen("2026-12-02T15:00:00Z", now, info)).toBe("Wed 16:00");
    expect(formatWhen("2027-05-01T08:00:00Z", now, info)).toBe("May 1, 2027, 10:00");
  });
  test("local dates and datetime-local values", () => {
    expect(localDate("2026-12-01T23:30:00Z", "Europe/Berlin")).toBe("2026-12-02");
    expect(toLocalInput("2027-05-01T17:00:00+00:00", "US/Pacific")).toBe("2027-05-01T10:00");
    expect(toLocalInput("2027-05-01T10:00:00", "US/Pacific")).toBe("2027-05-01T10:00");
  });
  test("percent per language", () => {
    expect(formatPercent(85, "en")).toBe("85%");
    expect(norm(formatPercent(85, "de"))).toBe("85 %");
    expect(formatPercent(2.5, "en")).toBe("2.5%");
    expect(formatPercent(40.4, "en")).toBe("40%");
  });
});

describe("HA's number format", () => {
  test("decides how percentages are written, apart from the language", async () => {
    const { numberLocale, percentLocale } = await import("../src/format");
    expect(numberLocale("decimal_comma", "en")).toBe("de");
    expect(numberLocale("comma_decimal", "de")).toBe("en-US");
    expect(numberLocale("language", "de")).toBe("de");
    expect(numberLocale(undefined, "de")).toBe("de");
    expect(numberLocale("system", "de")).toBeUndefined();
    const info = { language: "en", hour12: false, zone: "UTC", haZone: "UTC", numbers: "de" };
    expect(norm(formatPercent(2.5, percentLocale(info)))).toBe("2,5 %");
    expect(percentLocale({ language: "en", hour12: false, zone: "UTC", haZone: "UTC" })).toBe("en");
  });
});

// Dates, times, numbers and durations for people, through Intl and HA's locale settings (pure functions).

import type { Hass } from "./hass";

export interface LocaleInfo {
  /** BCP 47 language for Intl ("en", "de", "en-GB"). */
  language: string;
  /** 12-hour clock (HA's time_format: "12"/"am_pm", "24", "language", "system"). */
  hour12: boolean;
  /** The zone instants are shown in: HA's (time_zone "server") or the browser's ("local"). */
  zone: string;
  /** Home Assistant's own zone (hass.config.time_zone): the reef's day. */
  haZone: string;
  /** The locale numbers are written in (HA's number_format); the language's when not set. */
  numbers?: string | undefined;
}

/** HA's number_format as a locale for Intl.NumberFormat (undefined: the browser's). */
export function numberLocale(format: string | undefined, language: string): string | undefined {
  switch (format) {
    case "comma_decimal":
      return "en-US";
    case "decimal_comma":
      return "de";
    case "space_comma":
      return "fr";
    case "none":
      return "en-US-u-nu-latn";
    case "system":
      return undefined;
    default:
      return language;
  }
}

const cache = new Map<string, Intl.DateTimeFormat>();

function dtf(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = language + JSON.stringify(options);
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, options);
    cache.set(key, format);
  }
  return format;
}

export function browserZone(): string {
  try {
    return new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Whether a language (or the browser, for undefined) writes times with a 12-hour clock. */
export function languageUsesAmPm(language: string | undefined): boolean {
  try {
    const text = new Date(Date.UTC(2023, 0, 1, 22)).toLocaleTimeString(language, { timeZone: "UTC" });
    return text.includes("10");
  } catch {
    return false;
  }
}

export function hour12For(timeFormat: string | undefined, language: string): boolean {
  switch (timeFormat) {
    case "12":
    case "am_pm":
      return true;
    case "24":
      return false;
    case "system":
      return languageUsesAmPm(undefined);
    default:
      return languageUsesAmPm(language);
  }
}

export function isZone(zone: string | undefined | null): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function localeInfo(hass: Hass | undefined): LocaleInfo {
  const language = hass?.locale?.language || hass?.language || "en";
  const haZone = isZone(hass?.config.time_zone) ? hass!.config.time_zone : browserZone();
  const zone = hass?.locale?.time_zone === "local" ? browserZone() : haZone;
  return {
    language,
    hour12: hour12For(hass?.locale?.time_format, language),
    zone,
    haZone,
    numbers: numberLocale(hass?.locale?.number_format, language),
  };
}

function timeOptions(info: LocaleInfo, zone: string): Intl.DateTimeFormatOptions {
  return {
    hour: info.hour12 ? "numeric" : "2-digit",
    minute: "2-digit",
    hourCycle: info.hour12 ? "h12" : "h23",
    timeZone: zone,
  };
}

/** A wall-clock time "HH:MM" (or "HH:MM:SS") for people: "6:00 AM" or "06:00". */
export function formatWallTime(value: string, info: LocaleInfo): string {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return value;
  const date = new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2]), Number(match[3] ?? 0)));
  const options = timeOptions(info, "UTC");
  if (match[3] && match[3] !== "00") options.second = "2-digit";
  return dtf(info.language, options).format(date);
}

export function formatTime(iso: string | Date, info: LocaleInfo, zone = info.zone): string {
  return dtf(info.language, timeOptions(info, zone)).format(toDate(iso));
}

export function formatTimeSeconds(iso: string | Date, info: LocaleInfo, zone = info.zone): string {
  return dtf(info.language, { ...timeOptions(info, zone), second: "2-digit" }).format(toDate(iso));
}

export function formatDate(iso: string | Date, info: LocaleInfo, zone = info.zone): string {
  return dtf(info.language, { day: "numeric", month: "long", year: "numeric", timeZone: zone }).format(toDate(iso));
}

export function formatShortDate(iso: string | Date, info: LocaleInfo, zone = info.zone): string {
  return dtf(info.language, { day: "numeric", month: "short", timeZone: zone }).format(toDate(iso));
}

export function formatWeekdayLong(day: number, language: string): string {
  // 2024-01-01 was a Monday; day 0 = Monday.
  return dtf(language, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + day)));
}

export function formatWeekdayShort(day: number, language: string): string {
  return dtf(language, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + day)));
}

export function formatDateTime(iso: string | Date, info: LocaleInfo, zone = info.zone): string {
  return dtf(info.language, {
    day: "numeric",
    month: "short",
    year: "numeric",
    ...timeOptions(info, zone),
  }).format(toDate(iso));
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(iso: string | Date, zone: string): string {
  const p = zoneParts(iso, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** An instant's wall time in a zone, as an <input type="datetime-local"> value ("YYYY-MM-DDTHH:MM"). */
export function toLocalInput(iso: string, zone: string): string {
  // A value without an offset is already a wall time in the schedule's zone.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) return iso.slice(0, 16);
  const p = zoneParts(iso, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** Short, in the user's zone: "14:05" today, "Tue 14:05" within a week, "3 May 2027, 14:05" otherwise. */
export function formatWhen(iso: string, now: Date, info: LocaleInfo): string {
  const date = toDate(iso);
  const today = localDate(now, info.zone);
  const day = localDate(date, info.zone);
  const time = formatTime(date, info);
  if (day === today) return time;
  const days = Math.abs(dayNumber(day) - dayNumber(today));
  if (days < 7) return `${dtf(info.language, { weekday: "short", timeZone: info.zone }).format(date)} ${time}`;
  return formatDateTime(date, info);
}

function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

export interface ZoneParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function zoneParts(iso: string | Date, zone: string): ZoneParts {
  const parts = dtf("en-US", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZone: zone,
  }).formatToParts(toDate(iso));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

export function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

const relativeCache = new Map<string, Intl.RelativeTimeFormat>();

/** "in 5 minutes", "2 hours ago", "tomorrow" (Intl.RelativeTimeFormat, numeric "auto"). */
export function formatRelative(iso: string | Date, now: Date, language: string): string {
  let format = relativeCache.get(language);
  if (!format) {
    format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
    relativeCache.set(language, format);
  }
  const seconds = (toDate(iso).getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(Math.round(seconds), "second");
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), "hour");
  if (abs < 6.5 * 86400) return format.format(Math.round(seconds / 86400), "day");
  // "in 2 weeks", not "next week": read after a label ("Next run") the numeric form is clearer.
  const always = numericFormat(language);
  if (abs < 26 * 86400) return always.format(Math.round(seconds / (7 * 86400)), "week");
  if (abs < 320 * 86400) return always.format(Math.round(seconds / (30.44 * 86400)), "month");
  return always.format(Math.round(seconds / (365.25 * 86400)), "year");
}

const numericCache = new Map<string, Intl.RelativeTimeFormat>();
function numericFormat(language: string): Intl.RelativeTimeFormat {
  let format = numericCache.get(language);
  if (!format) {
    format = new Intl.RelativeTimeFormat(language, { numeric: "always" });
    numericCache.set(language, format);
  }
  return format;
}

const numberCache = new Map<string, Intl.NumberFormat>();

function nf(language: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = String(language) + JSON.stringify(options);
  let format = numberCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, options);
    numberCache.set(key, format);
  }
  return format;
}

/** A level in percent: "85%" (en), "85 %" (de); one decimal below 10 %. `language` may be undefined (browser). */
export function formatPercent(level: number, language: string | undefined): string {
  const digits = level > 0 && level < 10 && !Number.isInteger(level) ? 1 : 0;
  return nf(language, { style: "percent", maximumFractionDigits: digits }).format(level / 100);
}

/** Joins items as a language does: "08:00 and 20:00", "08:00 und 20:00". */
export function formatList(items: string[], language: string, type: "conjunction" | "unit" = "conjunction"): string {
  try {
    return new Intl.ListFormat(language, { style: "long", type }).format(items);
  } catch {
    return items.join(", ");
  }
}

/** Where percentages are written: HA's number format if it says so, else the language. */
export function percentLocale(info: LocaleInfo): string | undefined {
  return "numbers" in info ? info.numbers : info.language;
}

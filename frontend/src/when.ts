// Sentences for people: *when* a schedule runs and *what* it does, in the user's language and clock (pure).

import type { Acclimation, Params, Preset, SchedulePayload, Weekday } from "./api";
import { WEEKDAYS } from "./api";
import {
  formatDate,
  formatList,
  formatPercent,
  percentLocale,
  formatTime,
  formatWallTime,
  formatWeekdayLong,
  formatWeekdayShort,
  zoneParts,
  type LocaleInfo,
} from "./format";
import type { Translator } from "./i18n";

export interface Ctx extends Translator {
  info: LocaleInfo;
}

export function makeCtx(translator: Translator, info: LocaleInfo): Ctx {
  return { ...translator, info };
}

// ---- durations ---------------------------------------------------------------------------------------------

/** Minutes for people: "45 min", "60 min", "2 h", "1 h 30 min". */
export function formatMinutes(minutes: number, ctx: Ctx): string {
  return formatSeconds(Math.round(minutes * 60), ctx);
}

/** Seconds for people: "45 s", "1 min 30 s", "30 min", "60 min", "2 h", "1 h 30 min", "2 d". */
export function formatSeconds(seconds: number, ctx: Ctx): string {
  const s = Math.max(0, Math.round(seconds));
  const n = (value: number) => ({ n: value });
  if (s < 60) return ctx.t("unit.s", n(s));
  if (s < 3600 || (s <= 3600 && s % 60 === 0)) {
    const minutes = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${ctx.t("unit.min", n(minutes))} ${ctx.t("unit.s", n(rest))}` : ctx.t("unit.min", n(minutes));
  }
  if (s % 86400 === 0) return ctx.t("unit.d", n(s / 86400));
  const hours = Math.floor(s / 3600);
  const minutes = Math.round((s % 3600) / 60);
  return minutes ? `${ctx.t("unit.h", n(hours))} ${ctx.t("unit.min", n(minutes))}` : ctx.t("unit.h", n(hours));
}

function pct(level: unknown, ctx: Ctx): string {
  return formatPercent(Number(level), percentLocale(ctx.info));
}

function times(values: readonly string[], ctx: Ctx): string {
  return formatList(values.map((value) => formatWallTime(value, ctx.info)), ctx.language);
}

function weekdayIndex(day: Weekday): number {
  return WEEKDAYS.indexOf(day);
}

/** Day numbers (0 = Monday) for people: "Sunday" alone, "Mon–Fri" for a run of three or more, else "Mon, Thu". */
export function dayNames(days: readonly number[], ctx: Ctx): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 1) return formatWeekdayLong(sorted[0]!, ctx.language);
  const parts: string[] = [];
  for (let index = 0; index < sorted.length; ) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    const short = (day: number) => formatWeekdayShort(day, ctx.language);
    if (end - index >= 2) parts.push(`${short(sorted[index]!)}–${short(sorted[end]!)}`);
    else for (let day = index; day <= end; day++) parts.push(short(sorted[day]!));
    index = end + 1;
  }
  return parts.join(", ");
}

function shortDays(days: readonly Weekday[], ctx: Ctx): string {
  return dayNames(days.map(weekdayIndex), ctx);
}

function monthDays(days: readonly number[], ctx: Ctx): string {
  const sorted = [...days].sort((a, b) => (a < 0 ? 100 - a : a) - (b < 0 ? 100 - b : b));
  return formatList(
    sorted.map((day) =>
      day === -1 ? ctx.t("when.dom_last") : day < 0 ? ctx.t("when.dom_from_end", { n: -day }) : ctx.t("when.dom", { n: day }),
    ),
    ctx.language,
  );
}

function withZone(text: string, zone: string | null | undefined, ctx: Ctx): string {
  return zone && zone !== ctx.info.haZone ? ctx.t("when.zone", { text, zone }) : text;
}

// ---- when --------------------------------------------------------------------------------------------------

/** "every 15 minutes", "every 2 hours", "every day" (an interval in seconds, the largest whole unit). */
export function everySeconds(seconds: number, ctx: Ctx): string {
  if (seconds > 0 && seconds % 604800 === 0 && seconds >= 604800 * 2) return ctx.tn("when.weeks_interval", seconds / 604800);
  if (seconds > 0 && seconds % 86400 === 0) return ctx.tn("when.days_interval", seconds / 86400);
  if (seconds > 0 && seconds % 3600 === 0) return ctx.tn("when.hours_interval", seconds / 3600);
  if (seconds > 0 && seconds % 60 === 0) return ctx.tn("when.minutes_interval", seconds / 60);
  return ctx.tn("when.seconds_interval", seconds);
}

export function whenSentence(schedule: SchedulePayload, ctx: Ctx): string {
  const zone = schedule.timezone || ctx.info.haZone;
  switch (schedule.schedule_type) {
    case "one_off": {
      if (!schedule.run_at) return ctx.t("when.once_unset");
      const instant = instantIn(schedule.run_at, zone);
      const text = ctx.t("when.once", { date: formatDate(instant, ctx.info, zone), time: formatTime(instant, ctx.info, zone) });
      return withZone(text, schedule.timezone, ctx);
    }
    case "interval": {
      const every = everySeconds(schedule.interval_seconds ?? 0, ctx);
      if (!schedule.start_time) return every;
      const start = instantIn(schedule.start_time, zone);
      return ctx.t("when.from", { text: every, start: `${formatDate(start, ctx.info)} ${formatTime(start, ctx.info)}` });
    }
    case "cron":
      return withZone(cronSentence(schedule.cron_expression ?? "", ctx), schedule.timezone, ctx);
    case "recurring":
      return withZone(recurringSentence(schedule, ctx), schedule.timezone, ctx);
    case "static":
      return withZone(presetSentence(schedule.preset ?? null, schedule.preset_params ?? {}, ctx), schedule.timezone, ctx);
    default:
      return String(schedule.schedule_type);
  }
}

/** An ISO instant; one written without an offset is a wall time in `zone` (as the server reads it). */
export function instantIn(value: string, zone: string): Date {
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return new Date(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!match) return new Date(value);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const guess = Date.UTC(y!, mo! - 1, d!, h!, mi!, s || 0);
  // Two passes of "what is this guess's wall time in the zone" find the offset (DST edges included).
  let instant = guess;
  for (let pass = 0; pass < 2; pass++) {
    const offset = wallOffset(new Date(instant), zone);
    instant = guess - offset;
  }
  return new Date(instant);
}

function wallOffset(date: Date, zone: string): number {
  const { year, month, day, hour, minute, second } = zoneParts(date, zone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(date.getTime() / 1000) * 1000;
}

function recurringSentence(schedule: SchedulePayload, ctx: Ctx): string {
  const every = Math.max(1, schedule.every ?? 1);
  const at = times(schedule.times ?? [], ctx);
  switch (schedule.frequency) {
    case "weekly":
      return ctx.tn("when.weekly", every, { days: shortDays(schedule.weekdays ?? [], ctx), times: at });
    case "monthly":
      return ctx.tn("when.monthly", every, { days: monthDays(schedule.days_of_month ?? [], ctx), times: at });
    default:
      return ctx.tn("when.daily", every, { times: at });
  }
}

// ---- cron --------------------------------------------------------------------------------------------------

const CRON_ALIASES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const CRON_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function numbers(field: string, max: number): number[] | null {
  if (!/^\d+(,\d+)*$/.test(field)) return null;
  const values = field.split(",").map(Number);
  return values.every((value) => value <= max) ? values : null;
}

/** Day-of-week field → Monday-first day numbers (0 = Monday), ranges and names understood. */
function cronWeekdays(field: string): number[] | null {
  const days = new Set<number>();
  for (const part of field.toLowerCase().split(",")) {
    const range = /^([a-z]{3}|\d)(?:-([a-z]{3}|\d))?$/.exec(part);
    if (!range) return null;
    const value = (text: string) => (/^\d$/.test(text) ? Number(text) : CRON_DAYS.indexOf(text));
    const from = value(range[1]!);
    const to = range[2] === undefined ? from : value(range[2]);
    if (from < 0 || to < 0 || from > 7 || to > 7 || to < from) return null;
    for (let day = from; day <= to; day++) days.add((day + 6) % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/** The hours of a cron range ("6-9"), when it is one. */
function hourSpan(first: number, last: number): number[] | null {
  if (first > last || last > 23) return null;
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** A sentence for the common cron patterns; the raw expression otherwise. */
export function cronSentence(expression: string, ctx: Ctx): string {
  const raw = expression.trim().replace(/\s+/g, " ");
  const expanded = CRON_ALIASES[raw.toLowerCase()] ?? raw;
  const fields = expanded.split(" ");
  const fallback = ctx.t("when.cron_raw", { expression: raw });
  if (fields.length !== 5) return fallback;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const step = (field: string) => /^\*\/(\d+)$/.exec(field)?.[1];
  // Every n minutes within a span of hours ("*/30 9-17 * * 1-5"), on some weekdays or every day.
  const each = minute === "*" ? 1 : Number(step(minute) ?? 0);
  const span = /^(\d+)-(\d+)$/.exec(hour);
  if (each > 0 && 60 % each === 0 && span && dom === "*" && month === "*") {
    const [first, last] = [Number(span[1]), Number(span[2])];
    if (first >= last || last > 23) return fallback;
    const text = ctx.tn("when.minutes_between", each, {
      from: formatWallTime(`${pad(first)}:00`, ctx.info),
      to: formatWallTime(`${pad(last)}:${pad(60 - each)}`, ctx.info),
    });
    if (dow === "*") return text;
    const days = cronWeekdays(dow);
    if (!days) return fallback;
    return days.length === 7 ? text : ctx.t("when.on_days", { text, days: dayNames(days, ctx) });
  }
  if (dom !== "*" || month !== "*" || dow !== "*") {
    if (hour === "*" || minute === "*" || step(hour) || step(minute)) return fallback;
  }
  // Every minute / every n minutes / hourly at a minute / every n hours.
  if (hour === "*" && dom === "*" && month === "*" && dow === "*") {
    if (minute === "*") return ctx.tn("when.minutes_interval", 1);
    const n = step(minute);
    if (n && 60 % Number(n) === 0) return ctx.tn("when.minutes_interval", Number(n));
    const at = numbers(minute, 59);
    if (at && at.length === 1) return at[0] === 0 ? ctx.t("when.hourly") : ctx.t("when.hourly_at", { minute: pad(at[0]!) });
    return fallback;
  }
  const everyHours = step(hour);
  if (everyHours && minute === "0" && dom === "*" && month === "*" && dow === "*" && 24 % Number(everyHours) === 0) {
    return ctx.tn("when.hours_interval", Number(everyHours));
  }
  const minutes = numbers(minute, 59);
  const hours = span ? hourSpan(Number(span[1]), Number(span[2])) : numbers(hour, 23);
  if (!minutes || !hours || minutes.length * hours.length > 12) return fallback;
  const wall = hours.flatMap((h) => minutes.map((m) => `${pad(h)}:${pad(m)}`)).sort();
  const at = times(wall, ctx);
  if (dom === "*" && month === "*") {
    if (dow === "*") return ctx.tn("when.daily", 1, { times: at });
    const days = cronWeekdays(dow);
    if (!days) return fallback;
    if (days.length === 7) return ctx.tn("when.daily", 1, { times: at });
    return ctx.t("when.on_weekdays", { days: dayNames(days, ctx), times: at });
  }
  const doms = numbers(dom, 31);
  if (!doms || dow !== "*" || doms.some((day) => day < 1)) return fallback;
  if (month === "*") return ctx.tn("when.monthly", 1, { days: monthDays(doms, ctx), times: at });
  const months = numbers(month, 12);
  if (!months || months.length !== 1 || doms.length !== 1 || months[0]! < 1) return fallback;
  const date = new Intl.DateTimeFormat(ctx.language, { day: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, months[0]! - 1, doms[0]!)),
  );
  return ctx.t("when.yearly", { date, times: at });
}

// ---- presets -----------------------------------------------------------------------------------------------

export function presetSentence(preset: Preset | null, params: Params, ctx: Ctx): string {
  const time = (value: unknown) => (typeof value === "string" ? formatWallTime(value, ctx.info) : "?");
  const minutes = (value: unknown) => formatMinutes(Number(value ?? 0), ctx);
  const clouds = (value: unknown) => {
    const c = value && typeof value === "object" ? (value as Params) : null;
    return c ? { start: time(c.start), end: time(c.end) } : null;
  };
  switch (preset) {
    case "diurnal": {
      let text = ctx.t("when.diurnal", {
        sunrise: time(params.sunrise),
        sunrise_length: minutes(params.sunrise_minutes),
        peak: pct(params.peak_level, ctx),
        sunset: time(params.sunset),
        sunset_length: minutes(params.sunset_minutes),
      });
      const night = Number(params.night_level ?? 0);
      if (night > 0) text = ctx.t("when.diurnal_night", { text, night: pct(night, ctx) });
      const span = clouds(params.clouds);
      return span ? ctx.t("when.with_clouds", { text, ...span }) : text;
    }
    case "profile": {
      const points = Array.isArray(params.points) ? params.points.length : 0;
      let text = ctx.tn("when.profile", points);
      if (params.interpolation === "smooth") text = ctx.t("when.profile_smooth", { text });
      const parts = [text];
      const span = clouds(params.clouds);
      if (span) parts.push(ctx.t("when.clouds", span));
      const offsets = Array.isArray(params.offsets) ? params.offsets.length : 0;
      if (offsets) parts.push(ctx.tn("when.offsets", offsets));
      if (params.follow_moon === true) parts.push(ctx.t("when.follows_moon"));
      return parts.join(" · ");
    }
    case "moonlight": {
      const text = ctx.t("when.moonlight", { level: pct(params.night_level, ctx), start: time(params.start), end: time(params.end) });
      return params.follow_moon === true ? ctx.t("when.moonlight_moon", { text }) : text;
    }
    case "feed_pause":
      return ctx.t("when.feed_pause", {
        minutes: minutes(params.minutes),
        times: times(Array.isArray(params.times) ? (params.times as string[]) : [], ctx),
      });
    case "maintenance": {
      const day = WEEKDAYS.indexOf(params.weekday as Weekday);
      return ctx.t("when.maintenance", {
        weekday: day >= 0 ? formatWeekdayLong(day, ctx.language) : "?",
        time: time(params.time),
        minutes: minutes(params.minutes),
      });
    }
    default:
      return ctx.t("when.preset_unknown", { preset: String(preset) });
  }
}

/** "acclimation from 40% over 30 days, starting December 1, 2026" (the date when there is one). */
export function acclimationSentence(acclimation: Partial<Acclimation>, ctx: Ctx): string {
  const days = Number(acclimation.days ?? 0);
  const text = ctx.tn("when.acclimation", days, { start: pct(acclimation.start_percent ?? 0, ctx) });
  const date = /^\d{4}-\d{2}-\d{2}$/.test(acclimation.start_date ?? "") ? acclimation.start_date! : null;
  // A calendar date: noon UTC is that day in every zone the formatter is asked for.
  return date ? ctx.t("when.acclimation_from", { text, date: formatDate(new Date(`${date}T12:00:00Z`), ctx.info, "UTC") }) : text;
}

/** The day acclimation is over ("YYYY-MM-DD" + days), in the user's words; null without a start date. */
export function acclimationEnd(acclimation: Partial<Acclimation>, ctx: Ctx): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(acclimation.start_date ?? "");
  const days = Number(acclimation.days);
  if (!match || !Number.isFinite(days)) return null;
  const end = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days, 12));
  return formatDate(end, ctx.info, "UTC");
}

/** Today's acclimation factor (0..1) as a whole percent that only says 100 % once it is 1. */
export function acclimationPercent(factor: number, ctx: Ctx): string {
  const percent = Math.max(0, Math.min(factor < 1 ? 99 : 100, Math.round(factor * 100)));
  return pct(percent, ctx);
}

// ---- what --------------------------------------------------------------------------------------------------

/** What an action does: "ramp to 100 % over 30 min", "off for 10 min, then back", "call light.turn_on". */
export function actionSentence(actionType: string | null | undefined, params: Params, ctx: Ctx): string {
  const duration = typeof params.duration === "number" && params.duration > 0 ? formatSeconds(params.duration, ctx) : null;
  const back = (text: string) => (duration ? ctx.t("what.then_back", { text, duration }) : text);
  switch (actionType) {
    case "on":
      return duration ? ctx.t("what.on_for", { duration }) : ctx.t("what.on");
    case "off":
      return duration ? ctx.t("what.off_for", { duration }) : ctx.t("what.off");
    case "toggle":
      return back(ctx.t("what.toggle"));
    case "set_level":
      return back(ctx.t("what.set_level", { level: pct(params.level, ctx) }));
    case "set_pwm":
      return back(ctx.t("what.set_pwm", { duty: pct(params.duty, ctx) }));
    case "ramp": {
      const values = { end: pct(params.end_level, ctx), duration: formatSeconds(Number(params.duration ?? 0), ctx) };
      const text =
        typeof params.start_level === "number"
          ? ctx.t("what.ramp_from", { ...values, start: pct(params.start_level, ctx) })
          : ctx.t("what.ramp", values);
      return params.curve === "linear" ? ctx.t("what.linear", { text }) : text;
    }
    case "custom":
      return ctx.t("what.custom", { service: String(params.service ?? "?") });
    case "revert":
      return ctx.t("what.revert");
    case "mode_start":
    case "mode_end": {
      const mode = ctx.t(params.mode === "maintenance" ? "mode.maintenance" : "mode.feed");
      if (actionType === "mode_end") return ctx.t("what.mode_end", { mode });
      return ctx.t("what.mode_start", { mode, level: typeof params.level === "number" ? pct(params.level, ctx) : "—" });
    }
    case "resume":
      return ctx.t("what.resume");
    default:
      return actionType ? String(actionType) : "—";
  }
}

export function whatSentence(schedule: SchedulePayload, ctx: Ctx): string {
  if (schedule.schedule_type === "static") {
    switch (schedule.preset) {
      case "diurnal":
        return ctx.t("what.preset_diurnal");
      case "profile":
        return ctx.t("what.preset_profile");
      case "moonlight":
        return ctx.t("what.preset_moonlight");
      case "feed_pause":
        return ctx.t("what.preset_feed_pause");
      case "maintenance":
        return ctx.t("what.preset_maintenance");
      default:
        return "—";
    }
  }
  return actionSentence(schedule.action_type, schedule.action_params ?? {}, ctx);
}

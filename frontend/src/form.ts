// The editor's form model and its two-way mapping to the API payload (pure).
// formFromSchedule(payloadFromForm(f)) equals f for every canonical form f (see test/form.test.ts).

import type {
  Acclimation,
  ActionType,
  Frequency,
  Interpolation,
  Params,
  Preset,
  Schedule,
  SchedulePayload,
  ScheduleType,
  Weekday,
} from "./api";
import { toLocalInput } from "./format";

export type Unit = "s" | "min" | "h" | "d";
export const UNITS: readonly Unit[] = ["s", "min", "h", "d"];
const UNIT_SECONDS: Record<Unit, number> = { s: 1, min: 60, h: 3600, d: 86400 };

/** A duration as entered: a number (null when empty) and its unit. */
export interface Duration {
  value: number | null;
  unit: Unit;
}

export interface ActionForm {
  type: ActionType;
  /** on/off/toggle/set_pwm/set_level: go back after (empty: stay); ramp: the ramp's length. */
  duration: Duration;
  duty: number | null;
  level: number | null;
  start_level: number | null;
  end_level: number | null;
  curve: "" | "perceptual" | "linear";
  service: string;
  /** JSON object text; empty for none. */
  data: string;
  target: string;
}

/** One point of a light profile. `night` null: not sent (a day point). */
export interface PointForm {
  time: string;
  level: number | null;
  night: boolean | null;
}

/** One channel's offset of a profile; null numbers are not sent (the server's defaults: 0 min, 100 %). */
export interface OffsetForm {
  target: string;
  shift_minutes: number | null;
  scale: number | null;
}

/** Passing clouds over a reef day or a profile; null durations are not sent (defaults 1 and 5 min). */
export interface CloudsForm {
  start: string;
  end: string;
  per_hour: number | null;
  depth: number | null;
  min_minutes: number | null;
  max_minutes: number | null;
}

/** A level schedule's slow start; an empty date is not sent (the server takes today). */
export interface AcclimationForm {
  start_percent: number | null;
  days: number | null;
  start_date: string;
}

export const MIN_POINTS = 2;
export const MAX_POINTS = 48;

export interface PresetForms {
  diurnal: {
    sunrise: string;
    sunrise_minutes: number | null;
    peak_level: number | null;
    sunset: string;
    sunset_minutes: number | null;
    night_level: number | null;
    clouds: CloudsForm | null;
  };
  profile: {
    points: PointForm[];
    /** "" = not sent (the server's default, linear). */
    interpolation: "" | Interpolation;
    offsets: OffsetForm[];
    /** null = not sent (off). */
    follow_moon: boolean | null;
    min_level: number | null;
    clouds: CloudsForm | null;
  };
  moonlight: { night_level: number | null; start: string; end: string; follow_moon: boolean | null; min_level: number | null };
  feed_pause: { times: string[]; minutes: number | null };
  maintenance: { weekday: Weekday; time: string; minutes: number | null };
}

export interface ScheduleForm {
  name: string;
  schedule_type: ScheduleType;
  targets: string[];
  /** "" = Home Assistant's zone. */
  timezone: string;
  /** <input type="datetime-local"> values in the schedule's zone; "" = none. */
  start_time: string;
  end_time: string;
  enabled: boolean;
  misfire_grace: Duration;
  run_at: string;
  interval: Duration;
  cron_expression: string;
  frequency: Frequency;
  times: string[];
  every: number | null;
  weekdays: Weekday[];
  /** Days of the month as typed: "1, 15, -1". */
  days_of_month: string;
  preset: Preset;
  presets: PresetForms;
  action: ActionForm;
  /** Level schedules only (see takesAcclimation); null = none. */
  acclimation: AcclimationForm | null;
  /** The stored schedule had acclimation: taking it away sends `acclimation: null`. */
  had_acclimation: boolean;
}

/** New clouds, as the switch turns them on. */
export function defaultClouds(): CloudsForm {
  return { start: "11:00", end: "16:00", per_hour: 2, depth: 40, min_minutes: null, max_minutes: null };
}

/** New acclimation, as the switch turns it on. */
export function defaultAcclimation(): AcclimationForm {
  return { start_percent: 40, days: 30, start_date: "" };
}

/** The schedules acclimation is for: the level programmes, and the ramp and set-level actions. */
export function takesAcclimation(form: Pick<ScheduleForm, "schedule_type" | "preset" | "action">): boolean {
  return form.schedule_type === "static"
    ? form.preset === "diurnal" || form.preset === "moonlight" || form.preset === "profile"
    : form.action.type === "ramp" || form.action.type === "set_level";
}

export function defaultForm(): ScheduleForm {
  return {
    name: "",
    schedule_type: "recurring",
    targets: [],
    timezone: "",
    start_time: "",
    end_time: "",
    enabled: true,
    misfire_grace: { value: 5, unit: "min" },
    run_at: "",
    interval: { value: 1, unit: "h" },
    cron_expression: "0 9 * * *",
    frequency: "daily",
    times: ["09:00"],
    every: 1,
    weekdays: ["mon"],
    days_of_month: "1",
    preset: "diurnal",
    presets: {
      diurnal: {
        sunrise: "09:00",
        sunrise_minutes: 120,
        peak_level: 85,
        sunset: "19:00",
        sunset_minutes: 120,
        night_level: null,
        clouds: null,
      },
      profile: {
        points: [
          { time: "08:00", level: 0, night: null },
          { time: "10:30", level: 80, night: null },
          { time: "18:00", level: 80, night: null },
          { time: "20:30", level: 0, night: null },
        ],
        interpolation: "smooth",
        offsets: [],
        follow_moon: null,
        min_level: null,
        clouds: null,
      },
      moonlight: { night_level: 3, start: "21:30", end: "06:00", follow_moon: null, min_level: null },
      feed_pause: { times: ["08:30", "18:30"], minutes: 10 },
      maintenance: { weekday: "sun", time: "10:00", minutes: 60 },
    },
    action: {
      type: "on",
      duration: { value: null, unit: "min" },
      duty: null,
      level: null,
      start_level: null,
      end_level: null,
      curve: "",
      service: "",
      data: "",
      target: "",
    },
    acclimation: null,
    had_acclimation: false,
  };
}

// ---- profile points ----------------------------------------------------------------------------------------

/** "08:30" / "08:30:15" → minutes of the day (seconds as a fraction); NaN when it is not a time. */
export function minutesOf(time: string): number {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (!match) return NaN;
  const [hours, minutes, secs] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  return hours < 24 && minutes < 60 && secs < 60 ? hours * 60 + minutes + secs / 60 : NaN;
}

/** The points' times are all set and strictly ascending (what the server asks for). */
export function pointsInOrder(points: readonly PointForm[]): boolean {
  return points.every((point, index) => index === 0 || minutesOf(point.time) > minutesOf(points[index - 1]!.time));
}

/** The points in time order (empty and unreadable times last, each keeping its place among them). */
export function sortPoints(points: readonly PointForm[]): PointForm[] {
  const key = (point: PointForm) => {
    const minutes = minutesOf(point.time);
    return Number.isNaN(minutes) ? Infinity : minutes;
  };
  return points
    .map((point, index) => ({ point, index }))
    .sort((a, b) => key(a.point) - key(b.point) || a.index - b.index)
    .map(({ point }) => ({ ...point }));
}

/** A new point: an hour after the last one (when that is still the same day), at its level. */
export function nextPoint(points: readonly PointForm[]): PointForm {
  const last = points[points.length - 1];
  const minutes = last ? minutesOf(last.time) : NaN;
  const next = Number.isNaN(minutes) ? NaN : Math.floor(minutes) + 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  const time = Number.isNaN(next) || next >= 24 * 60 ? "" : `${pad(Math.floor(next / 60))}:${pad(next % 60)}`;
  return { time, level: last?.level ?? 0, night: null };
}

// ---- durations ---------------------------------------------------------------------------------------------

export function seconds(duration: Duration): number | null {
  return duration.value === null || !Number.isFinite(duration.value)
    ? null
    : Math.round(duration.value * UNIT_SECONDS[duration.unit] * 1000) / 1000;
}

/** Seconds as the largest unit that holds them whole (90 s stays "90 s"? no: 1.5 min is not whole → 90 s). */
export function durationOf(value: number | null | undefined, fallbackUnit: Unit = "min"): Duration {
  if (value === null || value === undefined || !Number.isFinite(value)) return { value: null, unit: fallbackUnit };
  if (value === 0) return { value: 0, unit: fallbackUnit };
  for (const unit of ["d", "h", "min"] as const) {
    if (value % UNIT_SECONDS[unit] === 0) return { value: value / UNIT_SECONDS[unit], unit };
  }
  return { value, unit: "s" };
}

// ---- form → payload ----------------------------------------------------------------------------------------

export class FormError extends Error {
  constructor(
    readonly control: string,
    readonly reason: "json" | "days_of_month",
  ) {
    super(`${control}: ${reason}`);
  }
}

function jsonObject(text: string, control: string): Params | undefined {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FormError(control, "json");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new FormError(control, "json");
  return value as Params;
}

/** The problems the form itself finds before the server is asked (JSON text, list syntax). */
export function formErrors(form: ScheduleForm): FormError[] {
  const errors: FormError[] = [];
  if (form.schedule_type !== "static" && form.action.type === "custom") {
    for (const control of ["data", "target"] as const) {
      try {
        jsonObject(form.action[control], `action.${control}`);
      } catch (error) {
        if (error instanceof FormError) errors.push(error);
      }
    }
  }
  if (form.schedule_type === "recurring" && form.frequency === "monthly" && parseDays(form.days_of_month) === null) {
    errors.push(new FormError("days_of_month", "days_of_month"));
  }
  return errors;
}

/** "1, 15, -1" → [1, 15, -1]; null when a part is not a whole number. */
export function parseDays(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.some((part) => !/^-?\d+$/.test(part))) return null;
  return parts.map(Number);
}

function put(target: Params, key: string, value: unknown): void {
  if (value !== null && value !== undefined && value !== "") target[key] = value;
}

export function actionParams(action: ActionForm, strict = false): Params {
  const params: Params = {};
  const duration = seconds(action.duration);
  switch (action.type) {
    case "on":
    case "off":
    case "toggle":
      put(params, "duration", duration);
      break;
    case "set_pwm":
      put(params, "duty", action.duty);
      put(params, "duration", duration);
      break;
    case "set_level":
      put(params, "level", action.level);
      put(params, "duration", duration);
      break;
    case "ramp":
      put(params, "start_level", action.start_level);
      put(params, "end_level", action.end_level);
      put(params, "duration", duration);
      put(params, "curve", action.curve);
      break;
    case "custom": {
      put(params, "service", action.service.trim());
      const read = (text: string, control: string) => {
        try {
          return jsonObject(text, control);
        } catch (error) {
          if (strict) throw error;
          return undefined;
        }
      };
      put(params, "data", read(action.data, "action.data"));
      put(params, "target", read(action.target, "action.target"));
      break;
    }
  }
  return params;
}

/** The scalar and list fields of a preset's form as parameters: empty ones left out. */
function plain(source: Record<string, unknown>, skip: readonly string[] = []): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(source)) {
    if (skip.includes(key)) continue;
    if (Array.isArray(value)) params[key] = value.filter((item) => item !== "");
    else put(params, key, value);
  }
  return params;
}

export function cloudsParams(clouds: CloudsForm): Params {
  return plain(clouds as unknown as Record<string, unknown>);
}

export function pointParams(point: PointForm): Params {
  // A point keeps its place even with an empty time: the server's problem names its index.
  const params: Params = { time: point.time };
  put(params, "level", point.level);
  put(params, "night", point.night);
  return params;
}

export function offsetParams(offset: OffsetForm): Params {
  const params: Params = {};
  put(params, "target", offset.target);
  put(params, "shift_minutes", offset.shift_minutes);
  put(params, "scale", offset.scale);
  return params;
}

export function presetParams(form: ScheduleForm): Params {
  switch (form.preset) {
    case "diurnal": {
      const diurnal = form.presets.diurnal;
      const params = plain(diurnal, ["clouds"]);
      if (diurnal.clouds) params.clouds = cloudsParams(diurnal.clouds);
      return params;
    }
    case "profile": {
      const profile = form.presets.profile;
      const params: Params = { points: profile.points.map(pointParams) };
      put(params, "interpolation", profile.interpolation);
      if (profile.offsets.length) params.offsets = profile.offsets.map(offsetParams);
      put(params, "follow_moon", profile.follow_moon);
      put(params, "min_level", profile.min_level);
      if (profile.clouds) params.clouds = cloudsParams(profile.clouds);
      return params;
    }
    default:
      return plain(form.presets[form.preset]);
  }
}

export function acclimationParams(acclimation: AcclimationForm): Acclimation {
  const params: Params = {};
  put(params, "start_percent", acclimation.start_percent);
  put(params, "days", acclimation.days);
  put(params, "start_date", acclimation.start_date);
  return params as unknown as Acclimation;
}

/**
 * The API payload of a form: only the chosen type's fields, targets as entity ids, durations in seconds,
 * naive local date-times (the server reads them in the schedule's zone), the zone always explicit.
 */
export function payloadFromForm(form: ScheduleForm, haZone: string, strict = false): SchedulePayload {
  const payload: SchedulePayload = {
    name: form.name.trim(),
    schedule_type: form.schedule_type,
    targets: [...form.targets],
    timezone: form.timezone || haZone,
    start_time: form.start_time ? withSeconds(form.start_time) : null,
    end_time: form.end_time ? withSeconds(form.end_time) : null,
    enabled: form.enabled,
    misfire_grace: seconds(form.misfire_grace) ?? 0,
  };
  switch (form.schedule_type) {
    case "one_off":
      payload.run_at = form.run_at ? withSeconds(form.run_at) : null;
      break;
    case "interval":
      payload.interval_seconds = seconds(form.interval);
      break;
    case "cron":
      payload.cron_expression = form.cron_expression.trim();
      break;
    case "recurring":
      payload.frequency = form.frequency;
      payload.times = form.times.filter(Boolean);
      payload.every = form.every;
      if (form.frequency === "weekly") payload.weekdays = [...form.weekdays];
      if (form.frequency === "monthly") payload.days_of_month = parseDays(form.days_of_month) ?? [];
      break;
    case "static":
      payload.preset = form.preset;
      payload.preset_params = presetParams(form);
      break;
  }
  if (form.schedule_type !== "static") {
    payload.action_type = form.action.type;
    payload.action_params = actionParams(form.action, strict);
  }
  // Acclimation only where it applies; null takes away the stored one; never had, never sent.
  if (form.acclimation && takesAcclimation(form)) payload.acclimation = acclimationParams(form.acclimation);
  else if (form.had_acclimation) payload.acclimation = null;
  return payload;
}

function withSeconds(local: string): string {
  return local.length === 16 ? `${local}:00` : local;
}

// ---- payload → form ----------------------------------------------------------------------------------------

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function boolOrNull(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((item) => record(item) ?? {}) : [];
}

function cloudsFrom(value: unknown): CloudsForm | null {
  const clouds = record(value);
  if (!clouds) return null;
  return {
    start: text(clouds.start),
    end: text(clouds.end),
    per_hour: numberOrNull(clouds.per_hour),
    depth: numberOrNull(clouds.depth),
    min_minutes: numberOrNull(clouds.min_minutes),
    max_minutes: numberOrNull(clouds.max_minutes),
  };
}

function jsonText(value: unknown): string {
  return value && typeof value === "object" ? JSON.stringify(value, null, 2) : "";
}

/** The form of a stored schedule or of a payload; fields of other types keep their defaults. */
export function formFromSchedule(schedule: SchedulePayload | Schedule, haZone: string): ScheduleForm {
  const form = defaultForm();
  const zone = schedule.timezone || haZone;
  form.name = schedule.name ?? "";
  form.schedule_type = schedule.schedule_type;
  form.targets = [...(schedule.targets ?? [])];
  form.timezone = !schedule.timezone || schedule.timezone === haZone ? "" : schedule.timezone;
  form.start_time = schedule.start_time ? toLocalInput(schedule.start_time, zone) : "";
  form.end_time = schedule.end_time ? toLocalInput(schedule.end_time, zone) : "";
  form.enabled = schedule.enabled ?? true;
  form.misfire_grace = durationOf(schedule.misfire_grace ?? 300, "min");
  switch (schedule.schedule_type) {
    case "one_off":
      form.run_at = schedule.run_at ? toLocalInput(schedule.run_at, zone) : "";
      break;
    case "interval":
      form.interval = durationOf(schedule.interval_seconds ?? null, "h");
      break;
    case "cron":
      form.cron_expression = schedule.cron_expression ?? "";
      break;
    case "recurring":
      form.frequency = schedule.frequency ?? "daily";
      form.times = [...(schedule.times ?? [])];
      form.every = schedule.every ?? 1;
      if (form.frequency === "weekly") form.weekdays = [...(schedule.weekdays ?? [])];
      if (form.frequency === "monthly") form.days_of_month = (schedule.days_of_month ?? []).join(", ");
      break;
    case "static":
      form.preset = schedule.preset ?? "diurnal";
      presetsFrom(form, schedule.preset_params ?? {});
      break;
  }
  if (schedule.schedule_type !== "static" && schedule.action_type) {
    form.action = actionFrom(schedule.action_type, schedule.action_params ?? {}, form.action);
  }
  const acclimation = record(schedule.acclimation);
  if (acclimation) {
    form.acclimation = {
      start_percent: numberOrNull(acclimation.start_percent),
      days: numberOrNull(acclimation.days),
      start_date: text(acclimation.start_date),
    };
    form.had_acclimation = true;
  }
  return form;
}

function presetsFrom(form: ScheduleForm, params: Params): void {
  const p = form.presets;
  switch (form.preset) {
    case "diurnal":
      p.diurnal = {
        sunrise: text(params.sunrise),
        sunrise_minutes: numberOrNull(params.sunrise_minutes),
        peak_level: numberOrNull(params.peak_level),
        sunset: text(params.sunset),
        sunset_minutes: numberOrNull(params.sunset_minutes),
        night_level: numberOrNull(params.night_level),
        clouds: cloudsFrom(params.clouds),
      };
      break;
    case "profile":
      p.profile = {
        points: records(params.points).map((point) => ({
          time: text(point.time),
          level: numberOrNull(point.level),
          night: boolOrNull(point.night),
        })),
        interpolation: params.interpolation === "linear" || params.interpolation === "smooth" ? params.interpolation : "",
        offsets: records(params.offsets).map((offset) => ({
          target: text(offset.target),
          shift_minutes: numberOrNull(offset.shift_minutes),
          scale: numberOrNull(offset.scale),
        })),
        follow_moon: boolOrNull(params.follow_moon),
        min_level: numberOrNull(params.min_level),
        clouds: cloudsFrom(params.clouds),
      };
      break;
    case "moonlight":
      p.moonlight = {
        night_level: numberOrNull(params.night_level),
        start: text(params.start),
        end: text(params.end),
        follow_moon: boolOrNull(params.follow_moon),
        min_level: numberOrNull(params.min_level),
      };
      break;
    case "feed_pause":
      p.feed_pause = {
        times: Array.isArray(params.times) ? params.times.map(String) : [],
        minutes: numberOrNull(params.minutes),
      };
      break;
    case "maintenance":
      p.maintenance = {
        weekday: (text(params.weekday) || "sun") as Weekday,
        time: text(params.time),
        minutes: numberOrNull(params.minutes),
      };
      break;
  }
}

function actionFrom(type: ActionType, params: Params, defaults: ActionForm): ActionForm {
  const curve = params.curve === "linear" || params.curve === "perceptual" ? params.curve : "";
  return {
    ...defaults,
    type,
    duration: durationOf(numberOrNull(params.duration), "min"),
    duty: type === "set_pwm" ? numberOrNull(params.duty) : null,
    level: type === "set_level" ? numberOrNull(params.level) : null,
    start_level: type === "ramp" ? numberOrNull(params.start_level) : null,
    end_level: type === "ramp" ? numberOrNull(params.end_level) : null,
    curve: type === "ramp" ? curve : "",
    service: type === "custom" ? text(params.service) : "",
    data: type === "custom" ? jsonText(params.data) : "",
    target: type === "custom" ? jsonText(params.target) : "",
  };
}

/** A copy of a stored schedule for the editor: "… (copy)", nothing stored until Save. */
export function duplicateForm(schedule: Schedule, haZone: string, copyName: (name: string) => string): ScheduleForm {
  const form = formFromSchedule(schedule, haZone);
  form.name = copyName(schedule.name);
  // A copy is a new schedule: nothing stored to take away.
  form.had_acclimation = false;
  return form;
}

/** A new schedule's form: the card's channels as targets, and a type that suits them. */
export function newForm(targets: string[]): ScheduleForm {
  const form = defaultForm();
  form.targets = [...targets];
  return form;
}

export function sameForm(a: ScheduleForm, b: ScheduleForm): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

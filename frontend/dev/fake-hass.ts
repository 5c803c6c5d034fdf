// A fake `hass` for the harness and the tests: states, the entity registry, the user, the locale, and a
// websocket that answers Bella's Reef's commands from fixtures (with a small validator for the editor).

import type {
  Action,
  Channel,
  KeeperStatus,
  ModeName,
  ModeStatus,
  Preview,
  Problem,
  Schedule,
  ScheduleEvent,
  SchedulePayload,
} from "../src/api";
import type { Hass, HassEntityState, MessageBase } from "../src/hass";
import { ZONE, acclimationFactor, makeActions, makeChannels, makeDay, makeSchedules } from "./fixtures";
import { localDate } from "../src/format";
import { instantIn } from "../src/when";

export interface FakeOptions {
  admin?: boolean;
  language?: string;
  timeFormat?: string;
  dark?: boolean;
  channels?: Channel[];
  schedules?: Schedule[];
  now?: number;
  /** Answer delay in ms (0: next microtask). */
  latency?: number;
  /** Today's heading per light (where its schedules have it and take it): its state shows the target. */
  headings?: Record<string, { level: number; target: number }>;
  /** The keeper as the server has it at the start (default: both modes ready, none under way, no holds). */
  keeper?: KeeperStatus;
  /** How long the fake's modes last, in minutes (0: until ended). */
  modeMinutes?: Partial<Record<ModeName, number>>;
}

export interface FakeReef {
  hass: Hass;
  channels: Channel[];
  schedules: Map<string, Schedule>;
  actions: Action[];
  calls: MessageBase[];
  emit(event: ScheduleEvent): void;
  subscribers(): number;
  /** Computes the day's answer ahead (benchmarks time the card, not the fixtures). */
  prime(): void;
  /** A new hass object (as HA makes on every state change), with changed states. */
  update(change: (states: Record<string, HassEntityState>) => void): Hass;
}

function problem(code: string, field: string, message: string): Problem {
  return { code, field, message };
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

const minutesOfDay = (time: unknown) => {
  const m = TIME.exec(String(time ?? ""));
  return m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? 0) / 60 : NaN;
};
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** A number parameter: missing (when required), not a number, or outside [min, max] (min itself excluded when open). */
function checkNumber(
  out: Problem[],
  field: string,
  value: unknown,
  min: number,
  max: number,
  options: { required?: boolean; open?: boolean; whole?: boolean } = {},
): void {
  if (value === undefined || value === null) {
    if (options.required) out.push(problem("missing_param", field, `${field} is required`));
  } else if (!isNumber(value) || (options.whole && !Number.isInteger(value))) {
    out.push(problem("invalid_param", field, `${field} must be a ${options.whole ? "whole number" : "number"}`));
  } else if (value > max || (options.open ? value <= min : value < min)) {
    out.push(problem("param_out_of_range", field, `${field} must be within ${min}${options.open ? " (exclusive)" : ""}..${max}`));
  }
}

/** Passing clouds (a reef day's or a profile's). */
function checkClouds(out: Problem[], value: unknown): void {
  if (value === undefined || value === null) return;
  const at = "preset_params.clouds";
  if (typeof value !== "object" || Array.isArray(value)) {
    out.push(problem("invalid_param", at, `${at} must be a mapping`));
    return;
  }
  const c = value as Record<string, unknown>;
  for (const key of ["start", "end"]) {
    if (c[key] === undefined) out.push(problem("missing_param", `${at}.${key}`, `${at}.${key} is required`));
    else if (!TIME.test(String(c[key]))) out.push(problem("invalid_time", `${at}.${key}`, `${at}.${key}: '${String(c[key])}' is not a time of day (HH:MM or HH:MM:SS)`));
  }
  checkNumber(out, `${at}.per_hour`, c.per_hour, 0, 12, { required: true, open: true });
  checkNumber(out, `${at}.depth`, c.depth, 0, 100, { required: true, open: true });
  checkNumber(out, `${at}.min_minutes`, c.min_minutes, 0, 60, { open: true });
  checkNumber(out, `${at}.max_minutes`, c.max_minutes, 0, 60, { open: true });
  const [start, end] = [minutesOfDay(c.start), minutesOfDay(c.end)];
  const [shortest, longest] = [isNumber(c.min_minutes) ? c.min_minutes : 1, isNumber(c.max_minutes) ? c.max_minutes : 5];
  if (start >= end) out.push(problem("invalid_preset_timing", at, `${at}: the clouds must start before they end (on the same day)`));
  if (shortest > longest) out.push(problem("invalid_preset_timing", at, `${at}: min_minutes (${shortest}) is more than max_minutes (${longest})`));
  else if (isNumber(c.per_hour) && c.per_hour > 0 && longest > 60 / c.per_hour)
    out.push(problem("invalid_preset_timing", at, `${at}: ${c.per_hour} clouds an hour of up to ${longest} min do not fit in an hour`));
}

/** A light profile: its points (2–48, ascending), offsets (the schedule's targets, once each), moon and clouds. */
function checkProfile(out: Problem[], p: Record<string, unknown>, targets: string[]): void {
  const at = "preset_params.points";
  const points = p.points;
  if (!Array.isArray(points)) out.push(problem(points === undefined ? "missing_param" : "invalid_param", at, `${at} must be a list of points`));
  else if (points.length < 2) out.push(problem("too_few", at, `${at} needs at least 2 points`));
  else if (points.length > 48) out.push(problem("too_many", at, `${at} has more than 48 points`));
  else {
    let previous = NaN;
    const seen = new Set<number>();
    points.forEach((raw, index) => {
      const here = `${at}[${index}]`;
      if (!raw || typeof raw !== "object") {
        out.push(problem("invalid_param", here, `${here} must be a mapping of time, level and night`));
        return;
      }
      const point = raw as Record<string, unknown>;
      for (const key of Object.keys(point))
        if (!["time", "level", "night"].includes(key)) out.push(problem("unknown_param", `${here}.${key}`, `${here}.${key} is not a field of a point`));
      const minutes = minutesOfDay(point.time);
      if (Number.isNaN(minutes)) out.push(problem("invalid_time", `${here}.time`, `${here}.time: '${String(point.time ?? "")}' is not a time of day (HH:MM or HH:MM:SS)`));
      else if (seen.has(minutes)) out.push(problem("duplicate_point", `${here}.time`, `${here}.time: another point is at ${String(point.time)} already`));
      else if (minutes < previous) out.push(problem("points_unsorted", `${here}.time`, `${here}.time: ${String(point.time)} comes before the point above it`));
      if (!Number.isNaN(minutes)) {
        seen.add(minutes);
        previous = Math.max(Number.isNaN(previous) ? minutes : previous, minutes);
      }
      checkNumber(out, `${here}.level`, point.level, 0, 100, { required: true });
      if (point.night !== undefined && typeof point.night !== "boolean") out.push(problem("invalid_param", `${here}.night`, `${here}.night must be true or false`));
    });
  }
  if (p.interpolation !== undefined && p.interpolation !== "linear" && p.interpolation !== "smooth")
    out.push(problem("invalid_param", "preset_params.interpolation", 'preset_params.interpolation must be "linear" or "smooth"'));
  if (p.offsets !== undefined) {
    const offsets = Array.isArray(p.offsets) ? (p.offsets as Record<string, unknown>[]) : [];
    const named = new Set<string>();
    offsets.forEach((offset, index) => {
      const here = `preset_params.offsets[${index}]`;
      const target = offset?.target;
      if (typeof target !== "string" || !target) out.push(problem("missing_param", `${here}.target`, `${here}.target is required`));
      else if (!targets.includes(target)) out.push(problem("offset_not_a_target", `${here}.target`, `${here}.target: ${target} is not one of the schedule's targets`));
      else if (named.has(target)) out.push(problem("duplicate_target", `${here}.target`, `${here}.target: ${target} has an offset already`));
      if (typeof target === "string") named.add(target);
      checkNumber(out, `${here}.shift_minutes`, offset?.shift_minutes, -720, 720, { whole: true });
      checkNumber(out, `${here}.scale`, offset?.scale, 0, 100);
    });
  }
  checkMoon(out, p);
  checkClouds(out, p.clouds);
}

function checkMoon(out: Problem[], p: Record<string, unknown>): void {
  if (p.follow_moon !== undefined && typeof p.follow_moon !== "boolean")
    out.push(problem("invalid_param", "preset_params.follow_moon", "preset_params.follow_moon must be true or false"));
  checkNumber(out, "preset_params.min_level", p.min_level, 0, 100);
}

/** Acclimation: level schedules only; its start and days required, a date when given. */
function checkAcclimation(out: Problem[], payload: SchedulePayload): void {
  const value = payload.acclimation;
  if (value === undefined || value === null) return;
  const level =
    payload.schedule_type === "static"
      ? ["diurnal", "moonlight", "profile"].includes(String(payload.preset))
      : payload.action_type === "ramp" || payload.action_type === "set_level";
  if (!level) {
    out.push(problem("field_not_allowed", "acclimation", "acclimation is only for level schedules (a reef day, moonlight, a profile, a ramp or a set level)"));
    return;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    out.push(problem("invalid_type", "acclimation", "acclimation must be a mapping of start_percent, days and start_date"));
    return;
  }
  checkNumber(out, "acclimation.start_percent", value.start_percent, 0, 100, { required: true });
  checkNumber(out, "acclimation.days", value.days, 1, 365, { required: true, whole: true });
  const date = value.start_date;
  if (date !== undefined && !(typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date))))
    out.push(problem("invalid_date", "acclimation.start_date", `acclimation.start_date: '${String(date)}' is not a date (YYYY-MM-DD)`));
}

/** A few of the server's checks, enough to show problems next to their fields. */
export function fakeValidate(payload: SchedulePayload, known: Set<string>, now: number): Problem[] {
  const out: Problem[] = [];
  if (!payload.name || !payload.name.trim()) out.push(problem("name_empty", "name", "name must not be empty"));
  if (!payload.targets?.length) out.push(problem("empty_targets", "targets", "targets must name at least one channel"));
  payload.targets?.forEach((target, index) => {
    if (!known.has(target)) out.push(problem("unknown_target", `targets[${index}]`, `${target} is not a light or switch of Bella's Reef`));
  });
  switch (payload.schedule_type) {
    case "one_off":
      if (!payload.run_at) out.push(problem("missing_field", "run_at", "run_at is required"));
      else if (instantIn(payload.run_at, payload.timezone || ZONE).getTime() <= now)
        out.push(problem("run_at_in_past", "run_at", `run_at (${payload.run_at}) is in the past`));
      break;
    case "interval":
      if (!payload.interval_seconds || payload.interval_seconds < 1)
        out.push(problem("interval_too_small", "interval_seconds", "interval_seconds must be at least 1 second"));
      break;
    case "cron": {
      const expression = (payload.cron_expression ?? "").trim();
      const minute = expression.split(/\s+/)[0] ?? "";
      const shaped = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(expression) || /^(\S+\s+){4}\S+(\s+\S+)?$/.test(expression);
      if (!shaped || (/^\d+$/.test(minute) && Number(minute) > 59))
        out.push(problem("invalid_cron", "cron_expression", `cron_expression: '${expression}' is not a valid cron expression`));
      break;
    }
    case "recurring":
      if (!payload.times?.length) out.push(problem("empty_list", "times", "times must not be empty"));
      payload.times?.forEach((time, index) => {
        if (!TIME.test(time)) out.push(problem("invalid_time", `times[${index}]`, `times[${index}]: '${time}' is not a time of day (HH:MM or HH:MM:SS)`));
      });
      if (payload.frequency === "weekly" && !payload.weekdays?.length) out.push(problem("empty_list", "weekdays", "weekdays must not be empty"));
      if ((payload.every ?? 1) < 1) out.push(problem("every_too_small", "every", "every must be at least 1"));
      payload.days_of_month?.forEach((day, index) => {
        if (!day || Math.abs(day) > 31)
          out.push(problem("invalid_day_of_month", `days_of_month[${index}]`, `days_of_month[${index}]: ${day} is not a day of the month (1..31 or -31..-1)`));
      });
      break;
    case "static": {
      const p = (payload.preset_params ?? {}) as Record<string, unknown>;
      if (payload.preset === "diurnal") {
        for (const key of ["sunrise", "sunset"]) if (!TIME.test(String(p[key] ?? ""))) out.push(problem("missing_param", `preset_params.${key}`, `preset_params.${key} is required`));
        const peak = Number(p.peak_level);
        if (p.peak_level === undefined) out.push(problem("missing_param", "preset_params.peak_level", "preset_params.peak_level is required"));
        else if (peak < 0 || peak > 100) out.push(problem("param_out_of_range", "preset_params.peak_level", "preset_params.peak_level must be within 0..100"));
        const minutes = (time: unknown) => {
          const m = TIME.exec(String(time ?? ""));
          return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
        };
        if (minutes(p.sunrise) + Number(p.sunrise_minutes) > minutes(p.sunset))
          out.push(problem("invalid_preset_timing", "preset_params", "preset_params: the sunrise ramp must end by sunset"));
        checkClouds(out, p.clouds);
      }
      if (payload.preset === "profile") checkProfile(out, p, payload.targets ?? []);
      if (payload.preset === "moonlight") checkMoon(out, p);
      break;
    }
  }
  if (payload.schedule_type !== "static") {
    const a = (payload.action_params ?? {}) as Record<string, unknown>;
    const need = (key: string) => {
      if (a[key] === undefined) out.push(problem("missing_param", `action_params.${key}`, `action_params.${key} is required`));
      else if (typeof a[key] === "number" && ((a[key] as number) < 0 || (a[key] as number) > 100) && key !== "duration")
        out.push(problem("param_out_of_range", `action_params.${key}`, `action_params.${key} must be within 0..100`));
    };
    if (payload.action_type === "set_level") need("level");
    if (payload.action_type === "set_pwm") need("duty");
    if (payload.action_type === "ramp") {
      need("end_level");
      if (!a.duration) out.push(problem("missing_param", "action_params.duration", "action_params.duration is required"));
    }
    if (payload.action_type === "custom" && !/^[a-z0-9_]+\.[a-z0-9_]+$/.test(String(a.service ?? "")))
      out.push(problem("invalid_param", "action_params.service", 'action_params.service must be a service name such as "light.turn_on"'));
  }
  checkAcclimation(out, payload);
  if (payload.start_time && payload.end_time && payload.end_time <= payload.start_time)
    out.push(problem("end_before_start", "end_time", "end_time must be after start_time"));
  return out;
}

function nextRuns(payload: SchedulePayload, now: number, count: number): string[] {
  const zone = payload.timezone || ZONE;
  const out: number[] = [];
  const times =
    payload.schedule_type === "recurring"
      ? (payload.times ?? [])
      : payload.schedule_type === "static"
        ? (() => {
            const p = (payload.preset_params ?? {}) as Record<string, unknown>;
            const points = Array.isArray(p.points) ? (p.points as { time?: unknown }[]).map((point) => point?.time) : [];
            return [p.sunrise, p.sunset, p.start, p.end, p.time, ...((p.times as string[]) ?? []), ...points].filter(
              (v): v is string => typeof v === "string" && TIME.test(v),
            );
          })()
        : [];
  if (payload.schedule_type === "interval") {
    for (let i = 1; i <= count; i++) out.push(now + i * (payload.interval_seconds ?? 3600) * 1000);
  } else if (payload.schedule_type === "one_off" && payload.run_at) {
    out.push(instantIn(payload.run_at, zone).getTime());
  } else if (times.length) {
    for (let day = 0; out.length < count && day < 60; day++) {
      const date = new Date(now + day * 86400_000).toISOString().slice(0, 10);
      for (const time of [...times].sort()) {
        const t = instantIn(`${date}T${time}:00`, zone).getTime();
        if (t > now && out.length < count) out.push(t);
      }
    }
  } else if (payload.schedule_type === "cron") {
    const [m, h] = (payload.cron_expression ?? "0 6").split(" ");
    for (let day = 0; out.length < count; day++) {
      const date = new Date(now + day * 86400_000).toISOString().slice(0, 10);
      const t = instantIn(`${date}T${(h ?? "6").padStart(2, "0")}:${(m ?? "0").padStart(2, "0")}:00`, zone).getTime();
      if (Number.isFinite(t) && t > now) out.push(t);
      if (day > 10) break;
    }
  }
  return out.sort((a, b) => a - b).map((t) => new Date(t).toISOString());
}

export function createFakeReef(options: FakeOptions = {}): FakeReef {
  const now = options.now ?? Date.now();
  const channels = options.channels ?? makeChannels();
  const schedules = new Map((options.schedules ?? makeSchedules(now)).map((s) => [s.id, s]));
  const actions = makeActions(now, [...schedules.values()]);
  const listeners = new Set<(event: ScheduleEvent) => void>();
  const calls: MessageBase[] = [];
  const known = new Set(channels.map((channel) => channel.entity_id));
  let counter = 1000;
  // The day's curves are computed once per date, targets and set of schedules (like a server's answer).
  const days = new Map<string, unknown>();
  let version = 0;
  const dayOf = (date?: string, targets?: string[]) => {
    const key = `${version}|${date ?? ""}|${targets?.join(",") ?? ""}`;
    if (!days.has(key)) {
      const answer = makeDay([...schedules.values()], channels, Date.now(), date, targets);
      if (!date) for (const channel of answer.channels) channel.heading = options.headings?.[channel.entity_id] ?? null;
      days.set(key, answer);
    }
    return days.get(key);
  };

  const states: Record<string, HassEntityState> = {};
  const entities: NonNullable<Hass["entities"]> = {};
  const day = makeDay([...schedules.values()], channels, now);
  for (const channel of channels) {
    const scheduled = day.channels.find((c) => c.entity_id === channel.entity_id)?.points ?? [];
    const level = scheduled.length ? (scheduled.find((p) => Date.parse(p.time) >= now)?.level ?? 0) : 0;
    // The white light was turned down by hand: it shows as a manual change.
    const heading = options.headings?.[channel.entity_id];
    const live = heading ? heading.target : channel.entity_id === "light.white" && level > 5 ? 40 : level;
    const on = channel.kind === "switch" ? level > 0 || !scheduled.length : live > 0;
    states[channel.entity_id] = {
      entity_id: channel.entity_id,
      state: on ? "on" : "off",
      attributes: {
        friendly_name: channel.name,
        ...(channel.kind === "light" ? { brightness: on ? Math.round((live * 255) / 100) : null } : {}),
      },
    };
    entities[channel.entity_id] = { entity_id: channel.entity_id, platform: "bellas_reef" };
  }
  entities["sun.sun"] = { entity_id: "sun.sun", platform: "sun" };

  const emit = (event: ScheduleEvent) => {
    if (event.event !== "action") version++;
    for (const listener of listeners) listener(event);
  };

  const idle = (): ModeStatus => ({
    active: false,
    started: null,
    ends: null,
    held: [],
    holds_schedules: null,
    ready: true,
  });
  let keeper: KeeperStatus = options.keeper ?? { modes: { feed: idle(), maintenance: idle() }, holds: {} };
  const held: Record<ModeName, string[]> = { feed: ["switch.return_pump"], maintenance: ["switch.return_pump", "light.blue"] };
  const setKeeper = (next: KeeperStatus) => {
    keeper = next;
    setTimeout(() => emit({ event: "keeper", keeper }), 5);
    return keeper;
  };
  const unauthorized = () => {
    throw { code: "unauthorized", message: "Unauthorized" };
  };

  const refuse = (problems: Problem[]) => {
    throw { code: "invalid_schedule", message: `The schedule has ${problems.length} problem(s): ${problems.map((p) => p.message).join("; ")}` };
  };

  const stored = (payload: SchedulePayload, base?: Schedule): Schedule => {
    const id = base?.id ?? `new${counter++}`;
    const clean = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== null)) as SchedulePayload;
    const type = clean.schedule_type ?? base?.schedule_type;
    const keep = base && base.schedule_type === type ? base : undefined;
    // Acclimation comes back with its start date filled in (today, in the schedule's zone), and today's factor.
    const acclimation = payload.acclimation
      ? { ...payload.acclimation, start_date: payload.acclimation.start_date ?? localDate(new Date(), clean.timezone || ZONE) }
      : null;
    return {
      ...(keep ?? {}),
      ...clean,
      acclimation,
      acclimation_factor: acclimation ? acclimationFactor(acclimation, Date.now()) : null,
      id,
      timezone: clean.timezone || ZONE,
      target_channels: (clean.targets ?? base?.targets ?? []).map((t) => `ch_${t.split(".")[1]}`),
      missing_targets: [],
      action_type: type === "static" ? null : (clean.action_type ?? null),
      action_params: type === "static" ? {} : (clean.action_params ?? {}),
      start_time: clean.start_time ?? null,
      end_time: clean.end_time ?? null,
      enabled: clean.enabled ?? true,
      misfire_grace: clean.misfire_grace ?? 300,
      next_run: nextRuns(clean as SchedulePayload, Date.now(), 1)[0] ?? null,
      last_run: base?.last_run ?? null,
      last_run_status: base?.last_run_status ?? null,
      last_error: base?.last_error ?? null,
      created_at: base?.created_at ?? new Date().toISOString(),
      updated_at: new Date().toISOString(),
    } as Schedule;
  };

  const answer = async (message: MessageBase): Promise<unknown> => {
    const type = message.type.replace("bellas_reef/", "");
    const payload = message.schedule as SchedulePayload | undefined;
    switch (type) {
      case "channels/list":
        return channels;
      case "schedules/list":
        return [...schedules.values()];
      case "day":
        return dayOf(message.date as string | undefined, message.targets as string[] | undefined);
      case "actions/list": {
        const limit = Number(message.limit ?? 100);
        return actions
          .filter((a) => !message.status || a.status === message.status)
          .filter((a) => !message.target || a.target_entity_id === message.target)
          .filter((a) => !message.schedule_id || a.schedule_id === message.schedule_id)
          .slice(0, limit);
      }
      case "schedules/validate": {
        const problems = fakeValidate(payload!, known, Date.now());
        return { valid: problems.length === 0, problems };
      }
      case "preview": {
        const subject = payload ?? schedules.get(String(message.schedule_id));
        if (!subject) throw { code: "schedule_not_found", message: "no such schedule" };
        const problems = fakeValidate(subject, known, Date.now());
        if (problems.length) refuse(problems);
        const fake = { ...stored(subject), id: "preview", enabled: true, targets: ["light.blue"] };
        const levels =
          subject.schedule_type === "static" || subject.action_type === "ramp"
            ? (makeDay([fake], channels.slice(0, 1), Date.now()).channels[0]?.points ?? [])
            : [];
        const answer: Preview = { schedule: stored(subject), next_runs: nextRuns(subject, Date.now(), Number(message.count ?? 10)), levels };
        return answer;
      }
      case "keeper/status":
        return keeper;
      case "keeper/start": {
        const mode = message.mode as ModeName;
        if (mode !== "feed" && mode !== "maintenance") throw { code: "unknown_mode", message: `mode: '${String(mode)}' is not a mode` };
        if (mode === "maintenance" && options.admin === false) unauthorized();
        const minutes = options.modeMinutes?.[mode] ?? (mode === "feed" ? 10 : 60);
        const now = new Date();
        const ends = minutes > 0 ? new Date(now.getTime() + minutes * 60_000).toISOString() : null;
        const before = keeper.modes[mode];
        const status: ModeStatus = {
          ...before,
          active: true,
          started: before.started ?? now.toISOString(),
          ends,
          held: held[mode],
          holds_schedules: true,
        };
        const holds = { ...keeper.holds };
        for (const entity of held[mode]) holds[entity] = { by: mode, until: ends };
        return setKeeper({ modes: { ...keeper.modes, [mode]: status }, holds });
      }
      case "keeper/end": {
        if (options.admin === false) unauthorized();
        const mode = message.mode as ModeName;
        if (!keeper.modes[mode]?.active) throw { code: "mode_not_active", message: `The ${mode} mode is not under way.` };
        const holds = Object.fromEntries(Object.entries(keeper.holds).filter(([, hold]) => hold.by !== mode));
        return setKeeper({ modes: { ...keeper.modes, [mode]: idle() }, holds });
      }
      case "keeper/resume": {
        if (options.admin === false) unauthorized();
        const targets = message.targets as string[];
        const holds = Object.fromEntries(Object.entries(keeper.holds).filter(([entity, hold]) => !(hold.by === "manual" && targets.includes(entity))));
        setKeeper({ ...keeper, holds });
        return { actions: [] };
      }
      case "schedules/create": {
        if (!options.admin && options.admin !== undefined) throw { code: "unauthorized", message: "Unauthorized" };
        const problems = fakeValidate(payload!, known, Date.now());
        if (problems.length) refuse(problems);
        const schedule = stored(payload!);
        schedules.set(schedule.id, schedule);
        setTimeout(() => emit({ event: "schedule", schedule }), 5);
        return schedule;
      }
      case "schedules/update": {
        const base = schedules.get(String(message.schedule_id));
        if (!base) throw { code: "schedule_not_found", message: "no such schedule" };
        const changes = message.changes as SchedulePayload;
        const merged = { ...base, ...changes } as SchedulePayload;
        const problems = fakeValidate(merged, known, Date.now());
        if (problems.length) refuse(problems);
        const schedule = stored(merged, base);
        schedules.set(schedule.id, schedule);
        setTimeout(() => emit({ event: "schedule", schedule }), 5);
        return schedule;
      }
      case "schedules/delete": {
        const id = String(message.schedule_id);
        if (!schedules.delete(id)) throw { code: "schedule_not_found", message: "no such schedule" };
        setTimeout(() => emit({ event: "removed", schedule_id: id }), 5);
        return { schedule_id: id };
      }
      case "schedules/set_enabled": {
        const base = schedules.get(String(message.schedule_id));
        if (!base) throw { code: "schedule_not_found", message: "no such schedule" };
        const schedule = { ...base, enabled: Boolean(message.enabled), updated_at: new Date().toISOString() };
        schedules.set(schedule.id, schedule);
        setTimeout(() => emit({ event: "schedule", schedule }), 5);
        return schedule;
      }
      case "schedules/run": {
        const base = schedules.get(String(message.schedule_id));
        if (!base) throw { code: "schedule_not_found", message: "no such schedule" };
        const ran: Action[] = base.targets.map((target, index) => ({
          ...actions[0]!,
          id: `run${counter++}`,
          schedule_id: base.id,
          target_entity_id: target,
          target: `ch_${target.split(".")[1]}`,
          action_type: base.action_type ?? "set_level",
          action_params: base.action_params,
          status: index === 1 && base.missing_targets.length ? "failed" : "success",
          scheduled_time: new Date().toISOString(),
          executed_time: new Date().toISOString(),
          error_message: null,
          result: "duty 2785/4096",
        }));
        for (const action of ran) {
          actions.unshift(action);
          setTimeout(() => emit({ event: "action", action }), 5);
        }
        return { actions: ran };
      }
      default:
        throw { code: "unknown_command", message: `Unknown command ${message.type}` };
    }
  };

  const hass: Hass = {
    states,
    entities,
    user: { id: "u1", name: "Bella", is_admin: options.admin ?? true },
    language: options.language ?? "en",
    locale: { language: options.language ?? "en", time_format: options.timeFormat ?? "language", time_zone: "server", number_format: "language" },
    config: { time_zone: ZONE },
    themes: { darkMode: options.dark ?? false },
    connected: true,
    connection: {
      subscribeMessage: async <T,>(callback: (message: T) => void, message: MessageBase) => {
        calls.push(message);
        const listener = callback as unknown as (event: ScheduleEvent) => void;
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    },
    callWS: async <T,>(message: MessageBase): Promise<T> => {
      calls.push(message);
      if (options.latency) await new Promise((resolve) => setTimeout(resolve, options.latency));
      return structuredClone(await answer(message)) as T;
    },
  };

  const reef: FakeReef = {
    prime: () => void dayOf(),
    hass,
    channels,
    schedules,
    actions,
    calls,
    emit,
    subscribers: () => listeners.size,
    update(change) {
      const next = { ...reef.hass.states };
      change(next);
      reef.hass = { ...reef.hass, states: next };
      return reef.hass;
    },
  };
  return reef;
}

// Fixtures of a reef for the development harness: channels, schedules of every type, a history with
// failures, and the day's curves computed the way the server does (highest level wins), in Europe/Berlin.

import type { Acclimation, Action, Channel, Day, DayChannel, DayEvent, LevelPoint, Params, Schedule } from "../src/api";
import { localDate } from "../src/format";
import { instantIn } from "../src/when";

export const ZONE = "Europe/Berlin";

const BASE_CHANNELS: [string, string, Channel["kind"]][] = [
  ["light.blue", "Blue", "light"],
  ["light.royal_blue", "Royal blue", "light"],
  ["light.white", "White", "light"],
  ["light.uv", "UV", "light"],
  ["switch.return_pump", "Return pump", "switch"],
  ["switch.wave_pump", "Wave pump", "switch"],
  ["light.refugium", "Refugium", "light"],
  ["switch.heater", "Heater", "switch"],
];

export function makeChannels(count = 6): Channel[] {
  return BASE_CHANNELS.slice(0, count).map(([entity_id, name, kind], number) => ({
    entity_id,
    channel_id: `ch_${entity_id.split(".")[1]}`,
    name,
    kind,
    board: "PCA9685 0x40",
    number,
    available: true,
    level: 0,
  }));
}

let sequence = 0;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "+00:00");

function schedule(now: number, partial: Partial<Schedule> & Pick<Schedule, "name" | "schedule_type" | "targets">): Schedule {
  sequence += 1;
  return {
    id: `s${String(sequence).padStart(3, "0")}`,
    timezone: ZONE,
    target_channels: partial.targets.map((target) => `ch_${target.split(".")[1]}`),
    missing_targets: [],
    action_type: null,
    action_params: {},
    start_time: null,
    end_time: null,
    enabled: true,
    misfire_grace: 300,
    next_run: null,
    last_run: null,
    last_run_status: null,
    last_error: null,
    created_at: iso(now - 40 * 86400_000),
    updated_at: iso(now - 3 * 86400_000),
    ...partial,
  };
}

const H = 3600_000;
const DAY = 86400_000;

/** Today's acclimation factor: start_percent on the start date, rising by whole days to 1 after `days`. */
export function acclimationFactor(acclimation: Acclimation, now: number): number {
  const start = acclimation.start_date ? instantIn(`${acclimation.start_date}T00:00:00`, ZONE).getTime() : now;
  const elapsed = Math.max(0, Math.floor((now - start) / DAY));
  const first = Math.max(0, Math.min(100, acclimation.start_percent)) / 100;
  return Math.round((first + (1 - first) * Math.min(1, elapsed / Math.max(1, acclimation.days))) * 1e4) / 1e4;
}

/** The moon's light tonight in the fake (0 at new moon, 1 at full). */
export const MOON = 0.62;

export function makeSchedules(now: number): Schedule[] {
  sequence = 0;
  return [
    schedule(now, {
      name: "Reef day",
      schedule_type: "static",
      preset: "diurnal",
      preset_params: { sunrise: "09:00", sunrise_minutes: 120, peak_level: 85, sunset: "19:00", sunset_minutes: 120, night_level: 0 },
      targets: ["light.blue", "light.white"],
      next_run: iso(now + 2.2 * H),
      last_run: iso(now - 5 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Actinic day",
      schedule_type: "static",
      preset: "diurnal",
      preset_params: { sunrise: "08:30", sunrise_minutes: 150, peak_level: 70, sunset: "19:30", sunset_minutes: 150, night_level: 2 },
      targets: ["light.uv"],
      next_run: iso(now + 1.7 * H),
      last_run: iso(now - 6 * H),
      last_run_status: "success",
    }),
    (() => {
      const acclimation = { start_percent: 40, days: 30, start_date: localDate(new Date(now - 18 * DAY), ZONE) };
      return schedule(now, {
        name: "Coral light profile",
        schedule_type: "static",
        preset: "profile",
        preset_params: {
          points: [
            { time: "07:30", level: 0 },
            { time: "09:00", level: 30 },
            { time: "11:00", level: 90 },
            { time: "16:30", level: 90 },
            { time: "19:30", level: 25 },
            { time: "21:00", level: 4, night: true },
            { time: "23:30", level: 4, night: true },
          ],
          interpolation: "smooth",
          offsets: [{ target: "light.uv", shift_minutes: -30, scale: 60 }],
          follow_moon: true,
          min_level: 0.5,
          clouds: { start: "11:00", end: "16:00", per_hour: 2, depth: 40, min_minutes: 1, max_minutes: 5 },
        },
        acclimation,
        acclimation_factor: acclimationFactor(acclimation, now),
        targets: ["light.royal_blue", "light.uv"],
        next_run: iso(now + 1.2 * H),
        last_run: iso(now - 1.8 * H),
        last_run_status: "success",
      });
    })(),
    schedule(now, {
      name: "Moonlight",
      schedule_type: "static",
      preset: "moonlight",
      preset_params: { night_level: 3, start: "21:30", end: "06:00" },
      targets: ["light.blue"],
      next_run: iso(now + 7 * H),
      last_run: iso(now - 9 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Feeding pauses",
      schedule_type: "static",
      preset: "feed_pause",
      preset_params: { times: ["08:30", "18:30"], minutes: 10 },
      targets: ["switch.return_pump", "switch.wave_pump"],
      next_run: iso(now + 4 * H),
      last_run: iso(now - 3.5 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Sunday maintenance",
      schedule_type: "static",
      preset: "maintenance",
      preset_params: { weekday: "sun", time: "10:00", minutes: 60 },
      targets: ["switch.return_pump"],
      next_run: iso(now + 90 * H),
      last_run: iso(now - 80 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Morning light ramp",
      schedule_type: "cron",
      cron_expression: "0 6 * * *",
      timezone: "US/Pacific",
      action_type: "ramp",
      action_params: { start_level: 0, end_level: 100, duration: 1800 },
      targets: ["light.white"],
      enabled: false,
      last_run: iso(now - 30 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Lunch dim",
      schedule_type: "cron",
      cron_expression: "0 13 * * 1-5",
      action_type: "ramp",
      action_params: { end_level: 40, duration: 600 },
      targets: ["light.white"],
      next_run: iso(now + 0.6 * H),
      last_run: iso(now - 23.4 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Wave pump boost",
      schedule_type: "interval",
      interval_seconds: 14400,
      action_type: "set_pwm",
      action_params: { duty: 75, duration: 300 },
      targets: ["switch.wave_pump"],
      next_run: iso(now + 0.25 * H),
      last_run: iso(now - 3.75 * H),
      last_run_status: "failed",
      last_error: "Board PCA9685 0x40 did not answer: [Errno 121] Remote I/O error",
    }),
    schedule(now, {
      name: "Dosing pump, every other Mon & Thu",
      schedule_type: "recurring",
      frequency: "weekly",
      every: 2,
      weekdays: ["mon", "thu"],
      times: ["08:00", "20:00"],
      action_type: "on",
      action_params: { duration: 45 },
      targets: ["switch.return_pump", "ch_doser"],
      target_channels: ["ch_return_pump", "ch_doser"],
      missing_targets: ["ch_doser"],
      next_run: iso(now + 30 * H),
      last_run: iso(now - 70 * H),
      last_run_status: "skipped",
    }),
    schedule(now, {
      name: "Water change lights",
      schedule_type: "one_off",
      run_at: "2027-05-01T08:00:00+00:00",
      action_type: "set_level",
      action_params: { level: 60, duration: 3600 },
      targets: ["light.blue", "light.white"],
      next_run: "2027-05-01T08:00:00+00:00",
    }),
    schedule(now, {
      name: "Reservoir reminder",
      schedule_type: "recurring",
      frequency: "monthly",
      every: 1,
      days_of_month: [1, 15, -1],
      times: ["09:00"],
      action_type: "custom",
      action_params: { service: "notify.notify", data: { message: "Check the top-off reservoir" } },
      targets: ["switch.return_pump"],
      next_run: iso(now + 100 * H),
      last_run: iso(now - 250 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Photo mode",
      schedule_type: "recurring",
      frequency: "daily",
      every: 1,
      times: ["12:00"],
      action_type: "set_level",
      action_params: { level: 100, duration: 600 },
      targets: ["light.white", "light.blue"],
      enabled: false,
    }),
    schedule(now, {
      name: "Evening fade",
      schedule_type: "recurring",
      frequency: "daily",
      every: 1,
      times: ["22:00"],
      action_type: "ramp",
      action_params: { end_level: 0, duration: 900, curve: "linear" },
      targets: ["light.royal_blue"],
      next_run: iso(now + 9.5 * H),
      last_run: iso(now - 14.5 * H),
      last_run_status: "success",
    }),
    schedule(now, {
      name: "Spring UV cycle",
      schedule_type: "cron",
      cron_expression: "30 5 1-15 */2 *",
      action_type: "toggle",
      action_params: {},
      targets: ["light.uv"],
      next_run: iso(now + 200 * H),
      last_run: iso(now - 400 * H),
      last_run_status: "failed",
      last_error: "Channel UV is unavailable",
    }),
  ];
}

/** Many schedules on 8 channels, for the benchmark. */
export function makeManySchedules(now: number, count: number, channels: Channel[]): Schedule[] {
  const base = makeSchedules(now);
  const out: Schedule[] = [];
  for (let index = 0; index < count; index++) {
    const template = base[index % base.length]!;
    const targets = [channels[index % channels.length]!.entity_id, channels[(index + 3) % channels.length]!.entity_id];
    out.push({ ...template, id: `b${index}`, name: `${template.name} ${index + 1}`, targets, target_channels: targets, missing_targets: [] });
  }
  return out;
}

// ---- the day's curves ------------------------------------------------------------------------------------------

function wall(date: string, time: string): number {
  return instantIn(`${date}T${time.length === 5 ? `${time}:00` : time}`, ZONE).getTime();
}

type Curve = (t: number) => number | null;

/** Passing clouds as the fake draws them: one dip in each slot of 60/per_hour minutes, at a fixed place. */
function cloudy(curve: Curve, clouds: unknown, at: (time: unknown) => number): Curve {
  if (!clouds || typeof clouds !== "object") return curve;
  const c = clouds as Record<string, unknown>;
  const from = at(c.start);
  const until = at(c.end);
  const slot = (60 / Number(c.per_hour || 1)) * 60_000;
  const length = ((Number(c.min_minutes ?? 1) + Number(c.max_minutes ?? 5)) / 2) * 60_000;
  const dim = 1 - Number(c.depth ?? 0) / 100;
  if (!(from < until) || !(slot > length)) return curve;
  return (t) => {
    const level = curve(t);
    if (level === null || t < from || t >= until) return level;
    const k = Math.floor((t - from) / slot);
    const place = (((k * 7919) % 13) / 13) * (slot - length);
    const into = t - from - k * slot - place;
    return into >= 0 && into < length ? level * dim : level;
  };
}

/** A profile through its points (wrapping to the next day), for one channel (its offset), the moon at MOON. */
function profileCurve(p: Record<string, unknown>, date: string, entity: string | undefined): Curve | null {
  const raw = Array.isArray(p.points) ? (p.points as Record<string, unknown>[]) : [];
  const offset = (Array.isArray(p.offsets) ? (p.offsets as Record<string, unknown>[]) : []).find((o) => o.target === entity);
  const shift = Number(offset?.shift_minutes ?? 0) * 60_000;
  const scale = Number(offset?.scale ?? 100) / 100;
  const floor = Number(p.min_level ?? 0);
  const points = raw
    .filter((point) => typeof point.time === "string" && /^\d{1,2}:\d{2}/.test(point.time) && typeof point.level === "number")
    .map((point) => {
      const level = Number(point.level);
      const moon = p.follow_moon === true && point.night === true ? floor + (Math.max(level, floor) - floor) * MOON : level;
      return { t: wall(date, String(point.time)) + shift, level: moon };
    })
    .sort((a, b) => a.t - b.t);
  if (points.length < 2) return null;
  const ring = [{ ...points[points.length - 1]!, t: points[points.length - 1]!.t - DAY }, ...points, { ...points[0]!, t: points[0]!.t + DAY }];
  const smooth = p.interpolation === "smooth";
  return (t) => {
    let i = ring.findIndex((point) => point.t > t);
    if (i <= 0) i = i === 0 ? 1 : ring.length - 1;
    const a = ring[i - 1]!;
    const b = ring[i]!;
    const x = Math.max(0, Math.min(1, (t - a.t) / (b.t - a.t)));
    const f = smooth ? x * x * (3 - 2 * x) : x;
    return (a.level + (b.level - a.level) * f) * scale;
  };
}

function presetCurve(s: Schedule, date: string, start: number, end: number, entity?: string): Curve | null {
  const curve = presetCurveOf(s, date, start, end, entity);
  const factor = s.acclimation_factor;
  return curve && typeof factor === "number" && factor < 1 ? (t) => (curve(t) ?? 0) * factor : curve;
}

function presetCurveOf(s: Schedule, date: string, start: number, end: number, entity?: string): Curve | null {
  const p = (s.preset_params ?? {}) as Record<string, unknown>;
  const at = (time: unknown) => wall(date, String(time));
  switch (s.preset) {
    case "diurnal": {
      const night = Number(p.night_level ?? 0);
      const peak = Number(p.peak_level);
      const a = at(p.sunrise);
      const b = a + Number(p.sunrise_minutes) * 60_000;
      const c = at(p.sunset);
      const d = c + Number(p.sunset_minutes) * 60_000;
      const day: Curve = (t) =>
        t < a ? night : t < b ? night + ((peak - night) * (t - a)) / (b - a) : t < c ? peak : t < d ? peak - ((peak - night) * (t - c)) / (d - c) : night;
      return cloudy(day, p.clouds, at);
    }
    case "profile": {
      const curve = profileCurve(p, date, entity);
      return curve ? cloudy(curve, p.clouds, at) : null;
    }
    case "moonlight": {
      const floor = Number(p.min_level ?? 0);
      const level = p.follow_moon === true ? floor + (Math.max(Number(p.night_level), floor) - floor) * MOON : Number(p.night_level);
      const from = at(p.start);
      const until = at(p.end);
      return (t) => (from > until ? (t >= from || t < until ? level : 0) : t >= from && t < until ? level : 0);
    }
    case "feed_pause": {
      const pauses = ((p.times as string[]) ?? []).map((time) => [at(time), at(time) + Number(p.minutes) * 60_000] as const);
      return (t) => (pauses.some(([a, b]) => t >= a && t < b) ? 0 : 100);
    }
    case "maintenance": {
      const weekday = new Intl.DateTimeFormat("en-US", { weekday: "short", timeZone: ZONE }).format(new Date((start + end) / 2)).toLowerCase();
      if (weekday !== p.weekday) return null;
      const a = at(p.time);
      const b = a + Number(p.minutes) * 60_000;
      return (t) => (t >= a && t < b ? 0 : 100);
    }
    default:
      return null;
  }
}

function simplify(points: LevelPoint[]): LevelPoint[] {
  const out: LevelPoint[] = [];
  for (const point of points) {
    const n = out.length;
    if (n >= 2) {
      const a = out[n - 2]!;
      const b = out[n - 1]!;
      const ta = Date.parse(a.time);
      const tb = Date.parse(b.time);
      const tc = Date.parse(point.time);
      if (ta < tb && tb < tc) {
        const expected = a.level + ((point.level - a.level) * (tb - ta)) / (tc - ta);
        if (Math.abs(expected - b.level) < 0.01) {
          out[n - 1] = point;
          continue;
        }
      }
    }
    out.push(point);
  }
  return out;
}

function sampled(curves: Curve[], start: number, end: number, breaks: number[], step = 60_000): LevelPoint[] {
  const times = new Set<number>();
  for (let t = start; t <= end; t += step) times.add(t);
  for (const t of breaks) if (t >= start && t <= end) times.add(t);
  times.add(end);
  const sorted = [...times].sort((a, b) => a - b);
  const points: LevelPoint[] = sorted.map((t) => ({
    time: iso(t),
    level: Math.round(Math.max(0, ...curves.map((curve) => curve(Math.min(t, end - 1)) ?? 0)) * 1000) / 1000,
  }));
  return simplify(points);
}

function eventsFor(s: Schedule, date: string, start: number, end: number): DayEvent[] {
  const make = (t: number): DayEvent => ({
    time: iso(t),
    schedule_id: s.id,
    schedule_name: s.name,
    action_type: s.action_type,
    action_params: s.action_params as Params,
  });
  if (!s.enabled) return [];
  switch (s.schedule_type) {
    case "cron": {
      const [m, h, dom, , dow] = (s.cron_expression ?? "").split(" ");
      if (dom !== "*" || !/^\d+$/.test(m ?? "") || !/^\d+$/.test(h ?? "")) return [];
      const weekday = new Date((start + end) / 2).getUTCDay();
      if (dow === "1-5" && (weekday === 0 || weekday === 6)) return [];
      return [make(wall(date, `${h!.padStart(2, "0")}:${m!.padStart(2, "0")}`))];
    }
    case "interval": {
      const every = (s.interval_seconds ?? 3600) * 1000;
      const out: DayEvent[] = [];
      for (let t = wall(date, "02:00"); t < end; t += every) out.push(make(t));
      return out;
    }
    case "recurring":
      if (s.frequency === "daily") return (s.times ?? []).map((time) => make(wall(date, time)));
      return [];
    default:
      return [];
  }
}

export function makeDay(schedules: Schedule[], channels: Channel[], now: number, date?: string, targets?: string[]): Day {
  const day = date ?? localDate(new Date(now), ZONE);
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  const start = wall(day, "00:00");
  const end = wall(next, "00:00");
  const shown = channels.filter((channel) => !targets || targets.includes(channel.entity_id));
  const dayChannels: DayChannel[] = shown.map((channel) => {
    const on = schedules.filter((s) => s.enabled && s.targets.includes(channel.entity_id));
    const curves: Curve[] = [];
    const breaks: number[] = [];
    for (const s of on.filter((item) => item.schedule_type === "static")) {
      const curve = presetCurve(s, day, start, end, channel.entity_id);
      if (curve) curves.push(curve);
      const p = (s.preset_params ?? {}) as Record<string, unknown>;
      for (const point of Array.isArray(p.points) ? (p.points as { time?: unknown }[]) : [])
        if (typeof point?.time === "string" && /^\d{1,2}:\d{2}/.test(point.time)) breaks.push(wall(day, point.time));
      for (const key of ["sunrise", "sunset", "start", "end", "time"]) if (typeof p[key] === "string") breaks.push(wall(day, p[key] as string));
      if (s.preset === "diurnal") {
        breaks.push(wall(day, String(p.sunrise)) + Number(p.sunrise_minutes) * 60_000);
        breaks.push(wall(day, String(p.sunset)) + Number(p.sunset_minutes) * 60_000);
      }
      for (const time of (p.times as string[] | undefined) ?? []) {
        breaks.push(wall(day, time), wall(day, time) + Number(p.minutes) * 60_000);
      }
    }
    const points = curves.length ? sampled(curves, start, end, breaks) : [];
    const events = on
      .filter((s) => s.schedule_type !== "static")
      .flatMap((s) => eventsFor(s, day, start, end))
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const levelNow = points.length ? (points.find((point) => Date.parse(point.time) >= now)?.level ?? 0) : 0;
    return {
      entity_id: channel.entity_id,
      channel_id: channel.channel_id,
      name: channel.name,
      kind: channel.kind,
      level: levelNow,
      points,
      sources: on.filter((s) => s.schedule_type === "static").map((s) => s.id),
      events,
    };
  });
  return { date: day, timezone: ZONE, start: iso(start), end: iso(end), now: iso(now), channels: dayChannels };
}

// ---- history -----------------------------------------------------------------------------------------------------

export function makeActions(now: number, schedules: Schedule[], count = 160): Action[] {
  const out: Action[] = [];
  const pick = [0, 1, 3, 7, 6, 12, 8, 2];
  for (let index = 0; index < count; index++) {
    const s = schedules[pick[index % pick.length]! % schedules.length]!;
    const target = s.targets[index % s.targets.length]!;
    const due = now - (index * 47 + 11) * 60_000;
    const failed = index % 9 === 4;
    const skipped = index % 17 === 9;
    const late = index % 11 === 3 ? 124.6 : index % 5 === 2 ? 3.4 : (index % 7) * 0.11;
    const status: Action["status"] = index === 0 ? "pending" : failed ? "failed" : skipped ? "skipped" : "success";
    out.push({
      id: `a${index}`,
      schedule_id: index % 13 === 12 ? null : s.id,
      target: `ch_${target.split(".")[1]}`,
      target_entity_id: target.includes(".") ? target : null,
      action_type: s.action_type ?? (s.preset === "diurnal" ? "ramp" : s.preset === "moonlight" ? "set_level" : "off"),
      action_params: s.action_type ? s.action_params : s.preset === "diurnal" ? { end_level: 85, duration: 7200 } : s.preset === "moonlight" ? { level: 3 } : { duration: 600 },
      status,
      scheduled_time: iso(due),
      executed_time: status === "pending" || skipped ? null : iso(due + late * 1000),
      result: failed || skipped ? null : late > 100 ? `ran ${Math.round(late)} s late, after a restart` : "duty 2785/4096",
      error_message: failed
        ? "Board PCA9685 0x40 did not answer: [Errno 121] Remote I/O error"
        : skipped
          ? "missed by 2 h 10 min during a restart (grace 5 min)"
          : null,
      caused_by: index % 13 === 12 ? "user:8f2c" : `schedule:${s.id}`,
      created_at: iso(due),
      updated_at: iso(due + late * 1000),
    });
  }
  return out;
}

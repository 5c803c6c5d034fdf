// A typed client of Bella's Reef's websocket API (see the integration's websocket.py).

import type { Hass, Unsubscribe } from "./hass";

export type ChannelKind = "light" | "switch";
export type ScheduleType = "one_off" | "interval" | "cron" | "recurring" | "static";
export type ActionType = "on" | "off" | "toggle" | "set_pwm" | "set_level" | "ramp" | "custom";
export type Preset = "diurnal" | "profile" | "moonlight" | "feed_pause" | "maintenance";
export type Frequency = "daily" | "weekly" | "monthly";
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export type RunStatus = "success" | "failed" | "skipped";
export type ActionStatus = "pending" | "in_progress" | "success" | "failed" | "cancelled" | "skipped";

export const SCHEDULE_TYPES: readonly ScheduleType[] = ["recurring", "cron", "interval", "one_off", "static"];
export const ACTION_TYPES: readonly ActionType[] = ["on", "off", "toggle", "set_level", "set_pwm", "ramp", "custom"];
export const PRESETS: readonly Preset[] = ["diurnal", "profile", "moonlight", "feed_pause", "maintenance"];
/** How a profile runs between its points. */
export const INTERPOLATIONS = ["linear", "smooth"] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];
export const FREQUENCIES: readonly Frequency[] = ["daily", "weekly", "monthly"];
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const ACTION_STATUSES: readonly ActionStatus[] = [
  "pending",
  "in_progress",
  "success",
  "failed",
  "cancelled",
  "skipped",
];

export interface Channel {
  entity_id: string;
  channel_id: string;
  name: string;
  kind: ChannelKind;
  board: string;
  number: number;
  available: boolean;
  /** The exact level now (a ramp's current step), or null when the board is not set up. */
  level: number | null;
  /** Where the channel is heading (what Home Assistant shows as its state). */
  target_level?: number | null;
}

export type Params = Record<string, unknown>;

/** A slow start of a level schedule: from start_percent of its levels to all of them over some days. */
export interface Acclimation {
  start_percent: number;
  days: number;
  /** "YYYY-MM-DD"; the server fills in today (in the schedule's zone) when it is left out. */
  start_date?: string;
}

/** What a schedule says, as the card sends it (no id, no timestamps, no run record; targets as entity ids). */
export interface SchedulePayload {
  name: string;
  schedule_type: ScheduleType;
  targets: string[];
  timezone?: string | null;
  start_time?: string | null;
  end_time?: string | null;
  enabled?: boolean;
  misfire_grace?: number;
  action_type?: ActionType | null;
  action_params?: Params;
  run_at?: string | null;
  interval_seconds?: number | null;
  cron_expression?: string | null;
  frequency?: Frequency | null;
  times?: string[] | null;
  every?: number | null;
  weekdays?: Weekday[] | null;
  days_of_month?: number[] | null;
  preset?: Preset | null;
  preset_params?: Params;
  /** Level schedules only (static diurnal, moonlight, profile; ramp and set_level actions); null removes it. */
  acclimation?: Acclimation | null;
}

export interface Schedule extends SchedulePayload {
  id: string;
  timezone: string;
  target_channels: string[];
  missing_targets: string[];
  action_type: ActionType | null;
  action_params: Params;
  start_time: string | null;
  end_time: string | null;
  enabled: boolean;
  misfire_grace: number;
  next_run: string | null;
  last_run: string | null;
  last_run_status: RunStatus | null;
  last_error?: string | null;
  /** Today's acclimation factor 0..1 (1 once its days are over); null without acclimation. */
  acclimation_factor?: number | null;
  created_at: string;
  updated_at: string;
}

export interface Problem {
  code: string;
  field: string;
  message: string;
}

export interface Validation {
  valid: boolean;
  problems: Problem[];
}

export interface Action {
  id: string;
  schedule_id: string | null;
  target: string | null;
  target_entity_id: string | null;
  action_type: string;
  action_params: Params;
  status: ActionStatus;
  scheduled_time: string;
  executed_time: string | null;
  result: string | null;
  error_message: string | null;
  caused_by: string;
  created_at: string;
  updated_at: string;
}

export interface LevelPoint {
  time: string;
  level: number;
}

export interface DayEvent {
  time: string;
  schedule_id: string;
  schedule_name: string;
  action_type: string | null;
  action_params: Params;
}

export interface DayChannel {
  entity_id: string;
  channel_id: string;
  name: string;
  kind: ChannelKind;
  level: number | null;
  target_level?: number | null;
  points: LevelPoint[];
  sources: string[];
  events: DayEvent[];
  /** More runs in the day than the server follows (a schedule that runs every second): cut short. */
  truncated?: boolean;
  /** Today: where the schedules have the channel now, and where they are taking it (a ramp's end). */
  heading?: { level: number; target: number } | null;
}

export interface Day {
  date: string;
  timezone: string;
  start: string;
  end: string;
  now: string;
  channels: DayChannel[];
}

export interface Preview {
  schedule: Schedule;
  next_runs: string[];
  /** The schedule's own curve, sampled every 15 minutes (level-type schedules only). */
  levels: LevelPoint[];
  /** The day a channel driven by this schedule alone would have, exact at its points. */
  curve?: LevelPoint[];
}

export type ScheduleEvent =
  | { event: "schedule"; schedule: Schedule }
  | { event: "removed"; schedule_id: string }
  | { event: "action"; action: Action }
  | { event: "keeper"; keeper: KeeperStatus };

/** The keeper's modes (the Schedules entry's options say what each does). */
export type ModeName = "feed" | "maintenance";
export const MODES: readonly ModeName[] = ["feed", "maintenance"];

export interface ModeStatus {
  active: boolean;
  started: string | null;
  /** When it ends; null while it is not under way, or when it runs until it is ended. */
  ends: string | null;
  /** The entities it holds. */
  held: string[];
  holds_schedules: boolean | null;
  /** Whether it has channels to act on (configured in the options). */
  ready: boolean;
}

/** What holds a channel: a mode, or a change by hand ("manual"), and until when (null: until ended). */
export interface Hold {
  by: "manual" | ModeName;
  until: string | null;
}

export interface KeeperStatus {
  modes: Record<ModeName, ModeStatus>;
  /** By entity id. */
  holds: Record<string, Hold>;
}

/** An error the server answered with: `{code, message}`. */
export interface ApiError {
  code: string;
  message: string;
}

export function isApiError(value: unknown): value is ApiError {
  return typeof value === "object" && value !== null && typeof (value as ApiError).code === "string";
}

export function errorMessage(value: unknown): string {
  if (isApiError(value)) return value.message || value.code;
  if (value instanceof Error) return value.message;
  return String(value);
}

export interface ScheduleFilters {
  schedule_type?: ScheduleType;
  enabled?: boolean;
  target?: string;
  status?: RunStatus;
}

export interface ActionFilters {
  schedule_id?: string;
  target?: string;
  status?: ActionStatus;
  limit?: number;
}

export interface DayRequest {
  date?: string;
  targets?: string[];
  resolution?: number;
}

export interface PreviewRequest {
  schedule?: SchedulePayload;
  schedule_id?: string;
  count?: number;
  date?: string;
  resolution?: number;
}

const P = "bellas_reef/";

/** Drops the keys whose value is undefined: the server refuses nothing it is not sent. */
function defined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, item] of Object.entries(value) as [keyof T, T[keyof T]][]) {
    if (item !== undefined) out[key] = item;
  }
  return out;
}

export const api = {
  channels: (hass: Hass) => hass.callWS<Channel[]>({ type: `${P}channels/list` }),
  schedules: (hass: Hass, filters: ScheduleFilters = {}) =>
    hass.callWS<Schedule[]>({ type: `${P}schedules/list`, ...defined(filters) }),
  create: (hass: Hass, schedule: SchedulePayload) =>
    hass.callWS<Schedule>({ type: `${P}schedules/create`, schedule }),
  update: (hass: Hass, scheduleId: string, changes: Partial<SchedulePayload>) =>
    hass.callWS<Schedule>({ type: `${P}schedules/update`, schedule_id: scheduleId, changes }),
  remove: (hass: Hass, scheduleId: string) =>
    hass.callWS<{ schedule_id: string }>({ type: `${P}schedules/delete`, schedule_id: scheduleId }),
  setEnabled: (hass: Hass, scheduleId: string, enabled: boolean) =>
    hass.callWS<Schedule>({ type: `${P}schedules/set_enabled`, schedule_id: scheduleId, enabled }),
  run: (hass: Hass, scheduleId: string) =>
    hass.callWS<{ actions: Action[] }>({ type: `${P}schedules/run`, schedule_id: scheduleId }),
  validate: (hass: Hass, schedule: SchedulePayload, scheduleId?: string) =>
    hass.callWS<Validation>({ type: `${P}schedules/validate`, schedule, ...defined({ schedule_id: scheduleId }) }),
  preview: (hass: Hass, request: PreviewRequest) => hass.callWS<Preview>({ type: `${P}preview`, ...defined(request) }),
  day: (hass: Hass, request: DayRequest = {}) => hass.callWS<Day>({ type: `${P}day`, ...defined(request) }),
  actions: (hass: Hass, filters: ActionFilters = {}) =>
    hass.callWS<Action[]>({ type: `${P}actions/list`, ...defined(filters) }),
  keeper: (hass: Hass) => hass.callWS<KeeperStatus>({ type: `${P}keeper/status` }),
  startMode: (hass: Hass, mode: ModeName) => hass.callWS<KeeperStatus>({ type: `${P}keeper/start`, mode }),
  endMode: (hass: Hass, mode: ModeName) => hass.callWS<KeeperStatus>({ type: `${P}keeper/end`, mode }),
  resume: (hass: Hass, targets: string[]) =>
    hass.callWS<{ actions: Action[] }>({ type: `${P}keeper/resume`, targets }),
  subscribe: (hass: Hass, callback: (event: ScheduleEvent) => void): Promise<Unsubscribe> =>
    hass.connection.subscribeMessage<ScheduleEvent>(callback, { type: `${P}schedules/subscribe` }),
};

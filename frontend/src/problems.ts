// Where the server's problems go in the editor: each problem's `field` to the control that shows it (pure).

import type { Problem } from "./api";

export interface Placed {
  control: string;
  /** The list item (times[1] → 1) when the problem concerns one. */
  index?: number;
  /** The item's own field (points[1].time → "time"), for a list of rows. */
  part?: string;
}

/** The controls every schedule type shows. */
export const COMMON_CONTROLS: readonly string[] = [
  "name",
  "schedule_type",
  "targets",
  "timezone",
  "start_time",
  "end_time",
  "enabled",
  "misfire_grace",
];

const DIRECT = new Set([
  ...COMMON_CONTROLS,
  "run_at",
  "cron_expression",
  "frequency",
  "times",
  "every",
  "weekdays",
  "days_of_month",
  "preset",
  "action_type",
]);

export const ACTION_CONTROLS = new Set(["duration", "duty", "level", "start_level", "end_level", "curve", "service", "data", "target"]);
export const PRESET_CONTROLS = new Set([
  "sunrise",
  "sunrise_minutes",
  "peak_level",
  "sunset",
  "sunset_minutes",
  "night_level",
  "start",
  "end",
  "times",
  "minutes",
  "weekday",
  "time",
  "points",
  "interpolation",
  "offsets",
  "follow_moon",
  "min_level",
  "clouds",
]);

/** The lists of rows in a preset, and the fields of their rows. */
export const ROW_CONTROLS: Readonly<Record<string, ReadonlySet<string>>> = {
  points: new Set(["time", "level", "night"]),
  offsets: new Set(["target", "shift_minutes", "scale"]),
};
export const CLOUD_CONTROLS = new Set(["start", "end", "per_hour", "depth", "min_minutes", "max_minutes"]);
export const ACCLIMATION_CONTROLS = new Set(["start_percent", "days", "start_date"]);

/** The control a problem's field belongs to; null for a field the form has no control for (→ banner). */
export function placeField(field: string): Placed | null {
  // "preset_params.points[2].time" → [["preset_params"], ["points", 2], ["time"]]
  const segments: [string, number | undefined][] = [];
  for (const part of field.trim().split(".")) {
    const match = /^(\w+)(?:\[(\d+)\])?$/.exec(part);
    if (!match) return null;
    segments.push([match[1]!, match[2] === undefined ? undefined : Number(match[2])]);
  }
  const [first, second, third] = segments;
  if (!first) return null;
  const [name, index] = first;
  const at = (control: string, item = index, part?: string): Placed => ({
    control,
    ...(item === undefined ? {} : { index: item }),
    ...(part === undefined ? {} : { part }),
  });
  if (segments.length === 1) {
    if (name === "interval_seconds") return at("interval");
    if (DIRECT.has(name)) return at(name);
    if (name === "action_params") return at("action");
    if (name === "preset_params") return at("preset_params");
    if (name === "acclimation") return at("acclimation");
    return null;
  }
  if (!second || index !== undefined) return null;
  const [param, item] = second;
  switch (name) {
    case "action_params":
      return segments.length === 2 && ACTION_CONTROLS.has(param) ? at(`action.${param}`, item) : { control: "action" };
    case "acclimation":
      return segments.length === 2 && item === undefined && ACCLIMATION_CONTROLS.has(param)
        ? { control: `acclimation.${param}` }
        : { control: "acclimation" };
    case "preset_params": {
      if (!PRESET_CONTROLS.has(param)) return { control: "preset_params" };
      if (segments.length === 2) return at(`preset.${param}`, item);
      if (segments.length > 3 || !third || third[1] !== undefined) return { control: "preset_params" };
      const [sub] = third;
      const columns = ROW_CONTROLS[param];
      // A row's field; a field rows do not have (unknown_param) → the row.
      if (columns && item !== undefined) return at(`preset.${param}`, item, columns.has(sub) ? sub : undefined);
      if (param === "clouds" && item === undefined) return { control: CLOUD_CONTROLS.has(sub) ? `preset.clouds.${sub}` : "preset.clouds" };
      return { control: "preset_params" };
    }
    default:
      return null;
  }
}

export interface PlacedProblem extends Problem {
  index?: number;
  part?: string;
}

export interface ProblemMap {
  /** Problems by control key, in the server's order. */
  byControl: Map<string, PlacedProblem[]>;
  /** Problems with no control: shown in a banner at the top. */
  banner: Problem[];
}

/**
 * A problem's message as it reads beside its own field: without the field's name in front ("cron_expression:
 * '61 * * * *' is not …" → "'61 * * * *' is not …"), a first word up. The banner keeps the whole message.
 */
export function besideField(message: string, field: string): string {
  const name = field.trim();
  if (!name || !message.startsWith(name)) return message;
  const rest = message.slice(name.length).replace(/^:?\s+/, "");
  if (!rest) return message;
  return /^[a-z]+ /.test(rest) ? rest.charAt(0).toUpperCase() + rest.slice(1) : rest; // a word, not an id
}

export function placeProblems(problems: readonly Problem[], shown?: ReadonlySet<string>): ProblemMap {
  const byControl = new Map<string, PlacedProblem[]>();
  const banner: Problem[] = [];
  for (const problem of problems) {
    const placed = placeField(problem.field ?? "");
    // A control the form does not show right now (another action's parameter…) → the banner.
    if (!placed || (shown && !shown.has(placed.control))) {
      banner.push(problem);
      continue;
    }
    const list = byControl.get(placed.control) ?? [];
    const beside: PlacedProblem = { ...problem, message: besideField(problem.message, problem.field ?? "") };
    if (placed.index !== undefined) beside.index = placed.index;
    if (placed.part !== undefined) beside.part = placed.part;
    list.push(beside);
    byControl.set(placed.control, list);
  }
  return { byControl, banner };
}

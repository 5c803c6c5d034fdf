// Where the server's problems go in the editor: each problem's `field` to the control that shows it (pure).

import type { Problem } from "./api";

export interface Placed {
  control: string;
  /** The list item (times[1] → 1) when the problem concerns one. */
  index?: number;
}

const DIRECT = new Set([
  "name",
  "schedule_type",
  "targets",
  "timezone",
  "start_time",
  "end_time",
  "enabled",
  "misfire_grace",
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
]);

/** The control a problem's field belongs to; null for a field the form has no control for (→ banner). */
export function placeField(field: string): Placed | null {
  let name = field.trim();
  let index: number | undefined;
  const item = /^(.*)\[(\d+)\]$/.exec(name);
  if (item) {
    name = item[1]!;
    index = Number(item[2]);
  }
  const at = (control: string): Placed => (index === undefined ? { control } : { control, index });
  if (name === "interval_seconds") return at("interval");
  if (DIRECT.has(name)) return at(name);
  if (name === "action_params") return at("action");
  if (name === "preset_params") return at("preset_params");
  const dotted = /^(action_params|preset_params)\.(\w+)$/.exec(name);
  if (dotted) {
    const [, group, param] = dotted as unknown as [string, string, string];
    if (group === "action_params") return ACTION_CONTROLS.has(param) ? at(`action.${param}`) : { control: "action" };
    return PRESET_CONTROLS.has(param) ? at(`preset.${param}`) : { control: "preset_params" };
  }
  return null;
}

export interface PlacedProblem extends Problem {
  index?: number;
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
    const beside = { ...problem, message: besideField(problem.message, problem.field ?? "") };
    list.push(placed.index === undefined ? beside : { ...beside, index: placed.index });
    byControl.set(placed.control, list);
  }
  return { byControl, banner };
}

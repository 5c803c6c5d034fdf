// Curve geometry of the day view (pure): time ⇄ x, level ⇄ y, SVG paths, interpolation, on/off bands, ticks.
// The axis spans the reef's real day, from the server's `start` to its `end`: 23 or 25 hours on a DST day.

import type { LevelPoint } from "./api";
import { zoneParts } from "./format";

export interface Axis {
  /** Epoch milliseconds of the first instant of the day. */
  start: number;
  /** Epoch milliseconds of the first instant of the next day. */
  end: number;
}

export interface Point {
  t: number;
  level: number;
}

export interface Band {
  from: number;
  to: number;
}

export interface Tick {
  t: number;
  hour: number;
  /** 6 for 00/06/12/18, 3 for 03/09/15/21, 2 for the other even hours, 1 for odd hours. */
  rank: 1 | 2 | 3 | 6;
}

/** The width and height of the chart's SVG viewBox; the SVG stretches it over the element. */
export const VIEW_WIDTH = 1000;
export const VIEW_HEIGHT = 100;

export function axisOf(start: string, end: string): Axis {
  return { start: Date.parse(start), end: Date.parse(end) };
}

export function hoursIn(axis: Axis): number {
  return Math.round((axis.end - axis.start) / 3_600_000);
}

export function parsePoints(points: readonly LevelPoint[]): Point[] {
  return points
    .map((point) => ({ t: Date.parse(point.time), level: clampLevel(point.level) }))
    .filter((point) => Number.isFinite(point.t))
    .sort((a, b) => a.t - b.t);
}

export function clampLevel(level: number): number {
  return Number.isFinite(level) ? Math.min(100, Math.max(0, level)) : 0;
}

/** The fraction (0..1) of the day an instant lies at; outside the day it lies outside 0..1. */
export function fractionOf(t: number, axis: Axis): number {
  const span = axis.end - axis.start;
  return span > 0 ? (t - axis.start) / span : 0;
}

export function xOf(t: number, axis: Axis, width = VIEW_WIDTH): number {
  return fractionOf(t, axis) * width;
}

export function yOf(level: number, height = VIEW_HEIGHT): number {
  return height - (clampLevel(level) / 100) * height;
}

export function timeAt(fraction: number, axis: Axis): number {
  const clamped = Math.min(1, Math.max(0, fraction));
  return axis.start + clamped * (axis.end - axis.start);
}

function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** The points clipped to the axis (interpolated at its edges), for drawing. */
export function clipped(points: readonly Point[], axis: Axis): Point[] {
  if (points.length === 0) return [];
  const out: Point[] = [];
  for (let index = 0; index < points.length; index++) {
    const point = points[index]!;
    const previous = points[index - 1];
    if (point.t < axis.start) continue;
    if (previous && previous.t < axis.start && point.t > axis.start) {
      out.push({ t: axis.start, level: interpolate(previous, point, axis.start) });
    }
    if (point.t > axis.end) {
      if (previous && previous.t < axis.end) out.push({ t: axis.end, level: interpolate(previous, point, axis.end) });
      break;
    }
    out.push(point);
  }
  return out;
}

function interpolate(a: Point, b: Point, t: number): number {
  if (b.t === a.t) return b.level;
  return a.level + ((b.level - a.level) * (t - a.t)) / (b.t - a.t);
}

/** The curve as an SVG path: straight lines between the points (they are exact there). */
export function linePath(points: readonly Point[], axis: Axis, width = VIEW_WIDTH, height = VIEW_HEIGHT): string {
  const drawn = clipped(points, axis);
  return drawn
    .map((point, index) => `${index === 0 ? "M" : "L"}${num(xOf(point.t, axis, width))} ${num(yOf(point.level, height))}`)
    .join("");
}

/** The area under the curve, closed on the baseline. */
export function areaPath(points: readonly Point[], axis: Axis, width = VIEW_WIDTH, height = VIEW_HEIGHT): string {
  const drawn = clipped(points, axis);
  if (drawn.length === 0) return "";
  const first = drawn[0]!;
  const last = drawn[drawn.length - 1]!;
  return (
    `M${num(xOf(first.t, axis, width))} ${num(height)}` +
    drawn.map((point) => `L${num(xOf(point.t, axis, width))} ${num(yOf(point.level, height))}`).join("") +
    `L${num(xOf(last.t, axis, width))} ${num(height)}Z`
  );
}

/**
 * The level at an instant, interpolated between the points; null outside them. Where two points share an
 * instant (a step), the later one is the level from then on.
 */
export function levelAt(points: readonly Point[], t: number): number | null {
  if (points.length === 0) return null;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (t < first.t || t > last.t) return null;
  // Binary search for the last point at or before t.
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (points[middle]!.t <= t) low = middle;
    else high = middle - 1;
  }
  const a = points[low]!;
  const b = points[low + 1];
  if (!b || a.t === t) return a.level;
  return interpolate(a, b, t);
}

/**
 * Where the curve is heading at an instant: the far end of the ramp it is on, else its level there.
 * Home Assistant shows a light's target while it ramps, so this is what a light on its curve reports.
 */
export function targetAt(points: readonly Point[], t: number): number | null {
  const level = levelAt(points, t);
  if (level === null) return null;
  const next = points.find((point) => point.t > t);
  const before = [...points].reverse().find((point) => point.t <= t);
  if (!next || !before || next.level === before.level) return level;
  return next.level;
}

/**
 * Whether a light's reported level is off its curve at an instant (a manual change): away from where the
 * curve is and from where it is heading by more than ``threshold`` percentage points. ``heading`` is the
 * server's (today's day answer): where the schedules are taking the light now.
 */
export function offCurve(
  points: readonly Point[],
  t: number,
  live: number | null,
  threshold: number,
  heading?: { level: number; target: number } | null,
): boolean {
  if (live === null) return false;
  const level = levelAt(points, t);
  // the server knows where the ramp under way ends (a sampled smooth curve has no corner there)
  const target = heading ? heading.target : targetAt(points, t);
  if (level === null || target === null) return false;
  return Math.abs(live - level) > threshold && Math.abs(live - target) > threshold;
}

/** The runs of time where the curve is above 0 (an on/off output is on), merged. */
export function bandsOf(points: readonly Point[], axis?: Axis): Band[] {
  const bands: Band[] = [];
  const source = axis ? clipped(points, axis) : points;
  for (let index = 0; index + 1 < source.length; index++) {
    const a = source[index]!;
    const b = source[index + 1]!;
    if (b.t <= a.t || Math.max(a.level, b.level) <= 0) continue;
    const last = bands[bands.length - 1];
    if (last && last.to >= a.t) last.to = Math.max(last.to, b.t);
    else bands.push({ from: a.t, to: b.t });
  }
  return bands;
}

/** The point nearest an instant, if one lies within `tolerance` ms of it (tooltips snap to breakpoints). */
export function nearestPoint(points: readonly Point[], t: number, tolerance: number): Point | null {
  let best: Point | null = null;
  let distance = Infinity;
  for (const point of points) {
    const d = Math.abs(point.t - t);
    if (d < distance || (d === distance && best && point.level > best.level)) {
      best = point;
      distance = d;
    }
  }
  return best && distance <= tolerance ? best : null;
}

/** Hour ticks over the day, labelled with the local hour in `zone` (a DST day has 23 or 25). */
export function hourTicks(axis: Axis, zone: string): Tick[] {
  const ticks: Tick[] = [];
  for (let t = axis.start; t <= axis.end + 1; t += 3_600_000) {
    const hour = zoneParts(new Date(t), zone).hour;
    const rank: Tick["rank"] = hour % 6 === 0 ? 6 : hour % 3 === 0 ? 3 : hour % 2 === 0 ? 2 : 1;
    ticks.push({ t, hour, rank });
  }
  return ticks;
}

/** Where an instant lies on the chart as a CSS percentage ("37.5%"). */
export function percentX(t: number, axis: Axis): string {
  return `${num(Math.min(1, Math.max(0, fractionOf(t, axis))) * 100)}%`;
}

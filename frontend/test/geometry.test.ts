import { describe, expect, test } from "vitest";
import {
  axisOf,
  bandsOf,
  clipped,
  fractionOf,
  hourTicks,
  hoursIn,
  levelAt,
  linePath,
  areaPath,
  nearestPoint,
  offCurve,
  parsePoints,
  percentX,
  targetAt,
  timeAt,
  xOf,
  yOf,
  type Point,
} from "../src/geometry";
import { tierClass } from "../src/chart";

const day = axisOf("2027-06-21T00:00:00+02:00", "2027-06-22T00:00:00+02:00");
const at = (hhmm: string) => Date.parse(`2027-06-21T${hhmm}:00+02:00`);
const points: Point[] = parsePoints([
  { time: "2027-06-21T09:00:00+02:00", level: 0 },
  { time: "2027-06-21T00:00:00+02:00", level: 0 },
  { time: "2027-06-21T11:00:00+02:00", level: 85 },
  { time: "2027-06-21T19:00:00+02:00", level: 85 },
  { time: "2027-06-21T21:00:00+02:00", level: 0 },
  { time: "2027-06-22T00:00:00+02:00", level: 0 },
]);

describe("axis", () => {
  test("time ⇄ x over a 24 h day", () => {
    expect(hoursIn(day)).toBe(24);
    expect(xOf(at("00:00"), day)).toBe(0);
    expect(xOf(at("12:00"), day)).toBe(500);
    expect(xOf(at("06:00"), day, 400)).toBe(100);
    expect(timeAt(0.5, day)).toBe(at("12:00"));
    expect(timeAt(-1, day)).toBe(day.start);
    expect(timeAt(2, day)).toBe(day.end);
    expect(percentX(at("18:00"), day)).toBe("75%");
  });
  test("level ⇄ y, clamped", () => {
    expect(yOf(0)).toBe(100);
    expect(yOf(100)).toBe(0);
    expect(yOf(25, 40)).toBe(30);
    expect(yOf(150)).toBe(0);
    expect(yOf(-5)).toBe(100);
    expect(yOf(Number.NaN)).toBe(100);
  });
  test("a 23 h spring day: the axis spans the real day", () => {
    const spring = axisOf("2027-03-28T00:00:00+01:00", "2027-03-29T00:00:00+02:00");
    expect(hoursIn(spring)).toBe(23);
    // 12:00 local (10:00 UTC) is 11 real hours after midnight: 11/23 of the axis.
    expect(fractionOf(Date.parse("2027-03-28T12:00:00+02:00"), spring)).toBeCloseTo(11 / 23, 10);
    const ticks = hourTicks(spring, "Europe/Berlin");
    expect(ticks).toHaveLength(24);
    expect(ticks.map((tick) => tick.hour).slice(0, 5)).toEqual([0, 1, 3, 4, 5]);
  });
  test("a 25 h autumn day", () => {
    const autumn = axisOf("2027-10-31T00:00:00+02:00", "2027-11-01T00:00:00+01:00");
    expect(hoursIn(autumn)).toBe(25);
    const ticks = hourTicks(autumn, "Europe/Berlin");
    expect(ticks).toHaveLength(26);
    expect(ticks.map((tick) => tick.hour).slice(0, 5)).toEqual([0, 1, 2, 2, 3]);
    expect(ticks[ticks.length - 1]!.hour).toBe(0);
  });
  test("tick tiers", () => {
    const ticks = hourTicks(day, "Europe/Berlin");
    expect(ticks).toHaveLength(25);
    expect(ticks.filter((tick) => tick.rank === 6).map((tick) => tick.hour)).toEqual([0, 6, 12, 18, 0]);
    expect(tierClass(6)).toBe("h6 h3 h2");
    expect(tierClass(9)).toBe("h3");
    expect(tierClass(4)).toBe("h2");
    expect(tierClass(7)).toBe("");
  });
});

describe("paths", () => {
  test("straight lines between the points", () => {
    expect(linePath(points, day)).toBe("M0 100L375 100L458.33 15L791.67 15L875 100L1000 100");
  });
  test("the area closes on the baseline", () => {
    expect(areaPath(points, day)).toBe("M0 100L0 100L375 100L458.33 15L791.67 15L875 100L1000 100L1000 100Z");
    expect(areaPath([], day)).toBe("");
  });
  test("points outside the day are clipped at its edges", () => {
    const wide = parsePoints([
      { time: "2027-06-20T23:00:00+02:00", level: 0 },
      { time: "2027-06-21T01:00:00+02:00", level: 100 },
      { time: "2027-06-21T23:00:00+02:00", level: 100 },
      { time: "2027-06-22T01:00:00+02:00", level: 0 },
    ]);
    const drawn = clipped(wide, day);
    expect(drawn[0]).toEqual({ t: day.start, level: 50 });
    expect(drawn[drawn.length - 1]).toEqual({ t: day.end, level: 50 });
    expect(linePath(wide, day, 24, 100)).toBe("M0 50L1 0L23 0L24 50");
  });
});

describe("levels", () => {
  test("interpolated between points, null outside", () => {
    expect(levelAt(points, at("10:00"))).toBeCloseTo(42.5, 10);
    expect(levelAt(points, at("12:00"))).toBe(85);
    expect(levelAt(points, at("20:00"))).toBeCloseTo(42.5, 10);
    expect(levelAt(points, at("09:00"))).toBe(0);
    expect(levelAt(points, day.start - 1)).toBeNull();
    expect(levelAt([], at("10:00"))).toBeNull();
  });
  test("a step (two points at one instant) takes the later level from then on", () => {
    const step = parsePoints([
      { time: "2027-06-21T00:00:00+02:00", level: 100 },
      { time: "2027-06-21T08:30:00+02:00", level: 100 },
      { time: "2027-06-21T08:30:00+02:00", level: 0 },
      { time: "2027-06-21T08:40:00+02:00", level: 0 },
      { time: "2027-06-21T08:40:00+02:00", level: 100 },
      { time: "2027-06-22T00:00:00+02:00", level: 100 },
    ]);
    expect(levelAt(step, at("08:29"))).toBe(100);
    expect(levelAt(step, at("08:30"))).toBe(0);
    expect(levelAt(step, at("08:35"))).toBe(0);
    expect(levelAt(step, at("08:40"))).toBe(100);
    expect(bandsOf(step, day)).toEqual([
      { from: day.start, to: at("08:30") },
      { from: at("08:40"), to: day.end },
    ]);
  });
  test("bands: on where the level is above 0, merged", () => {
    expect(bandsOf(points)).toEqual([{ from: at("09:00"), to: at("21:00") }]);
    expect(bandsOf([])).toEqual([]);
    expect(bandsOf(parsePoints([{ time: "2027-06-21T00:00:00+02:00", level: 0 }, { time: "2027-06-22T00:00:00+02:00", level: 0 }]))).toEqual([]);
  });
  test("the nearest point within a tolerance (tooltips snap to breakpoints)", () => {
    expect(nearestPoint(points, at("11:05"), 10 * 60_000)).toEqual({ t: at("11:00"), level: 85 });
    expect(nearestPoint(points, at("11:30"), 10 * 60_000)).toBeNull();
    expect(nearestPoint([], at("11:30"), 1e9)).toBeNull();
  });
});

describe("a light on its curve, or off it", () => {
  const it = test;
  // 09:00 0 % -> 11:00 80 % (a sunrise), held till 19:00
  const day = parsePoints([
    { time: "2027-06-10T00:00:00Z", level: 0 },
    { time: "2027-06-10T09:00:00Z", level: 0 },
    { time: "2027-06-10T11:00:00Z", level: 80 },
    { time: "2027-06-10T19:00:00Z", level: 80 },
  ]);
  const at = (hhmm: string) => Date.parse(`2027-06-10T${hhmm}:00Z`);

  it("tells where a ramp is heading", () => {
    expect(targetAt(day, at("10:00"))).toBe(80);
    expect(levelAt(day, at("10:00"))).toBe(40);
    expect(targetAt(day, at("12:00"))).toBe(80);
    expect(targetAt(day, at("05:00"))).toBe(0);
  });

  it("does not take a sunrise for a manual change (Home Assistant shows the ramp's target)", () => {
    expect(offCurve(day, at("10:00"), 80, 2)).toBe(false); // the state shows the target
    expect(offCurve(day, at("10:00"), 40, 2)).toBe(false); // the level now
    expect(offCurve(day, at("10:00"), 20, 2)).toBe(true); // dimmed by hand
    expect(offCurve(day, at("12:00"), 30, 2)).toBe(true);
    expect(offCurve(day, at("12:00"), null, 2)).toBe(false);
    expect(offCurve([], at("12:00"), 30, 2)).toBe(false);
  });

  it("takes the server's heading where a sampled smooth curve shows no corner", () => {
    // a smooth segment 90 -> 20 drawn as samples: the next sample is not where the light is heading
    const smooth = parsePoints([
      { time: "2027-06-10T16:00:00Z", level: 90 },
      { time: "2027-06-10T16:55:00Z", level: 70 },
      { time: "2027-06-10T17:00:00Z", level: 66 },
      { time: "2027-06-10T17:05:00Z", level: 62 },
      { time: "2027-06-10T18:30:00Z", level: 20 },
    ]);
    expect(offCurve(smooth, at("17:00"), 20, 2)).toBe(true); // without the server's word: a false alarm
    expect(offCurve(smooth, at("17:00"), 20, 2, { level: 66, target: 20 })).toBe(false);
    expect(offCurve(smooth, at("17:00"), 66, 2, { level: 66, target: 20 })).toBe(false);
    expect(offCurve(smooth, at("17:00"), 40, 2, { level: 66, target: 20 })).toBe(true); // by hand
  });
});

import { describe, expect, test } from "vitest";
import { besideField, placeField, placeProblems } from "../src/problems";

describe("a problem's field → the control that shows it", () => {
  test.each([
    ["name", { control: "name" }],
    ["targets", { control: "targets" }],
    ["targets[2]", { control: "targets", index: 2 }],
    ["timezone", { control: "timezone" }],
    ["run_at", { control: "run_at" }],
    ["interval_seconds", { control: "interval" }],
    ["cron_expression", { control: "cron_expression" }],
    ["times[1]", { control: "times", index: 1 }],
    ["weekdays[0]", { control: "weekdays", index: 0 }],
    ["days_of_month", { control: "days_of_month" }],
    ["days_of_month[3]", { control: "days_of_month", index: 3 }],
    ["every", { control: "every" }],
    ["frequency", { control: "frequency" }],
    ["start_time", { control: "start_time" }],
    ["end_time", { control: "end_time" }],
    ["misfire_grace", { control: "misfire_grace" }],
    ["enabled", { control: "enabled" }],
    ["schedule_type", { control: "schedule_type" }],
    ["action_type", { control: "action_type" }],
    ["action_params", { control: "action" }],
    ["action_params.duty", { control: "action.duty" }],
    ["action_params.duration", { control: "action.duration" }],
    ["action_params.data", { control: "action.data" }],
    ["action_params.bogus", { control: "action" }],
    ["preset", { control: "preset" }],
    ["preset_params", { control: "preset_params" }],
    ["preset_params.sunrise", { control: "preset.sunrise" }],
    ["preset_params.times[1]", { control: "preset.times", index: 1 }],
    ["preset_params.bogus", { control: "preset_params" }],
    // light programmes: a profile's rows (the row and its field), its options, clouds, acclimation
    ["preset_params.points", { control: "preset.points" }],
    ["preset_params.points[3]", { control: "preset.points", index: 3 }],
    ["preset_params.points[1].time", { control: "preset.points", index: 1, part: "time" }],
    ["preset_params.points[0].level", { control: "preset.points", index: 0, part: "level" }],
    ["preset_params.points[12].night", { control: "preset.points", index: 12, part: "night" }],
    ["preset_params.points[2].colour", { control: "preset.points", index: 2 }],
    ["preset_params.points.time", { control: "preset_params" }],
    ["preset_params.points[1].time.x", { control: "preset_params" }],
    ["preset_params.interpolation", { control: "preset.interpolation" }],
    ["preset_params.offsets", { control: "preset.offsets" }],
    ["preset_params.offsets[0].target", { control: "preset.offsets", index: 0, part: "target" }],
    ["preset_params.offsets[1].shift_minutes", { control: "preset.offsets", index: 1, part: "shift_minutes" }],
    ["preset_params.offsets[1].scale", { control: "preset.offsets", index: 1, part: "scale" }],
    ["preset_params.follow_moon", { control: "preset.follow_moon" }],
    ["preset_params.min_level", { control: "preset.min_level" }],
    ["preset_params.clouds", { control: "preset.clouds" }],
    ["preset_params.clouds.start", { control: "preset.clouds.start" }],
    ["preset_params.clouds.max_minutes", { control: "preset.clouds.max_minutes" }],
    ["preset_params.clouds.per_hour", { control: "preset.clouds.per_hour" }],
    ["preset_params.clouds.bogus", { control: "preset.clouds" }],
    ["acclimation", { control: "acclimation" }],
    ["acclimation.start_percent", { control: "acclimation.start_percent" }],
    ["acclimation.days", { control: "acclimation.days" }],
    ["acclimation.start_date", { control: "acclimation.start_date" }],
    ["acclimation.bogus", { control: "acclimation" }],
  ])("%s", (field, placed) => {
    expect(placeField(field)).toEqual(placed);
  });
  test.each(["id", "created_at", "next_run", "schedule", "colour", "", "acclimation_factor", "colour.points", "times[1].x", "a b"])("%s has no control (banner)", (field) => {
    expect(placeField(field)).toBeNull();
  });
});

describe("placing a list of problems", () => {
  const problems = [
    { code: "name_empty", field: "name", message: "name must not be empty" },
    { code: "invalid_time", field: "times[1]", message: "times[1]: '25:00' is not a time of day" },
    { code: "unknown_field", field: "colour", message: "colour is not a schedule field" },
    { code: "missing_param", field: "action_params.level", message: "action_params.level is required" },
  ];
  test("by control, with the item index; the rest in the banner", () => {
    const placed = placeProblems(problems);
    // beside its field a message does not repeat the field's name
    expect(placed.byControl.get("name")).toEqual([{ ...problems[0], message: "Must not be empty" }]);
    expect(placed.byControl.get("times")).toEqual([{ ...problems[1], message: "'25:00' is not a time of day", index: 1 }]);
    expect(placed.byControl.get("action.level")).toEqual([{ ...problems[3], message: "Is required" }]);
    expect(placed.banner).toEqual([problems[2]]);
  });
  test("a problem for a control not on screen goes to the banner too", () => {
    const placed = placeProblems(problems, new Set(["name", "times"]));
    expect(placed.banner.map((problem) => problem.field)).toEqual(["colour", "action_params.level"]);
  });
});

describe("a profile's problems", () => {
  const problems = [
    { code: "points_unsorted", field: "preset_params.points[2].time", message: "preset_params.points[2].time: 08:30 comes before the point above it" },
    { code: "param_out_of_range", field: "preset_params.points[4].level", message: "preset_params.points[4].level must be within 0..100" },
    { code: "too_few", field: "preset_params.points", message: "preset_params.points needs at least 2 points" },
    { code: "offset_not_a_target", field: "preset_params.offsets[0].target", message: "preset_params.offsets[0].target: light.uv is not one of the schedule's targets" },
    { code: "invalid_preset_timing", field: "preset_params.clouds", message: "preset_params.clouds: min_minutes (9) is more than max_minutes (5)" },
    { code: "invalid_date", field: "acclimation.start_date", message: "acclimation.start_date: '2026-13-01' is not a date (YYYY-MM-DD)" },
    { code: "field_not_allowed", field: "acclimation", message: "acclimation is only for level schedules" },
  ];
  test("sit at their rows and fields, without the field's name", () => {
    const placed = placeProblems(problems);
    expect(placed.byControl.get("preset.points")).toEqual([
      { ...problems[0], message: "08:30 comes before the point above it", index: 2, part: "time" },
      { ...problems[1], message: "Must be within 0..100", index: 4, part: "level" },
      { ...problems[2], message: "Needs at least 2 points" },
    ]);
    expect(placed.byControl.get("preset.offsets")).toEqual([
      { ...problems[3], message: "light.uv is not one of the schedule's targets", index: 0, part: "target" },
    ]);
    expect(placed.byControl.get("preset.clouds")?.[0]?.message).toBe("min_minutes (9) is more than max_minutes (5)");
    expect(placed.byControl.get("acclimation.start_date")?.[0]?.message).toBe("'2026-13-01' is not a date (YYYY-MM-DD)");
    expect(placed.byControl.get("acclimation")?.[0]?.message).toBe("Is only for level schedules");
    expect(placed.banner).toEqual([]);
  });
  test("off screen (clouds turned off, no acclimation shown): the banner", () => {
    const placed = placeProblems(problems, new Set(["preset.points", "preset.offsets"]));
    expect(placed.banner.map((problem) => problem.field)).toEqual(["preset_params.clouds", "acclimation.start_date", "acclimation"]);
  });
});

describe("a problem beside its field", () => {
  test("does not repeat the field's name", () => {
    expect(besideField("cron_expression: '61 * * * *' is not a valid cron expression", "cron_expression")).toBe(
      "'61 * * * *' is not a valid cron expression",
    );
    expect(besideField("name must not be empty", "name")).toBe("Must not be empty");
    expect(besideField("targets[1]: light.kitchen is not a light", "targets[1]")).toBe("light.kitchen is not a light");
    expect(besideField("Something else", "name")).toBe("Something else");
    expect(besideField("name", "name")).toBe("name");
  });

  test("is how placeProblems gives it, the banner keeps it whole", () => {
    const placed = placeProblems([
      { code: "invalid_cron", field: "cron_expression", message: "cron_expression: 'x' is not valid" },
      { code: "unknown_field", field: "colour", message: "colour is not a schedule field" },
    ]);
    expect(placed.byControl.get("cron_expression")?.[0]?.message).toBe("'x' is not valid");
    expect(placed.banner[0]?.message).toBe("colour is not a schedule field");
  });
});

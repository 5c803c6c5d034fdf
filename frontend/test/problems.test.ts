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
  ])("%s", (field, placed) => {
    expect(placeField(field)).toEqual(placed);
  });
  test.each(["id", "created_at", "next_run", "schedule", "colour", ""])("%s has no control (banner)", (field) => {
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

import { describe, expect, test } from "vitest";
import type { Schedule } from "../src/api";
import {
  actionParams,
  defaultForm,
  duplicateForm,
  durationOf,
  formErrors,
  formFromSchedule,
  parseDays,
  payloadFromForm,
  seconds,
  type ScheduleForm,
} from "../src/form";

const HA = "Europe/Berlin";
const form = (change: (f: ScheduleForm) => void): ScheduleForm => {
  const f = defaultForm();
  f.name = "Test";
  f.targets = ["light.blue"];
  change(f);
  return f;
};
const roundTrip = (f: ScheduleForm) => formFromSchedule(payloadFromForm(f, HA), HA);

describe("durations", () => {
  test("minutes ⇄ seconds", () => {
    expect(seconds({ value: 30, unit: "min" })).toBe(1800);
    expect(seconds({ value: 1.5, unit: "h" })).toBe(5400);
    expect(seconds({ value: 2, unit: "d" })).toBe(172800);
    expect(seconds({ value: 45, unit: "s" })).toBe(45);
    expect(seconds({ value: null, unit: "min" })).toBeNull();
    expect(durationOf(1800)).toEqual({ value: 30, unit: "min" });
    expect(durationOf(5400)).toEqual({ value: 90, unit: "min" });
    expect(durationOf(7200)).toEqual({ value: 2, unit: "h" });
    expect(durationOf(86400)).toEqual({ value: 1, unit: "d" });
    expect(durationOf(90)).toEqual({ value: 90, unit: "s" });
    expect(durationOf(null)).toEqual({ value: null, unit: "min" });
    expect(durationOf(0, "min")).toEqual({ value: 0, unit: "min" });
  });
});

describe("every type, action and preset round-trips", () => {
  const cases: [string, ScheduleForm][] = [
    ["one_off set_level", form((f) => {
      f.schedule_type = "one_off";
      f.run_at = "2027-05-01T10:00";
      f.action = { ...f.action, type: "set_level", level: 60, duration: { value: 1, unit: "h" } };
    })],
    ["interval set_pwm", form((f) => {
      f.schedule_type = "interval";
      f.interval = { value: 15, unit: "min" };
      f.action = { ...f.action, type: "set_pwm", duty: 75, duration: { value: 5, unit: "min" } };
    })],
    ["interval seconds", form((f) => {
      f.schedule_type = "interval";
      f.interval = { value: 90, unit: "s" };
      f.action = { ...f.action, type: "toggle" };
    })],
    ["cron ramp", form((f) => {
      f.schedule_type = "cron";
      f.cron_expression = "0 6 * * *";
      f.timezone = "US/Pacific";
      f.action = { ...f.action, type: "ramp", start_level: 0, end_level: 100, duration: { value: 30, unit: "min" }, curve: "linear" };
    })],
    ["cron ramp from current", form((f) => {
      f.schedule_type = "cron";
      f.cron_expression = "@daily";
      f.action = { ...f.action, type: "ramp", end_level: 40, duration: { value: 2, unit: "h" } };
    })],
    ["recurring daily on", form((f) => {
      f.schedule_type = "recurring";
      f.frequency = "daily";
      f.every = 3;
      f.times = ["06:00", "18:30"];
      f.action = { ...f.action, type: "on", duration: { value: 45, unit: "s" } };
    })],
    ["recurring weekly off", form((f) => {
      f.schedule_type = "recurring";
      f.frequency = "weekly";
      f.every = 2;
      f.weekdays = ["mon", "thu"];
      f.times = ["08:00", "20:00"];
      f.action = { ...f.action, type: "off", duration: { value: 10, unit: "min" } };
    })],
    ["recurring monthly custom", form((f) => {
      f.schedule_type = "recurring";
      f.frequency = "monthly";
      f.days_of_month = "1, 15, -1";
      f.times = ["09:00"];
      f.action = {
        ...f.action,
        type: "custom",
        service: "notify.notify",
        data: JSON.stringify({ message: "Top off" }, null, 2),
        target: JSON.stringify({ entity_id: "light.sump" }, null, 2),
      };
    })],
    ["static diurnal", form((f) => {
      f.schedule_type = "static";
      f.preset = "diurnal";
      f.presets.diurnal = { sunrise: "09:00", sunrise_minutes: 120, peak_level: 85, sunset: "19:00", sunset_minutes: 120, night_level: 2 };
    })],
    ["static moonlight", form((f) => {
      f.schedule_type = "static";
      f.preset = "moonlight";
      f.presets.moonlight = { night_level: 3, start: "21:30", end: "06:00" };
    })],
    ["static feed_pause", form((f) => {
      f.schedule_type = "static";
      f.preset = "feed_pause";
      f.presets.feed_pause = { times: ["08:30", "18:30"], minutes: 10 };
    })],
    ["static maintenance", form((f) => {
      f.schedule_type = "static";
      f.preset = "maintenance";
      f.presets.maintenance = { weekday: "sun", time: "10:00", minutes: 60 };
    })],
    ["window, grace, disabled", form((f) => {
      f.start_time = "2027-01-01T00:00";
      f.end_time = "2027-12-31T23:30";
      f.misfire_grace = { value: 2, unit: "h" };
      f.enabled = false;
      f.timezone = "Asia/Tokyo";
    })],
  ];
  test.each(cases)("%s", (_name, f) => {
    expect(roundTrip(f)).toEqual(f);
  });
});

describe("payloads", () => {
  test("only the chosen type's fields, durations in seconds, the zone explicit", () => {
    const payload = payloadFromForm(
      form((f) => {
        f.schedule_type = "cron";
        f.cron_expression = " 0 6 * * * ";
        f.action = { ...f.action, type: "ramp", end_level: 100, duration: { value: 30, unit: "min" } };
      }),
      HA,
    );
    expect(payload).toEqual({
      name: "Test",
      schedule_type: "cron",
      targets: ["light.blue"],
      timezone: HA,
      start_time: null,
      end_time: null,
      enabled: true,
      misfire_grace: 300,
      cron_expression: "0 6 * * *",
      action_type: "ramp",
      action_params: { end_level: 100, duration: 1800 },
    });
    for (const key of ["id", "created_at", "updated_at", "next_run", "last_run", "last_run_status"]) expect(payload).not.toHaveProperty(key);
  });
  test("a programme carries no action", () => {
    const payload = payloadFromForm(form((f) => (f.schedule_type = "static")), HA);
    expect(payload.action_type).toBeUndefined();
    expect(payload.action_params).toBeUndefined();
    expect(payload.preset).toBe("diurnal");
    expect(payload.preset_params).toEqual({ sunrise: "09:00", sunrise_minutes: 120, peak_level: 85, sunset: "19:00", sunset_minutes: 120 });
  });
  test("weekly sends weekdays, monthly days of month, daily neither", () => {
    const weekly = payloadFromForm(form((f) => ((f.frequency = "weekly"), (f.weekdays = ["mon"]))), HA);
    expect(weekly.weekdays).toEqual(["mon"]);
    expect(weekly.days_of_month).toBeUndefined();
    const daily = payloadFromForm(form(() => undefined), HA);
    expect(daily.weekdays).toBeUndefined();
    expect(daily.days_of_month).toBeUndefined();
  });
  test("naive local date-times, read by the server in the schedule's zone", () => {
    const payload = payloadFromForm(form((f) => ((f.schedule_type = "one_off"), (f.run_at = "2027-05-01T10:00"))), HA);
    expect(payload.run_at).toBe("2027-05-01T10:00:00");
  });
  test("a stored schedule's UTC instants come back as wall times in its zone", () => {
    const stored = {
      ...payloadFromForm(form((f) => (f.schedule_type = "one_off")), HA),
      run_at: "2027-05-01T17:00:00+00:00",
      timezone: "US/Pacific",
      start_time: "2027-01-01T08:00:00+00:00",
    };
    const f = formFromSchedule(stored, HA);
    expect(f.run_at).toBe("2027-05-01T10:00");
    expect(f.start_time).toBe("2027-01-01T00:00");
    expect(f.timezone).toBe("US/Pacific");
  });
  test("empty numbers are left out; the custom action's JSON is parsed", () => {
    expect(actionParams({ ...defaultForm().action, type: "set_level", level: null })).toEqual({});
    expect(actionParams({ ...defaultForm().action, type: "custom", service: "light.turn_on", data: '{"brightness_pct": 5}' })).toEqual({
      service: "light.turn_on",
      data: { brightness_pct: 5 },
    });
  });
  test("bad JSON and bad day lists are the form's own problems", () => {
    const bad = form((f) => (f.action = { ...f.action, type: "custom", service: "a.b", data: "[1, 2]", target: "{oops" }));
    expect(formErrors(bad).map((error) => error.control)).toEqual(["action.data", "action.target"]);
    expect(() => payloadFromForm(bad, HA, true)).toThrow();
    expect(payloadFromForm(bad, HA).action_params).toEqual({ service: "a.b" });
    const days = form((f) => ((f.frequency = "monthly"), (f.days_of_month = "1, x")));
    expect(formErrors(days).map((error) => error.control)).toEqual(["days_of_month"]);
    expect(parseDays("1, 15 ;-1")).toEqual([1, 15, -1]);
    expect(parseDays("")).toEqual([]);
    expect(parseDays("1.5")).toBeNull();
  });
});

describe("duplicate", () => {
  test("a copy named … (copy), the same programme", () => {
    const stored = {
      ...payloadFromForm(form((f) => (f.schedule_type = "static")), HA),
      id: "abc",
      name: "Reef day",
    } as unknown as Schedule;
    const copy = duplicateForm(stored, HA, (name) => `${name} (copy)`);
    expect(copy.name).toBe("Reef day (copy)");
    expect(copy.presets.diurnal.peak_level).toBe(85);
    expect(JSON.stringify(copy)).not.toContain("abc");
  });
});

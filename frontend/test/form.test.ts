import { describe, expect, test } from "vitest";
import type { Schedule } from "../src/api";
import { makeSchedules } from "../dev/fixtures";
import {
  acclimationParams,
  actionParams,
  cloudsParams,
  defaultAcclimation,
  defaultClouds,
  defaultForm,
  duplicateForm,
  durationOf,
  formErrors,
  formFromSchedule,
  minutesOf,
  nextPoint,
  parseDays,
  payloadFromForm,
  pointsInOrder,
  seconds,
  sortPoints,
  takesAcclimation,
  type PointForm,
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
      f.presets.diurnal = { sunrise: "09:00", sunrise_minutes: 120, peak_level: 85, sunset: "19:00", sunset_minutes: 120, night_level: 2, clouds: null };
    })],
    ["static moonlight", form((f) => {
      f.schedule_type = "static";
      f.preset = "moonlight";
      f.presets.moonlight = { night_level: 3, start: "21:30", end: "06:00", follow_moon: null, min_level: null };
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

// ---- light programmes (issue 16) ------------------------------------------------------------------------------

const profileForm = (change: (f: ScheduleForm) => void = () => undefined) =>
  form((f) => {
    f.schedule_type = "static";
    f.preset = "profile";
    f.targets = ["light.blue", "light.uv"];
    change(f);
  });

describe("light programmes round-trip", () => {
  const cases: [string, ScheduleForm][] = [
    ["profile, everything", profileForm((f) => {
      f.presets.profile = {
        points: [
          { time: "08:00", level: 0, night: null },
          { time: "10:30", level: 80, night: false },
          { time: "21:00:30", level: 3, night: true },
        ],
        interpolation: "smooth",
        offsets: [{ target: "light.blue", shift_minutes: -30, scale: 100 }, { target: "light.uv", shift_minutes: null, scale: 60 }],
        follow_moon: true,
        min_level: 0.5,
        clouds: { start: "11:00", end: "16:00", per_hour: 2, depth: 40, min_minutes: 1, max_minutes: 5 },
      };
    })],
    ["profile, only points", profileForm((f) => {
      f.presets.profile = {
        points: [{ time: "08:00", level: 0, night: null }, { time: "20:00", level: 50, night: null }],
        interpolation: "",
        offsets: [],
        follow_moon: null,
        min_level: null,
        clouds: null,
      };
    })],
    ["profile, explicit defaults", profileForm((f) => {
      f.presets.profile.interpolation = "linear";
      f.presets.profile.follow_moon = false;
      f.presets.profile.min_level = 0;
    })],
    ["reef day with clouds", form((f) => {
      f.schedule_type = "static";
      f.presets.diurnal.clouds = { start: "11:00", end: "16:00", per_hour: 1.5, depth: 30, min_minutes: null, max_minutes: 10 };
    })],
    ["moonlight following the moon", form((f) => {
      f.schedule_type = "static";
      f.preset = "moonlight";
      f.presets.moonlight = { night_level: 3, start: "21:30", end: "06:00", follow_moon: true, min_level: 0.2 };
    })],
    ["profile with acclimation", profileForm((f) => {
      f.acclimation = { start_percent: 40, days: 30, start_date: "2026-12-01" };
      f.had_acclimation = true;
    })],
    ["ramp with acclimation, no date", form((f) => {
      f.schedule_type = "cron";
      f.action = { ...f.action, type: "ramp", end_level: 80, duration: { value: 2, unit: "h" } };
      f.acclimation = { start_percent: 0, days: 365, start_date: "" };
      f.had_acclimation = true;
    })],
  ];
  test.each(cases)("%s", (_name, f) => {
    expect(roundTrip(f)).toEqual(f);
  });

  test("every stored fixture opened and saved unchanged sends the same parameters", () => {
    for (const schedule of makeSchedules(Date.parse("2026-12-01T12:00:00Z"))) {
      const payload = payloadFromForm(formFromSchedule(schedule, HA), HA);
      expect(payload.preset_params, schedule.name).toEqual(schedule.schedule_type === "static" ? schedule.preset_params : undefined);
      if (schedule.schedule_type !== "static") expect(payload.action_params, schedule.name).toEqual(schedule.action_params);
      if (schedule.acclimation) expect(payload.acclimation, schedule.name).toEqual(schedule.acclimation);
      else expect(payload, schedule.name).not.toHaveProperty("acclimation");
    }
  });

  test("a stored profile keeps what it did not say (no defaults added)", () => {
    const stored = {
      name: "P",
      schedule_type: "static" as const,
      targets: ["light.blue"],
      timezone: HA,
      preset: "profile" as const,
      preset_params: { points: [{ time: "08:00", level: 0 }, { time: "20:00:15", level: 60, night: false }], offsets: [{ target: "light.blue" }] },
    };
    expect(payloadFromForm(formFromSchedule(stored, HA), HA).preset_params).toEqual(stored.preset_params);
  });
});

describe("light programme payloads", () => {
  test("a profile's points keep their places; empty values are left out", () => {
    const payload = payloadFromForm(
      profileForm((f) => {
        f.presets.profile.points = [
          { time: "08:00", level: 0, night: null },
          { time: "", level: null, night: true },
          { time: "20:00", level: 10, night: null },
        ];
        f.presets.profile.interpolation = "";
        f.presets.profile.offsets = [{ target: "light.uv", shift_minutes: 15, scale: null }, { target: "", shift_minutes: null, scale: 50 }];
      }),
      HA,
    );
    expect(payload.preset_params).toEqual({
      points: [{ time: "08:00", level: 0 }, { time: "", night: true }, { time: "20:00", level: 10 }],
      offsets: [{ target: "light.uv", shift_minutes: 15 }, { scale: 50 }],
    });
  });

  test("no offsets, no clouds, no moon: not sent at all", () => {
    const payload = payloadFromForm(profileForm(), HA);
    expect(Object.keys(payload.preset_params!).sort()).toEqual(["interpolation", "points"]);
  });

  test("clouds: the six fields, empty durations left to the server", () => {
    const clouds = { start: "11:00", end: "16:00", per_hour: 2, depth: 40, min_minutes: null, max_minutes: 5 };
    expect(cloudsParams(clouds)).toEqual({ start: "11:00", end: "16:00", per_hour: 2, depth: 40, max_minutes: 5 });
    const day = payloadFromForm(form((f) => ((f.schedule_type = "static"), (f.presets.diurnal.clouds = clouds))), HA);
    expect(day.preset_params!.clouds).toEqual(cloudsParams(clouds));
    expect(payloadFromForm(form((f) => (f.schedule_type = "static")), HA).preset_params).not.toHaveProperty("clouds");
  });

  test("fields of other presets are not sent", () => {
    const f = profileForm((f) => {
      f.presets.diurnal.clouds = defaultClouds();
      f.presets.moonlight.follow_moon = true;
    });
    const profile = payloadFromForm(f, HA).preset_params!;
    expect(profile).not.toHaveProperty("sunrise");
    expect(profile).not.toHaveProperty("clouds");
    expect(profile).not.toHaveProperty("follow_moon");
    f.preset = "diurnal";
    const day = payloadFromForm(f, HA).preset_params!;
    expect(day).not.toHaveProperty("points");
    expect(day).toHaveProperty("clouds");
    f.preset = "moonlight";
    expect(payloadFromForm(f, HA).preset_params).toEqual({ night_level: 3, start: "21:30", end: "06:00", follow_moon: true });
  });
});

describe("acclimation", () => {
  test("is for the level programmes and the ramp and set-level actions", () => {
    const base = defaultForm();
    const kinds: [Partial<ScheduleForm>, boolean][] = [
      [{ schedule_type: "static", preset: "diurnal" }, true],
      [{ schedule_type: "static", preset: "moonlight" }, true],
      [{ schedule_type: "static", preset: "profile" }, true],
      [{ schedule_type: "static", preset: "feed_pause" }, false],
      [{ schedule_type: "static", preset: "maintenance" }, false],
      [{ schedule_type: "cron", action: { ...base.action, type: "ramp" } }, true],
      [{ schedule_type: "recurring", action: { ...base.action, type: "set_level" } }, true],
      [{ schedule_type: "recurring", action: { ...base.action, type: "on" } }, false],
      [{ schedule_type: "interval", action: { ...base.action, type: "set_pwm" } }, false],
    ];
    for (const [change, takes] of kinds) expect(takesAcclimation({ ...base, ...change }), JSON.stringify(change)).toBe(takes);
  });

  test("never had and not given: not sent", () => {
    expect(payloadFromForm(profileForm(), HA)).not.toHaveProperty("acclimation");
  });

  test("given: sent top-level, an empty date left to the server", () => {
    const payload = payloadFromForm(profileForm((f) => (f.acclimation = defaultAcclimation())), HA);
    expect(payload.acclimation).toEqual({ start_percent: 40, days: 30 });
    expect(payload.preset_params).not.toHaveProperty("acclimation");
    expect(acclimationParams({ start_percent: null, days: 10, start_date: "2027-01-02" })).toEqual({ days: 10, start_date: "2027-01-02" });
  });

  test("taken away from a schedule that had it: null", () => {
    const stored = { ...payloadFromForm(profileForm(), HA), acclimation: { start_percent: 40, days: 30, start_date: "2026-12-01" } };
    const f = formFromSchedule(stored, HA);
    expect(f.had_acclimation).toBe(true);
    expect(payloadFromForm(f, HA).acclimation).toEqual(stored.acclimation);
    f.acclimation = null;
    expect(payloadFromForm(f, HA).acclimation).toBeNull();
  });

  test("on a schedule that cannot have it: null when it had it, else nothing (the form keeps it)", () => {
    const f = form((f) => {
      f.schedule_type = "cron";
      f.action = { ...f.action, type: "ramp", end_level: 50, duration: { value: 10, unit: "min" } };
      f.acclimation = defaultAcclimation();
    });
    f.action.type = "on";
    expect(payloadFromForm(f, HA)).not.toHaveProperty("acclimation");
    f.had_acclimation = true;
    expect(payloadFromForm(f, HA).acclimation).toBeNull();
    f.action.type = "set_level";
    expect(payloadFromForm(f, HA).acclimation).toEqual({ start_percent: 40, days: 30 });
  });

  test("a stored schedule without it (null or absent) has none; a copy never had it", () => {
    const plain = payloadFromForm(profileForm(), HA);
    expect(formFromSchedule({ ...plain, acclimation: null }, HA)).toMatchObject({ acclimation: null, had_acclimation: false });
    expect(formFromSchedule(plain, HA)).toMatchObject({ acclimation: null, had_acclimation: false });
    const stored = { ...plain, id: "x", acclimation: { start_percent: 40, days: 30, start_date: "2026-12-01" } } as unknown as Schedule;
    const copy = duplicateForm(stored, HA, (name) => `${name} (copy)`);
    expect(copy.acclimation).toEqual({ start_percent: 40, days: 30, start_date: "2026-12-01" });
    expect(copy.had_acclimation).toBe(false);
    copy.acclimation = null;
    expect(payloadFromForm(copy, HA)).not.toHaveProperty("acclimation");
  });
});

describe("profile points", () => {
  const p = (time: string, level = 0): PointForm => ({ time, level, night: null });
  test("times of day", () => {
    expect(minutesOf("08:30")).toBe(510);
    expect(minutesOf("8:30")).toBe(510);
    expect(minutesOf("23:59:30")).toBe(1439.5);
    expect(minutesOf("24:00")).toBeNaN();
    expect(minutesOf("")).toBeNaN();
  });
  test("in order: strictly ascending, all set", () => {
    expect(pointsInOrder([p("08:00"), p("10:00"), p("21:00")])).toBe(true);
    expect(pointsInOrder([p("08:00"), p("08:00")])).toBe(false);
    expect(pointsInOrder([p("10:00"), p("08:00")])).toBe(false);
    expect(pointsInOrder([p("08:00"), p("")])).toBe(false);
  });
  test("sorting puts empty times last and copies the points", () => {
    const points = [p("", 1), p("10:00", 2), p("08:00", 3), p("x", 4)];
    const sorted = sortPoints(points);
    expect(sorted.map((point) => point.level)).toEqual([3, 2, 1, 4]);
    expect(sorted[0]).not.toBe(points[2]);
  });
  test("a new point: an hour after the last, at its level; none past midnight", () => {
    expect(nextPoint([p("08:00", 0), p("20:30", 40)])).toEqual({ time: "21:30", level: 40, night: null });
    expect(nextPoint([p("08:00"), p("23:15", 5)])).toEqual({ time: "", level: 5, night: null });
    expect(nextPoint([])).toEqual({ time: "", level: 0, night: null });
  });
});

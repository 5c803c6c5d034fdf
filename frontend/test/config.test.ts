import { describe, expect, test } from "vitest";
import { configForm, normaliseConfig, reefLights, stubConfig } from "../src/config";
import type { Hass } from "../src/hass";

describe("setConfig's checks", () => {
  test("defaults: every channel, every view, day first", () => {
    expect(normaliseConfig({ type: "custom:bellas-reef-card" })).toEqual({
      title: undefined,
      entities: null,
      views: ["day", "schedules", "history"],
      defaultView: "day",
    });
  });
  test("a full configuration", () => {
    expect(
      normaliseConfig({
        type: "custom:bellas-reef-card",
        title: "Reef",
        entities: ["light.blue", { entity: "switch.return_pump" }, "light.blue"],
        views: ["history", "schedules"],
        default_view: "history",
      }),
    ).toEqual({ title: "Reef", entities: ["light.blue", "switch.return_pump"], views: ["schedules", "history"], defaultView: "history" });
  });
  test("the first view is the default", () => {
    expect(normaliseConfig({ type: "x", views: ["history"] }).defaultView).toBe("history");
  });
  test.each([
    [null, /mapping/],
    ["day", /mapping/],
    [[], /mapping/],
    [{ type: "x", entities: "light.blue" }, /entities must be a list/],
    [{ type: "x", entities: ["sensor.temperature"] }, /not a light or switch/],
    [{ type: "x", entities: [42] }, /not a light or switch/],
    [{ type: "x", views: "day" }, /views must be a list/],
    [{ type: "x", views: ["week"] }, /unknown view "week"/],
    [{ type: "x", views: [] }, /at least one view/],
    [{ type: "x", default_view: "week" }, /unknown default_view/],
    [{ type: "x", views: ["day"], default_view: "history" }, /not among the views/],
    [{ type: "x", title: 5 }, /title must be text/],
    [{ type: "x", colour: "blue" }, /unknown option "colour"/],
  ])("%j is refused", (config, message) => {
    expect(() => normaliseConfig(config)).toThrow(message);
  });
});

describe("stub config and editor form", () => {
  const hass = {
    entities: {
      "light.white": { entity_id: "light.white", platform: "bellas_reef" },
      "light.blue": { entity_id: "light.blue", platform: "bellas_reef" },
      "switch.return_pump": { entity_id: "switch.return_pump", platform: "bellas_reef" },
      "light.kitchen": { entity_id: "light.kitchen", platform: "hue" },
    },
  } as unknown as Hass;
  test("the reef's light channels", () => {
    expect(reefLights(hass)).toEqual(["light.blue", "light.white"]);
    expect(stubConfig(hass)).toEqual({ type: "custom:bellas-reef-card", entities: ["light.blue", "light.white"] });
    expect(stubConfig(undefined)).toEqual({ type: "custom:bellas-reef-card" });
  });
  test("the form: entities of the integration (lights and switches), views, title, default view", () => {
    const form = configForm("en");
    const flat = form.schema.flatMap((item) => ("schema" in item ? (item.schema as { name: string; selector: unknown }[]) : [item]));
    const byName = Object.fromEntries(flat.map((item) => [item.name, item.selector]));
    expect(byName.entities).toEqual({ entity: { multiple: true, filter: [{ integration: "bellas_reef", domain: ["light", "switch"] }] } });
    expect(byName.title).toEqual({ text: {} });
    expect(byName.views).toMatchObject({ select: { multiple: true } });
    expect((byName.default_view as { select: { options: { value: string }[] } }).select.options.map((o) => o.value)).toEqual([
      "day",
      "schedules",
      "history",
    ]);
    expect(form.computeLabel({ name: "views" })).toBe("Views");
    expect(configForm("de").computeLabel({ name: "views" })).toBe("Ansichten");
    expect(() => form.assertConfig({ type: "x", views: ["nope"] })).toThrow();
  });
});

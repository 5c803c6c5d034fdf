// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from "vitest";
import { createFakeReef, type FakeReef } from "../dev/fake-hass";
import "../src/index";
import type { ReefBase } from "../src/dashboard";
import { updateChanges, type ReefEditor } from "../src/editor";

const wait = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
type Card = ReefBase & { setConfig(config: unknown): void };

async function settle(...elements: (ReefBase | ReefEditor | null | undefined)[]): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await wait();
    for (const element of elements) await element?.updateComplete;
  }
}

async function openEditor(reef: FakeReef, how: (card: Card) => void) {
  const card = document.createElement("bellas-reef-card") as Card;
  card.setConfig({ type: "custom:bellas-reef-card", default_view: "schedules" });
  card.hass = reef.hass;
  document.body.appendChild(card);
  await settle(card);
  how(card);
  await settle(card);
  const editor = card.shadowRoot!.querySelector("bellas-reef-editor") as ReefEditor;
  await settle(card, editor);
  await wait(450);
  await settle(card, editor);
  return { card, editor, $: (selector: string) => editor.shadowRoot!.querySelector(selector) };
}

function type(input: Element | null, value: string): void {
  const element = input as HTMLInputElement;
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
}

const messages = (root: ParentNode) => [...root.querySelectorAll(".problem")].map((node) => node.textContent?.trim());

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the editor", () => {
  test("a new schedule is checked while typing and created on Save", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, (card) => (card as unknown as { newSchedule(): void }).newSchedule());
    expect($("#editor-title")!.textContent).toBe("New schedule");
    expect(reef.calls.some((call) => call.type === "bellas_reef/schedules/validate")).toBe(true);
    // Untouched fields show no problem yet.
    expect(messages(editor.shadowRoot!)).toEqual([]);
    type($("#f-name"), "Morning light");
    (editor.shadowRoot!.querySelector(".pick input") as HTMLInputElement).click();
    await wait(450);
    await settle(card, editor);
    const previews = reef.calls.filter((call) => call.type === "bellas_reef/preview");
    expect(previews.length).toBeGreaterThan(0);
    expect(previews[previews.length - 1]).toMatchObject({ schedule: { name: "Morning light", targets: ["light.blue"] }, count: 5 });
    expect($(".state.good")).not.toBeNull();
    expect(editor.shadowRoot!.querySelectorAll(".runs li").length).toBe(5);
    const before = reef.schedules.size;
    ($("footer .btn.filled") as HTMLButtonElement).click();
    await settle(card, editor);
    expect(reef.schedules.size).toBe(before + 1);
    const created = reef.calls.find((call) => call.type === "bellas_reef/schedules/create")!;
    expect(created.schedule).not.toHaveProperty("id");
    expect(card.shadowRoot!.querySelector("bellas-reef-editor")).toBeNull();
  });

  test("a refused save keeps the dialog open with the problems at their fields", async () => {
    const reef = createFakeReef();
    const schedules = [...reef.schedules.values()];
    const reefDay = schedules.find((s) => s.name === "Reef day")!;
    const { card, editor, $ } = await openEditor(reef, (card) => (card as unknown as { edit(s: unknown): void }).edit(reefDay));
    expect($("#editor-title")!.textContent).toBe("Edit schedule");
    type($("#f-name"), "");
    type($("#f-preset\\.sunrise_minutes"), "720");
    ($("footer .btn.filled") as HTMLButtonElement).click();
    await settle(card, editor);
    await wait(50);
    await settle(card, editor);
    expect(card.shadowRoot!.querySelector("bellas-reef-editor")).not.toBeNull();
    const nameField = $("#f-name")!.closest(".field")!;
    expect(nameField.classList.contains("invalid")).toBe(true);
    expect(messages(nameField)).toEqual(["Must not be empty"]);
    expect(messages(editor.shadowRoot!)).toContain("The sunrise ramp must end by sunset");
    expect(reef.schedules.get(reefDay.id)).toEqual(reefDay);
  });

  test("an edit is sent as an update, other types' fields as null", async () => {
    const reef = createFakeReef();
    const lunch = [...reef.schedules.values()].find((s) => s.name === "Lunch dim")!;
    const { card, editor, $ } = await openEditor(reef, (card) => (card as unknown as { edit(s: unknown): void }).edit(lunch));
    type($("#f-cron_expression"), "30 12 * * 1-5");
    await wait(450);
    await settle(card, editor);
    expect(editor.shadowRoot!.textContent).toContain("every Mon–Fri at 12:30 PM");
    ($("footer .btn.filled") as HTMLButtonElement).click();
    await settle(card, editor);
    const update = reef.calls.find((call) => call.type === "bellas_reef/schedules/update")!;
    expect(update).toMatchObject({ schedule_id: lunch.id, changes: { cron_expression: "30 12 * * 1-5", run_at: null, preset: null } });
    expect(reef.schedules.get(lunch.id)!.cron_expression).toBe("30 12 * * 1-5");
  });

  test("a cron expression the server refuses is not echoed in words beside its message", async () => {
    const reef = createFakeReef();
    const lunch = [...reef.schedules.values()].find((s) => s.name === "Lunch dim")!;
    const { card, editor, $ } = await openEditor(reef, (card) => (card as unknown as { edit(s: unknown): void }).edit(lunch));
    type($("#f-cron_expression"), "61 * * * *");
    await wait(450);
    await settle(card, editor);
    const field = $("#f-cron_expression")!.closest(".field")!;
    expect(messages(field)).toEqual(["'61 * * * *' is not a valid cron expression"]);
    expect(field.querySelector("strong")).toBeNull();
    type($("#f-cron_expression"), "30 12 * * 1-5");
    await wait(450);
    await settle(card, editor);
    expect(field.querySelector("strong")?.textContent).toBe("every Mon–Fri at 12:30 PM");
  });

  test("Esc with unsaved changes asks before discarding", async () => {
    const reef = createFakeReef();
    const lunch = [...reef.schedules.values()].find((s) => s.name === "Lunch dim")!;
    const { card, editor, $ } = await openEditor(reef, (card) => (card as unknown as { edit(s: unknown): void }).edit(lunch));
    type($("#f-name"), "Lunch dim later");
    await settle(card, editor);
    $("dialog")!.dispatchEvent(new Event("cancel", { cancelable: true }));
    await settle(card, editor);
    expect($(".discard")).not.toBeNull();
    ($(".discard .btn.danger") as HTMLButtonElement).click();
    await settle(card, editor);
    expect(card.shadowRoot!.querySelector("bellas-reef-editor")).toBeNull();
    expect(reef.calls.some((call) => call.type === "bellas_reef/schedules/update")).toBe(false);
  });

  test("Enter in a field does not submit", async () => {
    const reef = createFakeReef();
    const { editor, $ } = await openEditor(reef, (card) => (card as unknown as { newSchedule(): void }).newSchedule());
    const event = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, composed: true, cancelable: true });
    $("#f-name")!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(editor.isConnected).toBe(true);
  });
});

describe("update payloads", () => {
  test("fields of other types are null; a programme clears the action", () => {
    expect(updateChanges({ name: "x", schedule_type: "static", targets: [], preset: "moonlight", preset_params: {} })).toMatchObject({
      run_at: null,
      cron_expression: null,
      interval_seconds: null,
      frequency: null,
      times: null,
      action_type: null,
      action_params: null,
      preset: "moonlight",
    });
  });
});

describe("the editor: light programmes", () => {
  type Edit = (card: Card) => void;
  const editing = (reef: FakeReef, name: string): Edit => {
    const schedule = [...reef.schedules.values()].find((s) => s.name === name)!;
    return (card) => (card as unknown as { edit(s: unknown): void }).edit(schedule);
  };
  const profileOf = (reef: FakeReef) => [...reef.schedules.values()].find((s) => s.name === "Coral light profile")!;
  const rows = (editor: ReefEditor, list: "points" | "offsets") => [...editor.shadowRoot!.querySelectorAll(`.rows.${list} .row:not(.head)`)];
  const change = (element: Element | null, value: string) => {
    const input = element as HTMLInputElement | HTMLSelectElement;
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
  };
  const check = (element: Element | null, on: boolean) => {
    const input = element as HTMLInputElement;
    input.checked = on;
    input.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
  };
  const click = (element: Element | null) => (element as HTMLButtonElement).click();
  const later = async (card: Card, editor: ReefEditor) => {
    await wait(450);
    await settle(card, editor);
  };
  const save = async (card: Card, editor: ReefEditor) => {
    click(editor.shadowRoot!.querySelector("footer .btn.filled"));
    await settle(card, editor);
    await wait(20);
    await settle(card, editor);
  };
  const lastUpdate = (reef: FakeReef) => reef.calls.filter((call) => call.type === "bellas_reef/schedules/update").at(-1) as
    | { changes: Record<string, unknown> & { preset_params: Record<string, unknown> } }
    | undefined;

  test("a profile opens with its points, options, offsets, clouds and acclimation", async () => {
    const reef = createFakeReef();
    const { editor, $ } = await openEditor(reef, editing(reef, "Coral light profile"));
    const points = rows(editor, "points");
    expect(points).toHaveLength(7);
    expect((points[1]!.querySelector('input[type="time"]') as HTMLInputElement).value).toBe("09:00");
    expect((points[1]!.querySelector('input[type="number"]') as HTMLInputElement).value).toBe("30");
    expect((points[5]!.querySelector('input[type="checkbox"]') as HTMLInputElement).checked).toBe(true);
    // Every input of a row is labelled for assistive technology.
    for (const input of points[0]!.querySelectorAll("input, button")) expect(input.getAttribute("aria-label")).toMatch(/^(Point 1|Remove point 1)/);
    expect(($("#f-preset\\.interpolation") as HTMLSelectElement).value).toBe("smooth");
    expect(($("#f-preset\\.follow_moon") as HTMLInputElement).checked).toBe(true);
    expect(($("#f-preset\\.min_level") as HTMLInputElement).value).toBe("0.5");
    expect(rows(editor, "offsets")).toHaveLength(1);
    expect(($("#f-offset-0-target") as HTMLSelectElement).value).toBe("light.uv");
    expect(($("#f-preset\\.clouds") as HTMLInputElement).checked).toBe(true);
    expect(($("#f-preset\\.clouds\\.per_hour") as HTMLInputElement).value).toBe("2");
    expect(($("#f-acclimation") as HTMLInputElement).checked).toBe(true);
    expect(($("#f-acclimation\\.days") as HTMLInputElement).value).toBe("30");
    expect(editor.shadowRoot!.querySelector(".summary")!.textContent).toContain("profile of 7 points, smooth");
    expect(editor.shadowRoot!.querySelector(".summary")!.textContent).toContain("acclimation from 40% over 30 days");
    // Today's factor, from the preview.
    expect(editor.shadowRoot!.textContent).toContain("Today: 76% of the levels.");
  });

  test("saved unchanged, a profile sends the very parameters it has", async () => {
    const reef = createFakeReef();
    const stored = structuredClone(profileOf(reef));
    const { card, editor } = await openEditor(reef, editing(reef, "Coral light profile"));
    await save(card, editor);
    const update = lastUpdate(reef)!;
    expect(update.changes.preset_params).toEqual(stored.preset_params);
    expect(update.changes.acclimation).toEqual(stored.acclimation);
  });

  test("edit a point, add one, remove one, save: the points sent", async () => {
    const reef = createFakeReef();
    const stored = structuredClone(profileOf(reef));
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Coral light profile"));
    type(rows(editor, "points")[2]!.querySelector('input[type="number"]'), "95");
    await settle(card, editor);
    click($(".points + .row-actions .btn.add"));
    await settle(card, editor);
    expect(rows(editor, "points")).toHaveLength(8);
    // The new point: an hour after the last one, at its level, and it has the focus.
    const added = rows(editor, "points")[7]!;
    expect((added.querySelector('input[type="time"]') as HTMLInputElement).value).toBe("");
    expect(editor.shadowRoot!.activeElement).toBe(added.querySelector('input[type="time"]'));
    type(added.querySelector('input[type="time"]'), "23:45");
    type(added.querySelector('input[type="number"]'), "1");
    click(rows(editor, "points")[0]!.querySelector("button.remove"));
    await settle(card, editor);
    expect(rows(editor, "points")).toHaveLength(7);
    await later(card, editor);
    expect(editor.shadowRoot!.querySelector(".state.good")).not.toBeNull();
    await save(card, editor);
    const points = lastUpdate(reef)!.changes.preset_params.points as unknown[];
    const before = stored.preset_params!.points as Record<string, unknown>[];
    expect(points).toEqual([before[1], { ...before[2], level: 95 }, ...before.slice(3), { time: "23:45", level: 1 }]);
    expect(reef.schedules.get(stored.id)!.preset_params!.points).toEqual(points);
    expect(card.shadowRoot!.querySelector("bellas-reef-editor")).toBeNull();
  });

  test("a profile keeps at least 2 points and at most 48", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Coral light profile"));
    for (let i = 0; i < 5; i++) {
      click(rows(editor, "points")[0]!.querySelector("button.remove"));
      await settle(card, editor);
    }
    expect(rows(editor, "points")).toHaveLength(2);
    expect(rows(editor, "points").every((row) => (row.querySelector("button.remove") as HTMLButtonElement).disabled)).toBe(true);
    for (let i = 0; i < 46; i++) click($(".points + .row-actions .btn.add"));
    await settle(card, editor);
    expect(rows(editor, "points")).toHaveLength(48);
    expect(($(".points + .row-actions .btn.add") as HTMLButtonElement).disabled).toBe(true);
  });

  test("a point out of order: the server's problem at its time, and a button that sorts", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Coral light profile"));
    expect($(".btn.sort")).toBeNull();
    type(rows(editor, "points")[2]!.querySelector('input[type="time"]'), "08:30");
    await later(card, editor);
    const row = rows(editor, "points")[2]!;
    expect(messages(row)).toEqual(["08:30 comes before the point above it"]);
    expect(row.querySelector('input[type="time"]')!.getAttribute("aria-invalid")).toBe("true");
    expect(row.querySelector('input[type="number"]')!.getAttribute("aria-invalid")).toBe("false");
    expect(messages(rows(editor, "points")[1]!)).toEqual([]);
    click($(".btn.sort"));
    await later(card, editor);
    expect(rows(editor, "points").map((r) => (r.querySelector('input[type="time"]') as HTMLInputElement).value)).toEqual([
      "07:30", "08:30", "09:00", "16:30", "19:30", "21:00", "23:30",
    ]);
    expect(messages(editor.shadowRoot!)).toEqual([]);
    expect($(".btn.sort")).toBeNull();
  });

  test("offsets: the schedule's channels only, once each; a channel taken away shows at its row", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Coral light profile"));
    const options = [...($("#f-offset-0-target") as HTMLSelectElement).options];
    expect(options.map((option) => option.value)).toEqual(["light.royal_blue", "light.uv"]);
    expect(options.map((option) => option.textContent!.trim())).toEqual(["Royal blue", "UV"]);
    click($(".offsets + .row-actions .btn.add"));
    await settle(card, editor);
    expect(($("#f-offset-1-target") as HTMLSelectElement).value).toBe("light.royal_blue");
    expect(($(".offsets + .row-actions .btn.add") as HTMLButtonElement).disabled).toBe(true);
    type($("#f-offset-1-shift"), "15");
    // UV is no longer a channel of the schedule: its offset says so, at once.
    const uv = [...editor.shadowRoot!.querySelectorAll(".pick")].find((pick) => pick.textContent!.includes("UV"))!;
    (uv.querySelector("input") as HTMLInputElement).click();
    await later(card, editor);
    expect(messages(rows(editor, "offsets")[0]!)).toEqual(["light.uv is not one of the schedule's targets"]);
    expect($("#f-offset-0-target")!.getAttribute("aria-invalid")).toBe("true");
    click(rows(editor, "offsets")[0]!.querySelector("button.remove"));
    await later(card, editor);
    expect(messages(editor.shadowRoot!)).toEqual([]);
    await save(card, editor);
    expect(lastUpdate(reef)!.changes.preset_params.offsets).toEqual([{ target: "light.royal_blue", shift_minutes: 15 }]);
  });

  test("acclimation taken away is sent as null; the row's chip goes", async () => {
    const reef = createFakeReef();
    const profile = profileOf(reef);
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Coral light profile"));
    expect(card.shadowRoot!.querySelector(`li.sched[data-id="${profile.id}"] .chip.acclimating`)).not.toBeNull();
    check($("#f-acclimation"), false);
    await settle(card, editor);
    expect($("#f-acclimation\\.days")).toBeNull();
    await save(card, editor);
    expect(lastUpdate(reef)!.changes.acclimation).toBeNull();
    expect(reef.schedules.get(profile.id)!.acclimation).toBeNull();
    await wait(20);
    await settle(card);
    expect(card.shadowRoot!.querySelector(`li.sched[data-id="${profile.id}"] .chip.acclimating`)).toBeNull();
  });

  test("a schedule that never had acclimation sends none; given one, it does", async () => {
    const reef = createFakeReef();
    const lunch = [...reef.schedules.values()].find((s) => s.name === "Lunch dim")!;
    const first = await openEditor(reef, editing(reef, "Lunch dim"));
    await save(first.card, first.editor);
    expect(lastUpdate(reef)!.changes).not.toHaveProperty("acclimation");
    document.body.innerHTML = "";
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Lunch dim"));
    check($("#f-acclimation"), true);
    await settle(card, editor);
    type($("#f-acclimation\\.start_percent"), "20");
    type($("#f-acclimation\\.days"), "400");
    await later(card, editor);
    expect(messages($("#f-acclimation\\.days")!.closest(".field")!)).toEqual(["Must be within 1..365"]);
    expect(messages($("#f-acclimation\\.start_percent")!.closest(".field")!)).toEqual([]);
    type($("#f-acclimation\\.days"), "30");
    await later(card, editor);
    expect(editor.shadowRoot!.querySelector(".summary")!.textContent).toContain("acclimation from 20% over 30 days");
    await save(card, editor);
    expect(lastUpdate(reef)!.changes.acclimation).toEqual({ start_percent: 20, days: 30 });
    // The server fills in today's date and the factor; the row shows the chip.
    expect(reef.schedules.get(lunch.id)!.acclimation).toMatchObject({ start_percent: 20, days: 30, start_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    await wait(20);
    await settle(card);
    expect(card.shadowRoot!.querySelector(`li.sched[data-id="${lunch.id}"] .chip.acclimating`)!.textContent!.trim()).toBe("Acclimating · 20%");
  });

  test("acclimation is offered for level schedules only", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Lunch dim"));
    expect($("section.acclimation")).not.toBeNull();
    change($("#f-action_type"), "toggle");
    await settle(card, editor);
    expect($("section.acclimation")).toBeNull();
    change($("#f-schedule_type"), "static");
    await settle(card, editor);
    change($("#f-preset"), "feed_pause");
    await settle(card, editor);
    expect($("section.acclimation")).toBeNull();
    change($("#f-preset"), "profile");
    await settle(card, editor);
    expect($("section.acclimation")).not.toBeNull();
  });

  test("clouds on a reef day: turned on with defaults, checked by the server, put away and back", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Reef day"));
    expect($("#f-preset\\.clouds\\.start")).toBeNull();
    check($("#f-preset\\.clouds"), true);
    await settle(card, editor);
    expect(($("#f-preset\\.clouds\\.start") as HTMLInputElement).value).toBe("11:00");
    type($("#f-preset\\.clouds\\.max_minutes"), "45");
    await later(card, editor);
    expect(messages($("#f-preset\\.clouds")!.closest(".field")!)).toEqual(["2 clouds an hour of up to 45 min do not fit in an hour"]);
    check($("#f-preset\\.clouds"), false);
    await settle(card, editor);
    expect($("#f-preset\\.clouds\\.max_minutes")).toBeNull();
    check($("#f-preset\\.clouds"), true);
    await settle(card, editor);
    expect(($("#f-preset\\.clouds\\.max_minutes") as HTMLInputElement).value).toBe("45");
    type($("#f-preset\\.clouds\\.max_minutes"), "");
    await later(card, editor);
    expect(editor.shadowRoot!.querySelector(".summary")!.textContent).toContain(", clouds 11:00 AM–4:00 PM");
    await save(card, editor);
    expect(lastUpdate(reef)!.changes.preset_params.clouds).toEqual({ start: "11:00", end: "16:00", per_hour: 2, depth: 40 });
  });

  test("moonlight can follow the moon; its floor shows only then", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, editing(reef, "Moonlight"));
    expect($("#f-preset\\.min_level")).toBeNull();
    check($("#f-preset\\.follow_moon"), true);
    await settle(card, editor);
    type($("#f-preset\\.min_level"), "150");
    await later(card, editor);
    expect(messages($("#f-preset\\.min_level")!.closest(".field")!)).toEqual(["Must be within 0..100"]);
    type($("#f-preset\\.min_level"), "1");
    await later(card, editor);
    expect(editor.shadowRoot!.querySelector(".summary")!.textContent).toContain("following the moon");
    await save(card, editor);
    expect(lastUpdate(reef)!.changes.preset_params).toEqual({ night_level: 3, start: "21:30", end: "06:00", follow_moon: true, min_level: 1 });
  });

  test("a new profile: from the preset menu to a created schedule without acclimation", async () => {
    const reef = createFakeReef();
    const { card, editor, $ } = await openEditor(reef, (card) => (card as unknown as { newSchedule(): void }).newSchedule());
    type($("#f-name"), "My profile");
    (editor.shadowRoot!.querySelector(".pick input") as HTMLInputElement).click();
    change($("#f-schedule_type"), "static");
    await settle(card, editor);
    change($("#f-preset"), "profile");
    await settle(card, editor);
    expect(rows(editor, "points")).toHaveLength(4);
    await later(card, editor);
    expect(editor.shadowRoot!.querySelector(".state.good")).not.toBeNull();
    await save(card, editor);
    const created = reef.calls.find((call) => call.type === "bellas_reef/schedules/create")!.schedule as Record<string, unknown>;
    expect(created).toMatchObject({ schedule_type: "static", preset: "profile", preset_params: { interpolation: "smooth" } });
    expect((created.preset_params as { points: unknown[] }).points).toHaveLength(4);
    expect(created).not.toHaveProperty("acclimation");
  });
});

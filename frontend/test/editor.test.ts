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

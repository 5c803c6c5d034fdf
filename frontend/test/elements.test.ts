// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from "vitest";
import { createFakeReef, type FakeReef } from "../dev/fake-hass";
import "../src/index";
import type { ReefBase } from "../src/dashboard";
import type { Hass } from "../src/hass";

type Card = ReefBase & { setConfig(config: unknown): void; getCardSize(): number; getGridOptions(): unknown };

const wait = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function settle(element: ReefBase): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await wait();
    await element.updateComplete;
  }
}

async function mount(reef: FakeReef, config: Record<string, unknown> = {}): Promise<Card> {
  const card = document.createElement("bellas-reef-card") as Card;
  card.setConfig({ type: "custom:bellas-reef-card", ...config });
  card.hass = reef.hass;
  document.body.appendChild(card);
  await settle(card);
  return card;
}

const $ = (card: Element, selector: string) => card.shadowRoot!.querySelector(selector);
const $$ = (card: Element, selector: string) => [...card.shadowRoot!.querySelectorAll(selector)];

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("the card", () => {
  test("is registered once, in HA's card picker too", () => {
    expect(customElements.get("bellas-reef-card")).toBeDefined();
    expect(customElements.get("bellas-reef-panel")).toBeDefined();
    const cards = (window as unknown as { customCards: { type: string; preview: boolean }[] }).customCards;
    expect(cards.filter((card) => card.type === "bellas-reef-card")).toEqual([
      expect.objectContaining({ type: "bellas-reef-card", name: "Bella's Reef", preview: true }),
    ]);
  });

  test("card conventions", () => {
    const Card = customElements.get("bellas-reef-card") as unknown as {
      getStubConfig(hass: Hass): unknown;
      getConfigForm(): { schema: unknown[] };
    };
    const reef = createFakeReef();
    expect(Card.getStubConfig(reef.hass)).toEqual({
      type: "custom:bellas-reef-card",
      entities: ["light.blue", "light.royal_blue", "light.uv", "light.white"],
    });
    expect(Card.getConfigForm().schema.length).toBeGreaterThan(1);
    const card = document.createElement("bellas-reef-card") as Card;
    expect(() => card.setConfig({ type: "custom:bellas-reef-card", views: ["weekly"] })).toThrow(/unknown view/);
    expect(() => card.setConfig({ type: "custom:bellas-reef-card", entities: "light.blue" })).toThrow(/list/);
    card.setConfig({ type: "custom:bellas-reef-card" });
    expect(card.getCardSize()).toBeGreaterThan(1);
    expect(card.getGridOptions()).toMatchObject({ columns: 12 });
  });

  test("draws a curve per light and a band per output", async () => {
    // midday in the fixtures' zone: the white light (turned down by hand in the fixtures) is on its curve's
    // day part, whatever the time the tests run at
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T11:00:00Z"));
    const reef = createFakeReef();
    const card = await mount(reef);
    const charts = $$(card, "bellas-reef-chart");
    expect(charts).toHaveLength(6);
    const first = charts[0] as ReefBase;
    await first.updateComplete;
    expect(first.shadowRoot!.querySelector("path.line")!.getAttribute("d")).toMatch(/^M0 /);
    const band = charts.find((chart) => chart.getAttribute("kind") === "band") as ReefBase;
    await band.updateComplete;
    expect(band.shadowRoot!.querySelectorAll("rect.on").length).toBeGreaterThan(0);
    expect($(card, ".chip.manual")?.textContent).toMatch(/manual 40%/);
  });

  test("a light on a ramp of its schedule shows where it is and where it goes, not a manual change", async () => {
    const reef = createFakeReef({ headings: { "light.white": { level: 51, target: 20 } } });
    const card = await mount(reef, { entities: ["light.white"] });
    expect($(card, ".chip.manual")).toBeNull();
    expect($(card, ".ch-state .level")!.textContent!.replace(/\s+/g, " ").trim()).toBe("51% → 20%");
    const chart = $(card, "bellas-reef-chart") as ReefBase;
    await chart.updateComplete;
    expect(chart.shadowRoot!.querySelector(".dot.live")).toBeNull();
  });

  test("lists the schedules on its channels with edit controls for an admin", async () => {
    const reef = createFakeReef();
    const card = await mount(reef, { default_view: "schedules", entities: ["light.uv"] });
    const rows = $$(card, "li.sched");
    expect(rows.map((row) => row.querySelector(".s-name")!.textContent)).toEqual(["Coral light profile", "Actinic day", "Spring UV cycle"]);
    expect($$(card, "li.sched input.switch")).toHaveLength(3);
    expect($$(card, "li.sched .s-actions button")).toHaveLength(12);
    // The profile is 18 of its 30 days into acclimation from 40 %: a chip says so; no other row has one.
    expect(rows[0]!.querySelector(".chip.acclimating")?.textContent?.trim()).toBe("Acclimating · 76%");
    expect(rows[0]!.querySelector(".s-when")!.textContent!.replace(/[\u202f\u00a0]/g, " ")).toBe(
      "profile of 7 points, smooth · clouds 11:00 AM–4:00 PM · 1 channel offset · follows the moon",
    );
    expect(rows.slice(1).some((row) => row.querySelector(".chip.acclimating"))).toBe(false);
    expect($(card, ".schedules .toolbar .btn.filled")).not.toBeNull();
  });

  test("is read-only for other users: no edit control at all", async () => {
    const reef = createFakeReef({ admin: false });
    const card = await mount(reef, { default_view: "schedules" });
    expect($$(card, "li.sched").length).toBe(reef.schedules.size);
    expect($$(card, "input, .s-actions, .s-side")).toHaveLength(0);
    expect($(card, ".schedules .toolbar .btn")).toBeNull();
  });

  test("one subscription event renders the card at most once", async () => {
    const reef = createFakeReef();
    const card = await mount(reef, { default_view: "schedules" });
    const schedule = [...reef.schedules.values()][0]!;
    const before = card.renderCount;
    reef.emit({ event: "schedule", schedule: { ...schedule, name: "Renamed" } });
    await settle(card);
    expect(card.renderCount - before).toBe(1);
    expect($$(card, ".s-name").map((name) => name.textContent)).toContain("Renamed");
    const action = reef.actions[0]!;
    const again = card.renderCount;
    reef.emit({ event: "action", action: { ...action, id: "elsewhere" } });
    await settle(card);
    expect(card.renderCount - again).toBe(0);
  });

  test("a state change of another entity renders nothing; one of its channels renders once", async () => {
    const reef = createFakeReef();
    const card = await mount(reef);
    const before = card.renderCount;
    card.hass = reef.update((states) => {
      states["sensor.outside"] = { entity_id: "sensor.outside", state: "12", attributes: {} };
    });
    await settle(card);
    expect(card.renderCount).toBe(before);
    card.hass = reef.update((states) => {
      states["light.blue"] = { ...states["light.blue"]!, attributes: { ...states["light.blue"]!.attributes, brightness: 10 } };
    });
    await settle(card);
    expect(card.renderCount).toBe(before + 1);
  });

  test("unsubscribes when removed and subscribes again when re-attached", async () => {
    const reef = createFakeReef();
    const card = await mount(reef);
    expect(reef.subscribers()).toBe(1);
    card.remove();
    await settle(card);
    expect(reef.subscribers()).toBe(0);
    document.body.appendChild(card);
    await settle(card);
    expect(reef.subscribers()).toBe(1);
  });

  test("the history shows statuses, lateness and errors", async () => {
    const reef = createFakeReef();
    const card = await mount(reef, { default_view: "history" });
    await settle(card);
    expect($$(card, "li.act:not(.head)")).toHaveLength(100);
    expect($$(card, "li.act.failed .a-result.error-text").length).toBeGreaterThan(0);
    expect($(card, ".more button")).not.toBeNull();
  });

  test("German", async () => {
    const reef = createFakeReef({ language: "de" });
    const card = await mount(reef, { default_view: "schedules" });
    expect($(card, ".count")!.textContent).toBe("15 Zeitpläne");
    expect($(card, ".chip.acclimating")!.textContent!.replace(/\u00a0/g, " ").trim()).toBe("Eingewöhnung · 76 %");
  });
});

describe("the keeper's controls", () => {
  const norm = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();

  test("Feed starts the mode and counts down; an administrator may end it", async () => {
    const reef = createFakeReef();
    const card = await mount(reef);
    const buttons = $$(card, ".modes button.mode");
    expect(buttons.map((button) => norm(button.textContent))).toEqual(["Feed", "Maintenance"]);
    (buttons[0] as HTMLButtonElement).click();
    await settle(card);
    expect(reef.calls.some((call) => call.type === "bellas_reef/keeper/start" && call.mode === "feed")).toBe(true);
    const running = $(card, ".mode-on button.mode")!;
    expect(norm(running.querySelector("span")!.textContent)).toBe("Feed");
    expect(norm(running.querySelector(".left")!.textContent)).toMatch(/^(10:0\d|9:5\d)$/);
    expect($(card, ".mode-on .end")).not.toBeNull();
    // the pump it holds is marked on the day view
    const chips = $$(card, ".chip.held").map((chip) => norm(chip.textContent));
    expect(chips).toContain("Feed mode");
    ($(card, ".mode-on .end") as HTMLButtonElement).click();
    await settle(card);
    expect(reef.calls.some((call) => call.type === "bellas_reef/keeper/end")).toBe(true);
    expect($(card, ".mode-on")).toBeNull();
    expect($$(card, ".chip.held")).toHaveLength(0);
  });

  test("a mode until ended says so", async () => {
    const reef = createFakeReef({ modeMinutes: { maintenance: 0 } });
    const card = await mount(reef);
    ($$(card, ".modes button.mode")[1] as HTMLButtonElement).click();
    await settle(card);
    expect(norm($(card, ".mode-on button.mode .left")!.textContent)).toBe("until ended");
  });

  test("someone who is not an administrator gets Feed, without an end button; no resume either", async () => {
    const ends = new Date(Date.now() + 5 * 60_000).toISOString();
    const reef = createFakeReef({
      admin: false,
      keeper: {
        modes: {
          feed: { active: true, started: new Date().toISOString(), ends, held: ["switch.return_pump"], holds_schedules: true, ready: true },
          maintenance: { active: false, started: null, ends: null, held: [], holds_schedules: null, ready: true },
        },
        holds: {
          "switch.return_pump": { by: "feed", until: ends },
          "light.blue": { by: "manual", until: new Date(Date.now() + 3600_000).toISOString() },
        },
      },
    });
    const card = await mount(reef);
    expect($$(card, ".modes button.mode").map((button) => norm(button.querySelector("span")!.textContent))).toEqual(["Feed"]);
    expect($(card, ".mode-on .end")).toBeNull();
    expect($$(card, ".chip.held").map((chip) => norm(chip.textContent))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Held by hand until /), "Feed mode"]),
    );
    expect($(card, ".icon-btn.resume")).toBeNull();
  });

  test("an administrator hands a light held by hand back to its schedule", async () => {
    const reef = createFakeReef({
      keeper: {
        modes: {
          feed: { active: false, started: null, ends: null, held: [], holds_schedules: null, ready: false },
          maintenance: { active: false, started: null, ends: null, held: [], holds_schedules: null, ready: false },
        },
        holds: { "light.blue": { by: "manual", until: null } },
      },
    });
    const card = await mount(reef);
    expect($$(card, ".modes button")).toHaveLength(0); // modes without channels are left out
    expect(norm($(card, ".chip.held")!.textContent)).toBe("Held by hand");
    expect($(card, ".chip.held")!.closest("section")!.querySelector(".chip.manual")).toBeNull();
    ($(card, ".icon-btn.resume") as HTMLButtonElement).click();
    await settle(card);
    const call = reef.calls.find((item) => item.type === "bellas_reef/keeper/resume");
    expect(call?.targets).toEqual(["light.blue"]);
    expect($(card, ".chip.held")).toBeNull();
  });

  test("a refusal shows as a toast", async () => {
    const reef = createFakeReef({ admin: false });
    const card = await mount(reef, {});
    // a non-administrator has no maintenance button; a call made anyway is refused by the server
    await (card as unknown as { startMode(mode: string): Promise<void> }).startMode("maintenance");
    await settle(card);
    expect($(card, ".toast.error")?.textContent).toMatch(/Unauthorized/);
  });
});

describe("the panel", () => {
  test("its menu button opens HA's sidebar on a narrow screen", async () => {
    const reef = createFakeReef();
    const panel = document.createElement("bellas-reef-panel") as ReefBase & { narrow: boolean };
    panel.hass = reef.hass;
    panel.narrow = true;
    let toggled = 0;
    document.body.addEventListener("hass-toggle-menu", () => toggled++);
    document.body.appendChild(panel);
    await settle(panel);
    (panel.shadowRoot!.querySelector("button.menu") as HTMLButtonElement).click();
    expect(toggled).toBe(1);
    panel.narrow = false;
    await settle(panel);
    expect(panel.shadowRoot!.querySelector("button.menu")).toBeNull();
    expect(panel.shadowRoot!.querySelectorAll("bellas-reef-chart")).toHaveLength(6);
  });
});

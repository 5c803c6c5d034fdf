// The development harness: mounts the card and/or the panel with a fake hass, in HA's light or dark theme.
// URL parameters: mount=card|panel|both  view=day|schedules|history  theme=light|dark  admin=0  lang=de
// h12=1  open=editor-new|editor-edit|editor-problem|editor-preset|editor-custom|editor-weekly|editor-profile|
// editor-profile-problem|delete|discard  scroll=<element id in the editor> (scrolls the editor to it)
// channels=N schedules=N (benchmark)  bench=1  column=px

import "../src/index";
import { registerTable } from "../src/i18n";
import { de } from "../src/i18n/de";
import type { ReefBase } from "../src/dashboard";
import type { ReefEditor } from "../src/editor";
import { createFakeReef, type FakeReef } from "./fake-hass";
import { makeChannels, makeManySchedules } from "./fixtures";

const THEMES: Record<string, Record<string, string>> = {
  light: {
    "--primary-color": "#009ac7",
    "--accent-color": "#ff9800",
    "--primary-text-color": "#212121",
    "--secondary-text-color": "#727272",
    "--text-primary-color": "#ffffff",
    "--disabled-text-color": "#bdbdbd",
    "--primary-background-color": "#fafafa",
    "--secondary-background-color": "#e5e5e5",
    "--card-background-color": "#ffffff",
    "--divider-color": "rgba(0, 0, 0, 0.12)",
    "--error-color": "#db4437",
    "--warning-color": "#ffa600",
    "--success-color": "#43a047",
    "--info-color": "#039be5",
    "--ha-card-border-radius": "12px",
    "--ha-card-border-color": "#e0e0e0",
    "--app-header-background-color": "#fafafa",
    "--app-header-text-color": "#212121",
  },
  dark: {
    "--primary-color": "#009ac7",
    "--accent-color": "#ff9800",
    "--primary-text-color": "#e1e1e1",
    "--secondary-text-color": "#9b9b9b",
    "--text-primary-color": "#ffffff",
    "--disabled-text-color": "#6f6f6f",
    "--primary-background-color": "#111111",
    "--secondary-background-color": "#282828",
    "--card-background-color": "#1c1c1c",
    "--divider-color": "rgba(225, 225, 225, 0.12)",
    "--error-color": "#ef5350",
    "--warning-color": "#ffa600",
    "--success-color": "#45a94b",
    "--info-color": "#039be5",
    "--ha-card-border-radius": "12px",
    "--ha-card-border-color": "rgba(225, 225, 225, 0.12)",
    "--app-header-background-color": "#111111",
    "--app-header-text-color": "#e1e1e1",
  },
};

// HA's ha-card, as far as a card sees it: a surface with the theme's background, radius and border.
if (!customElements.get("ha-card")) {
  customElements.define(
    "ha-card",
    class extends HTMLElement {
      constructor() {
        super();
        const root = this.attachShadow({ mode: "open" });
        root.innerHTML = `<style>:host{display:block;background:var(--ha-card-background,var(--card-background-color));
          border-radius:var(--ha-card-border-radius,12px);border:1px solid var(--ha-card-border-color,var(--divider-color));
          color:var(--primary-text-color);box-sizing:border-box}</style><slot></slot>`;
      }
    },
  );
}

// Home Assistant fetches a language's table beside the module (its hash built in); the harness has it at hand.
registerTable("de", de);

const params = new URLSearchParams(location.search);
const theme = params.get("theme") === "dark" ? "dark" : "light";
for (const [name, value] of Object.entries(THEMES[theme]!)) document.documentElement.style.setProperty(name, value);
document.documentElement.style.colorScheme = theme;
if (params.get("column")) document.documentElement.style.setProperty("--column", `${params.get("column")}px`);

const channelCount = Number(params.get("channels") ?? 6);
const scheduleCount = params.get("schedules") ? Number(params.get("schedules")) : null;
const now = Date.now();
const channels = makeChannels(channelCount);
const reef: FakeReef = createFakeReef({
  admin: params.get("admin") !== "0",
  language: params.get("lang") ?? "en",
  timeFormat: params.get("h12") === "1" ? "12" : "language",
  dark: theme === "dark",
  channels,
  ...(scheduleCount !== null ? { schedules: makeManySchedules(now, scheduleCount, channels) } : {}),
});

const root = document.getElementById("root")!;
const mount = params.get("mount") ?? "card";
const view = params.get("view") ?? "day";
const elements: ReefBase[] = [];

declare global {
  interface Window {
    reef: { fake: FakeReef; elements: ReefBase[]; ready: Promise<void> };
    __mountCard?: () => { card: ReefBase; attached: number };
  }
}

function mountCard(): ReefBase {
  const card = document.createElement("bellas-reef-card") as ReefBase & { setConfig(c: unknown): void };
  card.setConfig({ type: "custom:bellas-reef-card", title: params.get("title") ?? "Bella's Reef", default_view: view });
  card.hass = reef.hass;
  root.appendChild(card);
  return card;
}

if (params.get("bench") === "1") {
  // The benchmark mounts the card itself and times it.
  window.__mountCard = () => {
    const card = document.createElement("bellas-reef-card") as ReefBase & { setConfig(c: unknown): void };
    card.setConfig({ type: "custom:bellas-reef-card", default_view: view });
    card.hass = reef.hass;
    const attached = performance.now();
    root.appendChild(card);
    return { card, attached };
  };
} else {
  if (mount === "panel") {
    root.classList.add("panel");
    const panel = document.createElement("bellas-reef-panel") as ReefBase & { narrow: boolean; panel: unknown };
    panel.hass = reef.hass;
    panel.narrow = window.innerWidth < 870;
    panel.panel = { config: { default_view: view } };
    root.appendChild(panel);
    elements.push(panel);
  } else {
    elements.push(mountCard());
  }
}

async function settled(element: ReefBase): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await element.updateComplete;
    const store = (element as unknown as { store: { day: unknown; schedulesLoaded: boolean } }).store;
    if (store.day && store.schedulesLoaded) break;
  }
  await new Promise((resolve) => setTimeout(resolve, 60));
}

async function editor(element: ReefBase): Promise<ReefEditor> {
  await element.updateComplete;
  const found = element.shadowRoot!.querySelector("bellas-reef-editor") as ReefEditor;
  await found.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 150));
  await found.updateComplete;
  return found;
}

async function hover(element: ReefBase): Promise<void> {
  const at = params.get("hover");
  if (!at) return;
  // A tooltip as a tap at HH:MM on the n-th chart (hover=10:30&chart=2).
  const charts = [...element.shadowRoot!.querySelectorAll("bellas-reef-chart")] as unknown as (ReefBase & {
    axis: { start: number };
    setHover(t: number): void;
  })[];
  const chart = charts[Number(params.get("chart") ?? 0)]!;
  const [h, m] = at.split(":").map(Number) as [number, number];
  (chart as unknown as { setHover(t: number): void }).setHover(chart.axis.start + (h * 60 + m) * 60_000);
  await chart.updateComplete;
  chart.scrollIntoView({ block: "center" });
}

async function open(element: ReefBase): Promise<void> {
  await hover(element);
  const what = params.get("open");
  if (!what) return;
  const any = element as unknown as Record<string, (...args: unknown[]) => unknown>;
  const schedules = [...reef.schedules.values()];
  const byName = (name: string) => schedules.find((s) => s.name === name)!;
  if (what === "editor-new") any.newSchedule!.call(element);
  if (what === "editor-edit" || what === "discard") any.edit!.call(element, byName("Lunch dim"));
  if (what === "editor-preset") any.edit!.call(element, byName("Reef day"));
  if (what === "editor-custom") any.edit!.call(element, byName("Reservoir reminder"));
  if (what === "editor-weekly") any.edit!.call(element, byName("Dosing pump, every other Mon & Thu"));
  if (what === "editor-problem") any.edit!.call(element, byName("Reef day"));
  if (what === "editor-profile" || what === "editor-profile-problem") any.edit!.call(element, byName("Coral light profile"));
  if (what === "delete") (element as unknown as { _confirm: unknown })._confirm = byName("Wave pump boost");
  if (what.startsWith("editor") || what === "discard") {
    const dialog = await editor(element);
    const e = dialog as unknown as Record<string, (...args: unknown[]) => unknown>;
    if (what === "editor-problem") {
      // A sunrise that ends after sunset, and no name: Save is refused, the problems sit at their fields.
      e.set!.call(dialog, "preset.sunrise_minutes", (f: { presets: { diurnal: { sunrise_minutes: number } }; name: string }) => {
        f.presets.diurnal.sunrise_minutes = 720;
        f.name = "";
      });
      await e.save!.call(dialog);
      await dialog.updateComplete;
    }
    if (what === "editor-profile-problem") {
      // A point out of order, an offset on a channel the schedule no longer drives, clouds too long: Save is refused.
      type Profile = { targets: string[]; presets: { profile: { points: { time: string }[]; clouds: { max_minutes: number } } } };
      e.set!.call(dialog, "preset.points", (f: Profile) => {
        f.presets.profile.points[2]!.time = "08:30";
        f.targets = f.targets.filter((target) => target !== "light.uv");
        f.presets.profile.clouds.max_minutes = 45;
      });
      await e.save!.call(dialog);
      await dialog.updateComplete;
    }
    if (what === "discard") {
      e.set!.call(dialog, "name", (f: { name: string }) => (f.name = "Lunch dim (later)"));
      (e.requestClose as () => void).call(dialog);
      await dialog.updateComplete;
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    await dialog.updateComplete;
    const scroll = params.get("scroll");
    const to = scroll ? dialog.shadowRoot!.getElementById(scroll) : null;
    if (to) {
      to.scrollIntoView({ block: "start" });
      const content = dialog.shadowRoot!.querySelector(".content");
      if (content) content.scrollTop -= 48;
      await dialog.updateComplete;
    }
  }
  await element.updateComplete;
}

window.reef = {
  fake: reef,
  elements,
  ready: (async () => {
    if (!elements.length) return;
    await settled(elements[0]!);
    await open(elements[0]!);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  })(),
};

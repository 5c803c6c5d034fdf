// The benchmark page's side (benchmarks/frontend_render.mjs drives it): mounts the *built* card with a fake
// hass of many schedules and times it; counts the renders a subscription event causes.

import type { ScheduleEvent } from "../src/api";
import { createFakeReef } from "./fake-hass";
import { makeChannels, makeManySchedules } from "./fixtures";

interface Card extends HTMLElement {
  hass: unknown;
  renderCount: number;
  updateComplete: Promise<unknown>;
  setConfig(config: unknown): void;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

if (!customElements.get("ha-card")) customElements.define("ha-card", class extends HTMLElement {});

function chartsDrawn(card: Card, count: number): boolean {
  const charts = [...(card.shadowRoot?.querySelectorAll("bellas-reef-chart") ?? [])];
  if (charts.length < count) return false;
  return charts.every((chart) => {
    const root = chart.shadowRoot;
    return !!root && (!!root.querySelector("path.line[d^='M']") || !!root.querySelector("rect.on"));
  });
}

async function mount(schedules: number, channels: number, view: string) {
  const now = Date.now();
  const list = makeChannels(channels);
  const reef = createFakeReef({ channels: list, schedules: makeManySchedules(now, schedules, list) });
  reef.prime();
  let dataAt = 0;
  const callWS = reef.hass.callWS.bind(reef.hass);
  reef.hass.callWS = (async (message: { type: string }) => {
    const answer = await callWS(message as never);
    if (message.type === "bellas_reef/day") dataAt = performance.now();
    return answer;
  }) as typeof reef.hass.callWS;
  const card = document.createElement("bellas-reef-card") as Card;
  card.setConfig({ type: "custom:bellas-reef-card", default_view: view });
  card.hass = reef.hass;
  const attached = performance.now();
  document.getElementById("root")!.appendChild(card);
  return { reef, card, attached, dataAt: () => dataAt };
}

/** Attach → every channel's curve (or band) in the DOM and laid out; and the part after the data arrived. */
async function firstCurve(schedules: number, channels: number) {
  const { card, attached, dataAt } = await mount(schedules, channels, "day");
  for (;;) {
    await card.updateComplete;
    const charts = [...(card.shadowRoot?.querySelectorAll("bellas-reef-chart") ?? [])] as unknown as Card[];
    await Promise.all(charts.map((chart) => chart.updateComplete));
    if (chartsDrawn(card, channels)) break;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  document.body.getBoundingClientRect(); // style and layout done
  const drawn = performance.now();
  await frame();
  const painted = performance.now();
  return { total: drawn - attached, afterData: drawn - dataAt(), toFrame: painted - attached };
}

/** Renders of the card, and schedule rows touched in the DOM, for one subscription event. */
async function rendersPerEvent(view: "schedules" | "day" | "history", kind: "schedule" | "action") {
  const { reef, card } = await mount(50, 8, view);
  await wait(600);
  await card.updateComplete;
  const touched = new Set<Element>();
  const list = card.shadowRoot!.querySelector(".list");
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const added of record.addedNodes) if (added instanceof HTMLLIElement) touched.add(added);
      const node = record.target instanceof Element ? record.target : record.target.parentElement;
      const row = node?.closest("li");
      if (row) touched.add(row);
    }
  });
  if (list) observer.observe(list, { subtree: true, childList: true, characterData: true, attributes: true });
  const before = card.renderCount;
  const schedule = [...reef.schedules.values()][7]!;
  const event: ScheduleEvent =
    kind === "schedule"
      ? { event: "schedule", schedule: { ...schedule, last_run: new Date().toISOString(), last_run_status: "success" } }
      : { event: "action", action: { ...reef.actions[0]!, id: "live", status: "failed", error_message: "test" } };
  reef.emit(event);
  await card.updateComplete;
  const immediate = card.renderCount - before;
  await wait(1000); // the debounced day re-fetch (500 ms) and its render
  await card.updateComplete;
  observer.disconnect();
  const result = { immediate, within1s: card.renderCount - before, rowsTouched: touched.size };
  card.remove();
  return result;
}

(window as unknown as { bench: unknown }).bench = { firstCurve, rendersPerEvent };

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createFakeReef } from "../dev/fake-hass";
import { DAY_DEBOUNCE_MS, ReefStore, type Slice } from "../src/store";

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
};

describe("the store", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("subscribes once when attached and connected, and unsubscribes when detached", async () => {
    const reef = createFakeReef();
    const store = new ReefStore(() => undefined);
    store.setHass(reef.hass);
    expect(reef.subscribers()).toBe(0);
    store.attach();
    store.setHass(reef.hass);
    await flush();
    expect(reef.subscribers()).toBe(1);
    expect(reef.calls.filter((call) => call.type === "bellas_reef/schedules/subscribe")).toHaveLength(1);
    store.detach();
    await flush();
    expect(reef.subscribers()).toBe(0);
    store.attach();
    await flush();
    expect(reef.subscribers()).toBe(1);
  });

  test("keeps the keeper's status: loaded at the start, pushed by events, unchanged ones ignored", async () => {
    const reef = createFakeReef();
    const slices: Slice[] = [];
    const store = new ReefStore((slice) => slices.push(slice));
    store.setHass(reef.hass);
    store.attach();
    await flush();
    expect(store.keeper?.modes.feed.active).toBe(false);
    expect(slices).toContain("keeper");
    slices.length = 0;
    store.onEvent({ event: "keeper", keeper: store.keeper! });
    expect(slices).toEqual([]);
    const running = { ...store.keeper!, modes: { ...store.keeper!.modes, feed: { ...store.keeper!.modes.feed, active: true } } };
    reef.emit({ event: "keeper", keeper: running });
    await flush();
    expect(slices).toEqual(["keeper"]);
    expect(store.keeper?.modes.feed.active).toBe(true);
  });

  test("a server without the keeper's commands leaves it unknown, and the rest loads", async () => {
    const reef = createFakeReef();
    const callWS = reef.hass.callWS;
    const hass = {
      ...reef.hass,
      callWS: <T,>(message: { type: string }) =>
        message.type === "bellas_reef/keeper/status"
          ? Promise.reject({ code: "unknown_command", message: "Unknown command." })
          : callWS<T>(message),
    };
    const store = new ReefStore(() => undefined);
    store.setHass(hass as typeof reef.hass);
    store.attach();
    await flush();
    expect(store.keeper).toBeNull();
    expect(store.error).toBeNull();
    expect(store.schedulesLoaded).toBe(true);
  });

  test("a failure is forgotten when everything loads again (a reconnect)", async () => {
    const reef = createFakeReef();
    const callWS = reef.hass.callWS;
    let down = true;
    const hass = {
      ...reef.hass,
      callWS: <T,>(message: { type: string }) =>
        down && message.type === "bellas_reef/channels/list"
          ? Promise.reject({ code: "timeout", message: "no answer" })
          : callWS<T>(message),
    };
    const store = new ReefStore(() => undefined);
    store.setHass(hass as typeof reef.hass);
    store.attach();
    await flush();
    expect(store.error).toBe("no answer");
    down = false;
    store.reload();
    await flush();
    expect(store.error).toBeNull();
    expect(store.channels).toHaveLength(6);
  });

  test("a day that answers after a later one is dropped", async () => {
    const reef = createFakeReef();
    const callWS = reef.hass.callWS;
    const answers: (() => void)[] = [];
    const hass = {
      ...reef.hass,
      callWS: <T,>(message: { type: string; date?: string }) =>
        message.type === "bellas_reef/day"
          ? new Promise<T>((resolve) => answers.push(() => void callWS<T>(message).then(resolve)))
          : callWS<T>(message),
    };
    const store = new ReefStore(() => undefined);
    store.setHass(hass as typeof reef.hass);
    store.attach();
    await flush();
    store.setDayDate("2026-12-05");
    store.setDayDate("2026-12-06");
    answers[2]!(); // the latest first
    await flush();
    answers[1]!(); // then the one before it, late
    await flush();
    expect(store.day?.date).toBe("2026-12-06");
  });

  test("actions pushed by events keep the list to its page", async () => {
    const reef = createFakeReef();
    const store = new ReefStore(() => undefined);
    store.setHass(reef.hass);
    store.attach();
    store.setActionsVisible(true);
    await flush();
    expect(store.actions).toHaveLength(100);
    const first = store.actions![0]!;
    for (let i = 0; i < 5; i++) store.onEvent({ event: "action", action: { ...first, id: `new${i}` } });
    expect(store.actions).toHaveLength(100);
    expect(store.actions![0]!.id).toBe("new4");
    expect(store.actionsMore).toBe(true);
  });

  test("waits for the connection", async () => {
    const reef = createFakeReef();
    const store = new ReefStore(() => undefined);
    store.attach();
    store.setHass({ ...reef.hass, connected: false });
    await flush();
    expect(reef.subscribers()).toBe(0);
    store.setHass(reef.hass);
    await flush();
    expect(reef.subscribers()).toBe(1);
  });

  test("loads channels, schedules, the keeper and the day; the history only when shown", async () => {
    const reef = createFakeReef();
    const slices: Slice[] = [];
    const store = new ReefStore((slice) => slices.push(slice));
    store.setHass(reef.hass);
    store.attach();
    await flush();
    expect(store.channels).toHaveLength(6);
    expect(store.schedules.size).toBe(reef.schedules.size);
    expect(store.day?.channels).toHaveLength(6);
    expect(store.actions).toBeNull();
    store.setActionsVisible(true);
    await flush();
    expect(store.actions).toHaveLength(100);
    expect(store.actionsMore).toBe(true);
    await store.loadMoreActions();
    expect(store.actions).toHaveLength(160);
    expect(store.actionsMore).toBe(false);
    expect(new Set(slices)).toEqual(new Set(["channels", "schedules", "keeper", "day", "actions"]));
  });

  test("a schedule event changes one entry, and re-fetches the day once, debounced, when the day is shown", async () => {
    const reef = createFakeReef();
    const slices: Slice[] = [];
    const store = new ReefStore((slice) => slices.push(slice));
    store.setHass(reef.hass);
    store.attach();
    store.setDayVisible(true);
    await flush();
    slices.length = 0;
    const before = store.schedules;
    const first = [...before.values()][0]!;
    const other = [...before.values()][1]!;
    const dayCalls = () => reef.calls.filter((call) => call.type === "bellas_reef/day").length;
    const calls = dayCalls();
    reef.emit({ event: "schedule", schedule: { ...first, name: "Renamed" } });
    reef.emit({ event: "schedule", schedule: { ...first, name: "Renamed again" } });
    expect(store.schedules.get(first.id)?.name).toBe("Renamed again");
    expect(store.schedules.get(other.id)).toBe(other);
    expect(slices).toEqual(["schedules", "schedules"]);
    await vi.advanceTimersByTimeAsync(DAY_DEBOUNCE_MS - 10);
    expect(dayCalls()).toBe(calls);
    await vi.advanceTimersByTimeAsync(20);
    await flush();
    expect(dayCalls()).toBe(calls + 1);
    expect(slices).toEqual(["schedules", "schedules", "day"]);
  });

  test("the same schedule again changes nothing; a removal drops it", async () => {
    const reef = createFakeReef();
    const slices: Slice[] = [];
    const store = new ReefStore((slice) => slices.push(slice));
    store.setHass(reef.hass);
    store.attach();
    await flush();
    slices.length = 0;
    const first = [...store.schedules.values()][0]!;
    reef.emit({ event: "schedule", schedule: structuredClone(first) });
    expect(slices).toEqual([]);
    reef.emit({ event: "removed", schedule_id: first.id });
    expect(store.schedules.has(first.id)).toBe(false);
    reef.emit({ event: "removed", schedule_id: "unknown" });
    expect(slices).toEqual(["schedules"]);
  });

  test("with the day hidden, a schedule event marks the day stale; it is fetched when shown", async () => {
    const reef = createFakeReef();
    const store = new ReefStore(() => undefined);
    store.setHass(reef.hass);
    store.attach();
    store.setDayVisible(false);
    await flush();
    const dayCalls = () => reef.calls.filter((call) => call.type === "bellas_reef/day").length;
    const calls = dayCalls();
    reef.emit({ event: "removed", schedule_id: [...store.schedules.keys()][0]! });
    await vi.advanceTimersByTimeAsync(2000);
    expect(dayCalls()).toBe(calls);
    store.setDayVisible(true);
    await flush();
    expect(dayCalls()).toBe(calls + 1);
  });

  test("action events go on top of the history, or replace theirs; filters apply", async () => {
    const reef = createFakeReef();
    const store = new ReefStore(() => undefined);
    store.setHass(reef.hass);
    store.attach();
    store.setActionsVisible(true);
    await flush();
    const newest = store.actions![0]!;
    reef.emit({ event: "action", action: { ...newest, id: "fresh" } });
    expect(store.actions![0]!.id).toBe("fresh");
    reef.emit({ event: "action", action: { ...newest, status: "failed" } });
    expect(store.actions![1]!.status).toBe("failed");
    await store.loadActions({ status: "failed" });
    expect(store.actions!.every((action) => action.status === "failed")).toBe(true);
    const count = store.actions!.length;
    reef.emit({ event: "action", action: { ...newest, id: "ok", status: "success" } });
    expect(store.actions).toHaveLength(count);
  });
});

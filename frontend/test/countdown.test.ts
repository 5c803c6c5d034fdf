// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from "vitest";
import { countdown, type ReefCountdown } from "../src/countdown";

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = "";
});

test("the words of a countdown", () => {
  expect(countdown(600)).toBe("10:00");
  expect(countdown(599.2)).toBe("10:00");
  expect(countdown(61)).toBe("1:01");
  expect(countdown(3723)).toBe("1:02:03");
  expect(countdown(-5)).toBe("0:00");
});

test("it ticks once a second on its own and stops at its end", async () => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-12-01T12:00:00Z"));
  const element = document.createElement("bellas-reef-countdown") as ReefCountdown;
  element.ends = Date.now() + 3000;
  document.body.appendChild(element);
  await element.updateComplete;
  expect(element.textContent).toBe("0:03");
  await vi.advanceTimersByTimeAsync(1000);
  await element.updateComplete;
  expect(element.textContent).toBe("0:02");
  await vi.advanceTimersByTimeAsync(5000);
  await element.updateComplete;
  expect(element.textContent).toBe("0:00");
  expect(vi.getTimerCount()).toBe(0); // no timer left at 0:00
});

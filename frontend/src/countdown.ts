// A mode's countdown ("9:42"): it ticks on its own, once a second while its end is ahead, so that the card
// around it does not render every second. Rendered into the light DOM: its text is its parent's text.

import { LitElement } from "lit";
import { define } from "./define";

/** Seconds left as "9:42" or "1:02:03". */
export function countdown(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export class ReefCountdown extends LitElement {
  static override properties = {
    ends: { attribute: false },
    now: { attribute: false },
  };

  /** Epoch ms of the end. */
  ends = 0;
  /** The reef's clock (the server's now, as the store keeps it). */
  now: () => number = () => Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer ??= setInterval(() => this.tick(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.requestUpdate();
    if (this.ends <= this.now()) this.stop(); // at 0:00 it waits for the server's end of the mode
  }

  protected override render() {
    return countdown((this.ends - this.now()) / 1000);
  }
}

define("bellas-reef-countdown", ReefCountdown);

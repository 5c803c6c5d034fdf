// <bellas-reef-chart>: one channel's day, drawn in SVG: its level curve (or on/off bands), the "now" line,
// the live level, event markers and a tooltip on hover or tap. It re-renders on its own for the tooltip.

import { define } from "./define";
import { LitElement, css, html, nothing, svg, type PropertyValues } from "lit";
import type { DayEvent } from "./api";
import { formatPercent, formatTime, percentLocale, type LocaleInfo } from "./format";
import {
  VIEW_HEIGHT,
  VIEW_WIDTH,
  areaPath,
  bandsOf,
  hourTicks,
  levelAt,
  linePath,
  nearestPoint,
  offCurve,
  percentX,
  timeAt,
  xOf,
  yOf,
  type Axis,
  type Point,
  type Tick,
} from "./geometry";
import type { Translator } from "./i18n";

export type ChartKind = "curve" | "band";

/** Off the curve by more than this many percentage points: a manual change, shown as such. */
export const MANUAL_THRESHOLD = 2;

interface Hover {
  t: number;
  level: number | null;
  snapped: boolean;
}

export class ReefChart extends LitElement {
  static override properties = {
    axis: { attribute: false },
    points: { attribute: false },
    kind: { type: String },
    color: { type: String },
    now: { attribute: false },
    live: { attribute: false },
    heading: { attribute: false },
    events: { attribute: false },
    info: { attribute: false },
    i18n: { attribute: false },
    label: { type: String },
    zone: { type: String },
    axisLabels: { type: Boolean },
    _hover: { state: true },
  };

  axis!: Axis;
  points: Point[] = [];
  kind: ChartKind = "curve";
  color = "var(--primary-color)";
  /** Epoch ms of now, when it lies in the day shown. */
  now: number | null = null;
  /** The live level of the output (0..100), null when unknown. */
  live: number | null = null;
  /** Where the schedules have the output now and where they take it (the server's, today only). */
  heading: { level: number; target: number } | null = null;
  events: DayEvent[] = [];
  info!: LocaleInfo;
  i18n!: Translator;
  label = "";
  /** The day's zone (HA's): the axis is labelled in it. */
  zone = "UTC";
  /** Hour labels under the plot (a stack of on/off bands shows them once, under the last). */
  axisLabels = true;
  private _hover: Hover | null = null;
  private ticks: Tick[] = [];
  private gradientId = `g${Math.random().toString(36).slice(2, 9)}`;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("axis") || changed.has("zone")) this.ticks = this.axis ? hourTicks(this.axis, this.zone) : [];
  }

  private hoverAt(clientX: number): void {
    const plot = this.renderRoot.querySelector(".plot");
    if (!plot || !this.axis) return;
    const box = plot.getBoundingClientRect();
    if (box.width <= 0) return;
    this.setHover(timeAt((clientX - box.left) / box.width, this.axis));
  }

  private setHover(t: number): void {
    const span = this.axis.end - this.axis.start;
    const near = nearestPoint(this.points, t, span * 0.012);
    const at = near ? near.t : t;
    this._hover = { t: at, level: near ? near.level : levelAt(this.points, at), snapped: near !== null };
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.axis) return;
    const step = (event.shiftKey ? 60 : 15) * 60_000;
    const from = this._hover?.t ?? this.now ?? this.axis.start;
    if (event.key === "ArrowRight") this.setHover(Math.min(this.axis.end, from + step));
    else if (event.key === "ArrowLeft") this.setHover(Math.max(this.axis.start, from - step));
    else if (event.key === "Escape") this._hover = null;
    else return;
    event.preventDefault();
  }

  private levelText(level: number | null): string {
    if (level === null) return "—";
    if (this.kind === "band") return level > 0 ? this.i18n.t("state.on") : this.i18n.t("state.off");
    return formatPercent(Math.round(level * 10) / 10, percentLocale(this.info));
  }

  private tickLabel(tick: Tick): string {
    return tickFormat(this.info, this.zone).format(new Date(tick.t));
  }

  protected override render() {
    if (!this.axis) return nothing;
    const axis = this.axis;
    const band = this.kind === "band";
    const nowIn = this.now !== null && this.now >= axis.start && this.now <= axis.end;
    const scheduled = nowIn ? levelAt(this.points, this.now!) : null;
    const manual = !band && nowIn && offCurve(this.points, this.now!, this.live, MANUAL_THRESHOLD, this.heading);
    const bands = band ? bandsOf(this.points, axis) : [];
    const hover = this._hover;
    const inner = this.ticks.slice(1, -1);
    return html`
      <div class="chart ${band ? "band" : "curve"}" style="--c:${this.color}">
        <div class="yaxis" aria-hidden="true">
          ${band ? nothing : html`<span>100</span><span>50</span><span>0</span>`}
        </div>
        <div
          class="plot"
          tabindex="0"
          role="img"
          aria-label=${this.label}
          @pointermove=${(e: PointerEvent) => e.pointerType === "mouse" && this.hoverAt(e.clientX)}
          @pointerdown=${(e: PointerEvent) => this.hoverAt(e.clientX)}
          @pointerleave=${(e: PointerEvent) => e.pointerType === "mouse" && (this._hover = null)}
          @keydown=${this.onKey}
          @blur=${() => (this._hover = null)}
        >
          <svg viewBox="0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}" preserveAspectRatio="none" aria-hidden="true">
            <defs>
              <linearGradient id=${this.gradientId} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0" stop-color=${this.color} stop-opacity="0.42"></stop>
                <stop offset="1" stop-color=${this.color} stop-opacity="0.04"></stop>
              </linearGradient>
            </defs>
            ${band
              ? nothing
              : [25, 50, 75].map(
                  (level) => svg`<line class="grid" x1="0" x2=${VIEW_WIDTH} y1=${yOf(level)} y2=${yOf(level)}></line>`,
                )}
            ${inner.map((tick) => {
              const x = xOf(tick.t, axis);
              return svg`<line class="grid v ${tierClass(tick.hour)}" x1=${x} x2=${x} y1="0" y2=${VIEW_HEIGHT}></line>`;
            })}
            ${band
              ? bands.map(
                  (run) =>
                    svg`<rect class="on" x=${xOf(run.from, axis)} width=${Math.max(1.5, xOf(run.to, axis) - xOf(run.from, axis))} y="14" height="72" rx="0"></rect>`,
                )
              : svg`<path class="area" d=${areaPath(this.points, axis)} fill="url(#${this.gradientId})"></path>
                   <path class="line" d=${linePath(this.points, axis)}></path>`}
            ${nowIn
              ? svg`<line class="now" x1=${xOf(this.now!, axis)} x2=${xOf(this.now!, axis)} y1="0" y2=${VIEW_HEIGHT}></line>`
              : nothing}
            ${hover
              ? svg`<line class="hover" x1=${xOf(hover.t, axis)} x2=${xOf(hover.t, axis)} y1="0" y2=${VIEW_HEIGHT}></line>`
              : nothing}
          </svg>
          ${this.points.length === 0 && band
            ? html`<div class="empty-band ${this.live !== null && this.live > 0 ? "is-on" : ""}"></div>`
            : nothing}
          ${this.events.map(
            (event) => html`<span
              class="event"
              style="left:${percentX(Date.parse(event.time), axis)}"
              title="${formatTime(event.time, this.info, this.zone)} · ${event.schedule_name}"
            ></span>`,
          )}
          ${nowIn && !band && scheduled !== null
            ? html`<span class="dot sched" style="left:${percentX(this.now!, axis)};top:${yOf(scheduled)}%"></span>`
            : nothing}
          ${nowIn && !band && this.live !== null && (manual || scheduled === null)
            ? html`<span
                class="dot live ${manual ? "manual" : ""}"
                style="left:${percentX(this.now!, axis)};top:${yOf(this.live)}%"
              ></span>`
            : nothing}
          ${hover && !band && hover.level !== null
            ? html`<span class="dot hov" style="left:${percentX(hover.t, axis)};top:${yOf(hover.level)}%"></span>`
            : nothing}
          ${hover
            ? html`<div class="tip ${xOf(hover.t, axis) > VIEW_WIDTH * 0.7 ? "left" : ""}" style="left:${percentX(hover.t, axis)}">
                <strong>${formatTime(new Date(hover.t), this.info, this.zone)}</strong>
                <span>${this.levelText(hover.level)}</span>
              </div>`
            : nothing}
        </div>
        ${this.axisLabels
          ? html`<div class="xaxis" aria-hidden="true">
              ${inner.map(
                (tick) =>
                  html`<span class="tick ${tierClass(tick.hour)}" style="left:${percentX(tick.t, axis)}">${this.tickLabel(tick)}</span>`,
              )}
            </div>`
          : nothing}
      </div>
    `;
  }

  static override styles = css`
    :host {
      display: block;
    }
    .chart {
      display: grid;
      grid-template-columns: auto 1fr;
      grid-template-rows: auto auto;
      column-gap: 6px;
      container-type: inline-size;
    }
    .yaxis {
      grid-row: 1;
      display: flex;
      flex-direction: column;
      justify-content: space-between;
      font-size: 10px;
      line-height: 1;
      color: var(--secondary-text-color);
      text-align: right;
      font-variant-numeric: tabular-nums;
      margin: -4px 0;
      min-width: 18px;
    }
    .plot {
      position: relative;
      height: var(--reef-chart-height, 96px);
      border-radius: 6px;
      background: color-mix(in srgb, var(--primary-text-color) 3%, transparent);
      outline: none;
      touch-action: pan-y;
      cursor: crosshair;
    }
    .band .plot {
      height: 26px;
    }
    .plot:focus-visible {
      box-shadow: 0 0 0 2px var(--primary-color);
    }
    svg {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      overflow: visible;
    }
    .grid {
      stroke: var(--divider-color);
      stroke-width: 1;
      vector-effect: non-scaling-stroke;
    }
    .grid.major {
      stroke-dasharray: none;
    }
    .line {
      fill: none;
      stroke: var(--c);
      stroke-width: 2.25;
      stroke-linejoin: round;
      vector-effect: non-scaling-stroke;
    }
    .on {
      fill: var(--c);
      opacity: 0.85;
    }
    .now {
      stroke: var(--primary-text-color);
      stroke-width: 1.5;
      stroke-dasharray: 4 3;
      vector-effect: non-scaling-stroke;
      opacity: 0.75;
    }
    .hover {
      stroke: var(--secondary-text-color);
      stroke-width: 1;
      vector-effect: non-scaling-stroke;
    }
    .empty-band {
      position: absolute;
      inset: 7px 0;
      border-radius: 3px;
      background: repeating-linear-gradient(
        135deg,
        color-mix(in srgb, var(--secondary-text-color) 18%, transparent) 0 6px,
        transparent 6px 12px
      );
    }
    .empty-band.is-on {
      background: repeating-linear-gradient(
        135deg,
        color-mix(in srgb, var(--c) 55%, transparent) 0 6px,
        color-mix(in srgb, var(--c) 25%, transparent) 6px 12px
      );
    }
    .dot {
      position: absolute;
      width: 10px;
      height: 10px;
      margin: -5px 0 0 -5px;
      border-radius: 50%;
      background: var(--c);
      border: 2px solid var(--card-background-color, #fff);
      box-sizing: border-box;
      pointer-events: none;
    }
    .dot.hov {
      background: var(--card-background-color, #fff);
      border: 2.5px solid var(--c);
      width: 11px;
      height: 11px;
      margin: -5.5px 0 0 -5.5px;
    }
    .dot.live {
      width: 12px;
      height: 12px;
      margin: -6px 0 0 -6px;
      background: var(--primary-text-color);
    }
    .dot.live.manual {
      background: var(--warning-color, #ffa600);
      box-shadow: 0 0 0 3px color-mix(in srgb, var(--warning-color, #ffa600) 35%, transparent);
    }
    .event {
      position: absolute;
      top: -5px;
      width: 8px;
      height: 8px;
      margin-left: -4px;
      transform: rotate(45deg);
      background: var(--c);
      border: 1.5px solid var(--card-background-color, #fff);
      box-sizing: border-box;
      border-radius: 1px;
    }
    .band .event {
      top: -4px;
    }
    .tip {
      position: absolute;
      top: 4px;
      transform: translateX(8px);
      padding: 4px 8px;
      border-radius: 6px;
      background: var(--primary-text-color);
      color: var(--card-background-color, #fff);
      font-size: 12px;
      line-height: 1.3;
      white-space: nowrap;
      pointer-events: none;
      display: flex;
      gap: 6px;
      z-index: 2;
      box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25);
    }
    .band .tip {
      top: -26px;
    }
    .tip.left {
      transform: translateX(calc(-100% - 8px));
    }
    .xaxis {
      grid-column: -2;
      position: relative;
      height: 16px;
      margin-top: 3px;
      font-size: 10.5px;
      color: var(--secondary-text-color);
      font-variant-numeric: tabular-nums;
    }
    .tick {
      position: absolute;
      transform: translateX(-50%);
      white-space: nowrap;
    }
    /* Hour labels and lines: every 6 h on a phone, every 3 h wider, every 2 h on a wide card. */
    .tick,
    .grid.v {
      display: none;
    }
    .h6 {
      display: block !important;
    }
    .grid.v.h3 {
      display: block;
    }
    @container (min-width: 520px) {
      .tick.h3 {
        display: block;
      }
    }
    @container (min-width: 900px) {
      .tick.h3,
      .grid.v.h3 {
        display: none;
      }
      .tick.h2,
      .grid.v.h2 {
        display: block;
      }
    }
  `;
}

const tickFormats = new Map<string, Intl.DateTimeFormat>();

/** "6 AM" or "06:00": hour labels, one formatter per language, clock and zone. */
function tickFormat(info: LocaleInfo, zone: string): Intl.DateTimeFormat {
  const key = `${info.language}|${info.hour12}|${zone}`;
  let format = tickFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(info.language, {
      hour: info.hour12 ? "numeric" : "2-digit",
      minute: info.hour12 ? undefined : "2-digit",
      hourCycle: info.hour12 ? "h12" : "h23",
      timeZone: zone,
    });
    tickFormats.set(key, format);
  }
  return format;
}

/** The label tiers an hour belongs to: h6 (00, 06, 12, 18), h3 (every third), h2 (even hours). */
export function tierClass(hour: number): string {
  return [hour % 6 === 0 ? "h6" : "", hour % 3 === 0 ? "h3" : "", hour % 2 === 0 ? "h2" : ""].filter(Boolean).join(" ");
}

define("bellas-reef-chart", ReefChart);

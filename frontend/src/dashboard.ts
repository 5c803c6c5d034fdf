// What the card and the panel share: the three views (day, schedules, history), the store behind them,
// the schedule actions (toggle, run now, duplicate, delete) and the editor. Subclasses frame it.

import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { guard } from "lit/directives/guard.js";
import { live } from "lit/directives/live.js";
import { repeat } from "lit/directives/repeat.js";
import {
  MODES,
  errorMessage,
  type Action,
  type Channel,
  type DayChannel,
  type Hold,
  type ModeName,
  type ModeStatus,
  type Schedule,
} from "./api";
import { api } from "./api";
import "./chart";
import "./countdown";
import { channelColor, colorsFor } from "./colors";
import { VIEWS, type View } from "./config";
import type { EditorRequest } from "./editor";
import {
  formatPercent,
  percentLocale,
  formatRelative,
  formatShortDate,
  formatTime,
  formatTimeSeconds,
  formatWhen,
  localDate,
  localeInfo,
  type LocaleInfo,
} from "./format";
import { axisOf, levelAt, offCurve, parsePoints, type Axis, type Point } from "./geometry";
import { entityName, isAdmin, liveLevel, type Hass } from "./hass";
import { TRANSLATIONS_EVENT, translator, type Key } from "./i18n";
import {
  icon,
  mdiAlert,
  mdiCalendarClock,
  mdiChartBellCurve,
  mdiChevronLeft,
  mdiCalendarSync,
  mdiChevronRight,
  mdiContentCopy,
  mdiDelete,
  mdiFish,
  mdiHandBackRight,
  mdiHistory,
  mdiStop,
  mdiWrench,
  mdiPencil,
  mdiPlay,
  mdiPlus,
} from "./icons";
import { ReefStore, type Slice } from "./store";
import { shared } from "./styles";
import {
  acclimationEnd,
  acclimationPercent,
  actionSentence,
  formatSeconds,
  makeCtx,
  whatSentence,
  whenSentence,
  type Ctx,
} from "./when";
import { MANUAL_THRESHOLD } from "./chart";

type EditorModule = typeof import("./editor");
let editorModule: Promise<EditorModule> | undefined;

/** The schedule editor's module (a chunk of its own), loaded once. */
export function loadEditor(): Promise<EditorModule> {
  return (editorModule ??= import("./editor"));
}

const VIEW_ICONS: Record<View, string> = { day: mdiChartBellCurve, schedules: mdiCalendarClock, history: mdiHistory };

interface DayRow {
  channel: DayChannel;
  points: Point[];
  color: string;
}

/** Schedules by next run, those without one after them, disabled ones last. */
export function sortSchedules(schedules: Iterable<Schedule>): Schedule[] {
  const rank = (s: Schedule) => (!s.enabled ? 2 : s.next_run ? 0 : 1);
  return [...schedules].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.next_run && b.next_run ? Date.parse(a.next_run) - Date.parse(b.next_run) : 0) ||
      a.name.localeCompare(b.name),
  );
}

/** A schedule is on the card when any of its targets is among the card's entities (all when none listed). */
export function onCard(schedule: Schedule, entities: readonly string[] | null): boolean {
  return entities === null || schedule.targets.some((target) => entities.includes(target));
}

/** The parts of `hass` the views show: a change elsewhere in Home Assistant renders nothing. */
export function hassChanged(old: Hass | undefined, next: Hass | undefined, entities: Iterable<string>): boolean {
  if (!old || !next) return old !== next;
  if (
    old.locale !== next.locale ||
    old.language !== next.language ||
    old.user !== next.user ||
    old.connected !== next.connected ||
    old.config.time_zone !== next.config.time_zone ||
    old.themes?.darkMode !== next.themes?.darkMode
  ) {
    return true;
  }
  for (const id of entities) if (old.states[id] !== next.states[id]) return true;
  return false;
}

export class ReefBase extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _view: { state: true },
    _now: { state: true },
    _editor: { state: true },
    _confirm: { state: true },
    _toast: { state: true },
    _busy: { state: true },
  };

  hass?: Hass;
  /** How many times the element rendered (benchmarks and tests read it). */
  renderCount = 0;
  protected views: View[] = [...VIEWS];
  protected entities: string[] | null = null;
  protected _view: View = "day";
  protected _now = Date.now();
  protected _editor: EditorRequest | null = null;
  protected _confirm: Schedule | null = null;
  protected _toast: { text: string; error: boolean } | null = null;
  protected _busy: ReadonlySet<string> = new Set();
  protected store = new ReefStore((slice) => this.onSlice(slice));
  private ctxKey = "";
  private ctxHass: Hass | undefined = undefined;
  private ctxInfo: LocaleInfo | null = null;
  private ctxValue: Ctx | null = null;
  private minuteTimer: ReturnType<typeof setTimeout> | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private colorsKey: unknown = null;
  private colorsValue = new Map<string, string>();
  private dayRowsKey: unknown = null;
  private dayRowsValue: DayRow[] = [];

  // ---- life cycle --------------------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.store.attach();
    this.scheduleMinute();
    globalThis.addEventListener?.(TRANSLATIONS_EVENT, this.onTranslations);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.removeEventListener?.(TRANSLATIONS_EVENT, this.onTranslations);
    this.store.detach();
    if (this.minuteTimer) clearTimeout(this.minuteTimer);
    this.minuteTimer = null;
  }

  /** A language's table arrived: draw again in it. */
  private readonly onTranslations = (): void => {
    this.ctxValue = null;
    this.requestUpdate();
  };

  /** The "now" line moves once a minute (a client-side timer; the server is not polled). */
  private scheduleMinute(): void {
    if (this.minuteTimer) clearTimeout(this.minuteTimer);
    const now = this.store.now();
    this.minuteTimer = setTimeout(() => {
      this._now = this.store.now();
      const day = this.store.day;
      if (day && this.store.dayDate === null && this._now >= Date.parse(day.end)) this.store.loadDay();
      this.scheduleMinute();
    }, 60_000 - (now % 60_000) + 50);
  }

  private onSlice(slice: Slice): void {
    const view = this._view;
    if (
      slice === "channels" ||
      slice === "keeper" ||
      slice === "error" ||
      (slice === "day" && view === "day") ||
      (slice === "schedules" && view === "schedules") ||
      (slice === "actions" && view === "history")
    ) {
      this.requestUpdate();
    }
  }

  /** Entities whose state the views show: the card's, or every channel's. */
  protected watchedEntities(): string[] {
    if (this.entities) return this.entities;
    return (this.store.channels ?? []).map((channel) => channel.entity_id);
  }

  protected override shouldUpdate(changed: PropertyValues): boolean {
    if (changed.has("hass") && this.hass) this.store.setHass(this.hass);
    if (changed.size === 1 && changed.has("hass")) {
      return hassChanged(changed.get("hass") as Hass | undefined, this.hass, this.watchedEntities());
    }
    return true;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.renderCount++;
    // Native pickers (time, date, select lists) follow HA's dark mode.
    this.toggleAttribute("dark", this.hass?.themes?.darkMode === true);
    this.store.setDayVisible(this._view === "day");
    this.store.setActionsVisible(this._view === "history");
  }

  protected get ctx(): Ctx {
    // the locale is worked out once per hass object (a new one comes with every state change, not per read)
    if (this.hass !== this.ctxHass || !this.ctxInfo) {
      this.ctxHass = this.hass;
      this.ctxInfo = localeInfo(this.hass);
    }
    const info = this.ctxInfo;
    const key = `${info.language}|${info.hour12}|${info.zone}|${info.haZone}|${info.numbers ?? ""}`;
    if (key !== this.ctxKey || !this.ctxValue) {
      this.ctxKey = key;
      this.ctxValue = makeCtx(translator(info.language), info);
    }
    return this.ctxValue;
  }

  protected get admin(): boolean {
    return isAdmin(this.hass);
  }

  protected setView(view: View): void {
    if (!this.views.includes(view)) return;
    this._view = view;
  }

  // ---- frame pieces --------------------------------------------------------------------------------------------

  protected renderTabs(): TemplateResult | typeof nothing {
    if (this.views.length < 2) return nothing;
    const { t } = this.ctx;
    return html`<div class="tabs" role="tablist" aria-label=${t("view.label")}>
      ${this.views.map(
        (view) => html`<button
          class="tab ${view === this._view ? "active" : ""}"
          role="tab"
          aria-selected=${view === this._view ? "true" : "false"}
          title=${t(`view.${view}`)}
          @click=${() => this.setView(view)}
        >
          ${icon(VIEW_ICONS[view])}<span class="tab-label">${t(`view.${view}`)}</span>
        </button>`,
      )}
    </div>`;
  }

  /**
   * The keeper's mode buttons: *Feed* for everyone (it ends by itself), *Maintenance* for administrators; a
   * mode under way shows its countdown, and an administrator may end it. Modes without channels are left out.
   */
  protected renderModes(): TemplateResult {
    const keeper = this.store.keeper;
    const shown = keeper ? MODES.filter((mode) => keeper.modes[mode]?.ready && (mode === "feed" || this.admin)) : [];
    return html`<div class="modes" part="modes">${shown.map((mode) => this.renderMode(mode, keeper!.modes[mode]))}</div>`;
  }

  private renderMode(mode: ModeName, status: ModeStatus): TemplateResult {
    const { t } = this.ctx;
    const name = t(`mode.${mode}` as Key);
    const busy = this._busy.has(`mode:${mode}`);
    const glyph = icon(mode === "feed" ? mdiFish : mdiWrench);
    if (!status.active) {
      return html`<button class="btn outlined mode" ?disabled=${busy} title=${t(`mode.${mode}_hint` as Key)} @click=${() => this.startMode(mode)}>
        ${glyph}<span>${name}</span>
      </button>`;
    }
    const left = status.ends
      ? html`<bellas-reef-countdown .ends=${Date.parse(status.ends)} .now=${this.clock}></bellas-reef-countdown>`
      : t("mode.until_ended");
    return html`<span class="mode-on" role="status" aria-live="polite">
      <button class="btn filled mode" ?disabled=${busy} title=${t("mode.again")} @click=${() => this.startMode(mode)}>
        ${glyph}<span>${name}</span><span class="left">${left}</span>
      </button>
      ${this.admin
        ? html`<button class="icon-btn end" ?disabled=${busy} title=${t("mode.end", { mode: name })} aria-label=${t("mode.end", { mode: name })} @click=${() => this.endMode(mode)}>
            ${icon(mdiStop)}
          </button>`
        : nothing}
    </span>`;
  }

  /** The reef's clock, for the countdowns (one function, so that they do not render again for a new one). */
  private readonly clock = (): number => this.store.now();

  private async keeperCall(key: string, work: () => Promise<void>): Promise<void> {
    if (!this.hass) return;
    this.setBusy(key, true);
    try {
      await work();
    } catch (error) {
      this.toast(errorMessage(error), true);
    } finally {
      this.setBusy(key, false);
    }
  }

  private startMode(mode: ModeName): Promise<void> {
    return this.keeperCall(`mode:${mode}`, async () => this.store.setKeeper(await api.startMode(this.hass!, mode)));
  }

  private endMode(mode: ModeName): Promise<void> {
    return this.keeperCall(`mode:${mode}`, async () => this.store.setKeeper(await api.endMode(this.hass!, mode)));
  }

  private resume(entityId: string): Promise<void> {
    return this.keeperCall(`resume:${entityId}`, async () => {
      await api.resume(this.hass!, [entityId]);
    });
  }

  /** A chip saying what holds a channel (a mode, a change by hand) and until when; resume for administrators. */
  private renderHold(entityId: string): TemplateResult | typeof nothing {
    const hold: Hold | undefined = this.store.keeper?.holds[entityId];
    if (!hold) return nothing;
    const ctx = this.ctx;
    const { t } = ctx;
    const until = hold.until ? formatTime(hold.until, ctx.info, this.store.day?.timezone ?? ctx.info.zone) : null;
    const text =
      hold.by === "manual"
        ? until
          ? t("day.held_until", { time: until })
          : t("day.held")
        : t("day.held_mode", { mode: t(`mode.${hold.by}` as Key) });
    const glyph = hold.by === "manual" ? mdiHandBackRight : hold.by === "feed" ? mdiFish : mdiWrench;
    return html`<span class="chip held" title=${t(hold.by === "manual" ? "day.held_hint" : "day.held_mode_hint")}
        >${icon(glyph)}${text}</span
      >${hold.by === "manual" && this.admin
        ? html`<button
            class="icon-btn resume"
            ?disabled=${this._busy.has(`resume:${entityId}`)}
            title=${t("day.resume")}
            aria-label=${t("day.resume")}
            @click=${() => this.resume(entityId)}
          >
            ${icon(mdiCalendarSync)}
          </button>`
        : nothing}`;
  }

  protected renderBody(): TemplateResult {
    const error = this.store.error;
    return html`
      ${error
        ? html`<div class="banner" role="alert">${icon(mdiAlert)}<span>${this.ctx.t("error.load", { message: error })}</span></div>`
        : nothing}
      ${this._view === "day" ? this.renderDay() : this._view === "schedules" ? this.renderSchedules() : this.renderHistory()}
      ${this._editor
        ? html`<bellas-reef-editor
            .hass=${this.hass}
            .channels=${this.store.channels ?? []}
            .request=${this._editor}
            .ctx=${this.ctx}
            @editor-closed=${() => (this._editor = null)}
            @editor-saved=${(event: CustomEvent<Schedule>) => this.saved(event.detail)}
          ></bellas-reef-editor>`
        : nothing}
      ${this.renderConfirm()}
      ${this._toast
        ? html`<div class="toast ${this._toast.error ? "error" : ""}" role="status">${this._toast.text}</div>`
        : nothing}
    `;
  }

  // ---- day view ------------------------------------------------------------------------------------------------

  protected colors(): Map<string, string> {
    const channels = this.store.channels;
    if (channels !== this.colorsKey) {
      this.colorsKey = channels;
      this.colorsValue = colorsFor(channels ?? []);
    }
    return this.colorsValue;
  }

  private dayRows(): DayRow[] {
    const day = this.store.day;
    const key: unknown[] = [day, this.entities];
    const colors = this.colors();
    const known = this.dayRowsKey as unknown[] | null;
    if (known && known[0] === day && known[1] === this.entities && known[2] === colors) return this.dayRowsValue;
    key.push(colors);
    this.dayRowsKey = key;
    if (!day) return (this.dayRowsValue = []);
    let channels = day.channels;
    if (this.entities) {
      const order = this.entities;
      channels = channels
        .filter((channel) => order.includes(channel.entity_id))
        .sort((a, b) => order.indexOf(a.entity_id) - order.indexOf(b.entity_id));
    }
    this.dayRowsValue = channels.map((channel, index) => ({
      channel,
      points: parsePoints(channel.points),
      color: colors.get(channel.entity_id) ?? channelColor(channel.name, index),
    }));
    return this.dayRowsValue;
  }

  private shiftDay(days: number): void {
    const day = this.store.day;
    if (!day) return;
    const [y, m, d] = day.date.split("-").map(Number) as [number, number, number];
    const target = new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
    const today = localDate(new Date(this.store.now()), day.timezone);
    this.store.setDayDate(target === today ? null : target);
    this.requestUpdate();
  }

  protected renderDay(): TemplateResult {
    const ctx = this.ctx;
    const { t } = ctx;
    const day = this.store.day;
    if (!day && this.store.dayError) {
      return html`<div class="banner" role="alert">${icon(mdiAlert)}<span>${t("error.load", { message: this.store.dayError })}</span></div>`;
    }
    if (!day) {
      return html`<div class="day loading" aria-busy="true">
        ${[0, 1, 2].map(() => html`<div class="skeleton"></div>`)}
      </div>`;
    }
    const axis = axisOf(day.start, day.end);
    const now = this._now;
    const rows = this.dayRows();
    const lights = rows.filter((row) => row.channel.kind === "light");
    const outputs = rows.filter((row) => row.channel.kind !== "light");
    const isToday = now >= axis.start && now < axis.end;
    const dateLabel = formatShortDate(new Date((axis.start + axis.end) / 2), ctx.info, day.timezone);
    return html`<div class="day">
      <div class="toolbar">
        <div class="daynav">
          <button class="icon-btn" aria-label=${t("day.previous")} title=${t("day.previous")} @click=${() => this.shiftDay(-1)}>
            ${icon(mdiChevronLeft)}
          </button>
          <button class="btn date ${isToday ? "today" : ""}" @click=${() => this.store.setDayDate(null)} title=${t("day.today")}>
            ${isToday ? t("day.today_label", { date: dateLabel }) : dateLabel}
          </button>
          <button class="icon-btn" aria-label=${t("day.next")} title=${t("day.next")} @click=${() => this.shiftDay(1)}>
            ${icon(mdiChevronRight)}
          </button>
        </div>
        <div class="day-meta">
          ${this.renderNextUp(now)}
          ${day.timezone !== ctx.info.zone ? html`<span class="chip" title=${t("day.zone_hint")}>${day.timezone}</span>` : nothing}
        </div>
      </div>
      ${rows.length === 0 ? html`<p class="empty">${t("day.no_channels")}</p>` : nothing}
      ${lights.length
        ? html`<div class="lights">${repeat(
            lights,
            (row) => row.channel.entity_id,
            (row) => this.renderLight(row, axis, isToday ? now : null, day.timezone),
          )}</div>`
        : nothing}
      ${outputs.length
        ? html`<div class="outputs">
            ${outputs.length && lights.length ? html`<div class="section-label">${t("day.outputs")}</div>` : nothing}
            ${repeat(
              outputs,
              (row) => row.channel.entity_id,
              (row, index) => this.renderOutput(row, axis, isToday ? now : null, day.timezone, index === outputs.length - 1),
            )}
          </div>`
        : nothing}
      <div class="legend muted" aria-hidden="true">
        <span><i class="lg-line"></i>${t("day.legend_schedule")}</span>
        <span><i class="lg-now"></i>${t("day.legend_now")}</span>
        <span><i class="lg-event"></i>${t("day.legend_event")}</span>
        <span><i class="lg-manual"></i>${t("day.legend_manual")}</span>
      </div>
    </div>`;
  }

  /** The day's runs of a channel's non-curve schedules, one line per schedule: "◆ Wave boost 02:00 · 06:00 …". */
  /** The next run of any schedule on the card: what happens next on the reef. */
  private renderNextUp(now: number): TemplateResult | typeof nothing {
    const next = this.visibleSchedules().find((schedule) => schedule.enabled && schedule.next_run && Date.parse(schedule.next_run) > now);
    if (!next?.next_run) return nothing;
    const ctx = this.ctx;
    return html`<span class="next-up" title=${formatWhen(next.next_run, new Date(now), ctx.info)}
      >${ctx.t("day.next_up")} <strong>${next.name}</strong> ${formatRelative(next.next_run, new Date(now), ctx.language)}</span
    >`;
  }

  private renderEvents(row: DayRow): TemplateResult | typeof nothing {
    const events = row.channel.events;
    if (!events.length) return nothing;
    const ctx = this.ctx;
    const zone = this.store.day?.timezone ?? ctx.info.haZone;
    const groups = new Map<string, typeof events>();
    for (const event of events) {
      const list = groups.get(event.schedule_id) ?? [];
      list.push(event);
      groups.set(event.schedule_id, list);
    }
    return html`<ul class="events">
      ${[...groups.values()].map((list) => {
        const first = list[0]!;
        const times = list.slice(0, 8).map((event) => formatTime(event.time, ctx.info, zone));
        return html`<li title=${actionSentence(first.action_type, first.action_params, ctx)}>
          <i class="ev-mark" style="background:${row.color}"></i>
          <span class="ev-name">${first.schedule_name}</span>
          <span class="ev-time">${times.join(" · ")}${list.length > times.length ? " …" : ""}</span>
        </li>`;
      })}
    </ul>`;
  }

  /**
   * A light's level in its heading: Home Assistant reports where a ramp ends; on its schedule the card says
   * where the light is now and where it is going ("51 % → 20 %").
   */
  private renderLevel(
    live: number,
    heading: { level: number; target: number } | null | undefined,
    pct: (value: number) => string,
  ): TemplateResult {
    const onRamp =
      heading && Math.abs(live - heading.target) <= MANUAL_THRESHOLD && Math.abs(heading.level - heading.target) >= 1;
    if (!onRamp) return html`<span class="level">${pct(live)}</span>`;
    return html`<span class="level" title=${this.ctx.t("day.heading_hint", { target: pct(heading.target) })}
      >${pct(heading.level)}<span class="to"> → ${pct(heading.target)}</span></span
    >`;
  }

  private renderLight(row: DayRow, axis: Axis, now: number | null, zone: string): TemplateResult {
    const ctx = this.ctx;
    const { t } = ctx;
    const live = liveLevel(this.hass?.states[row.channel.entity_id]);
    const scheduled = now !== null ? levelAt(row.points, now) : null;
    const held = this.store.keeper?.holds[row.channel.entity_id];
    const manual = !held && now !== null && offCurve(row.points, now, live, MANUAL_THRESHOLD, row.channel.heading);
    const pct = (value: number) => formatPercent(Math.round(value), percentLocale(ctx.info));
    const state =
      live === null
        ? nothing
        : manual
          ? html`<span class="chip warning manual" title=${t("day.manual_hint")}
              >${t("day.manual", { live: pct(live), scheduled: pct(scheduled!) })}</span
            >`
          : held
            ? html`<span class="level">${pct(live)}</span>${this.renderHold(row.channel.entity_id)}`
            : this.renderLevel(live, row.channel.heading, pct);
    return this.renderChannel(row, axis, now, zone, { kind: "curve", live, state });
  }

  private renderOutput(row: DayRow, axis: Axis, now: number | null, zone: string, last: boolean): TemplateResult {
    const { t } = this.ctx;
    const live = liveLevel(this.hass?.states[row.channel.entity_id]);
    const state =
      live === null
        ? nothing
        : html`${this.renderHold(row.channel.entity_id)}<span class="chip ${live > 0 ? "on" : ""}"
              >${live > 0 ? t("state.on") : t("state.off")}</span
            >`;
    return this.renderChannel(row, axis, now, zone, { kind: "band", live, state, last });
  }

  /** One channel of the day view: its name and state (unavailable, else ``state``), its chart, its events. */
  private renderChannel(
    row: DayRow,
    axis: Axis,
    now: number | null,
    zone: string,
    shown: { kind: "curve" | "band"; live: number | null; state: TemplateResult | typeof nothing; last?: boolean },
  ): TemplateResult {
    const ctx = this.ctx;
    const { t } = ctx;
    const band = shown.kind === "band";
    const name = entityName(this.hass, row.channel.entity_id, row.channel.name);
    return html`<section class="channel ${band ? "output" : ""}" style="--c:${row.color}">
      <div class="ch-head">
        <span class="swatch"></span>
        <span class="ch-name">${name}</span>
        <span class="ch-state">
          ${shown.live === null ? html`<span class="chip warning">${t("state.unavailable")}</span>` : shown.state}
        </span>
      </div>
      <bellas-reef-chart
        .axis=${axis}
        .points=${row.points}
        .now=${now}
        .live=${shown.live}
        .heading=${band ? null : (row.channel.heading ?? null)}
        .events=${row.channel.events}
        .info=${ctx.info}
        .i18n=${ctx}
        .zone=${zone}
        .axisLabels=${band ? shown.last === true : true}
        color=${row.color}
        kind=${shown.kind}
        label=${t(band ? "day.band_label" : "day.chart_label", { name })}
      ></bellas-reef-chart>
      ${row.points.length === 0 ? html`<p class="note muted">${t(band ? "day.no_band" : "day.no_curve")}</p>` : nothing}
      ${this.renderEvents(row)}
    </section>`;
  }

  // ---- schedules view ------------------------------------------------------------------------------------------

  protected visibleSchedules(): Schedule[] {
    return sortSchedules([...this.store.schedules.values()].filter((schedule) => onCard(schedule, this.entities)));
  }

  protected async newSchedule(): Promise<void> {
    const targets = this.entities ?? [];
    const editor = await this.editorModule();
    if (editor) this._editor = { form: editor.newForm(targets), scheduleId: null };
  }

  /** The editor's module, loaded the first time it is opened (it is most of the card, and only an
   * administrator who edits needs it); a toast if it cannot be had. */
  private async editorModule(): Promise<EditorModule | null> {
    try {
      return await loadEditor();
    } catch (error) {
      editorModule = undefined; // try again next time
      this.toast(this.ctx.t("error.load", { message: errorMessage(error) }), true);
      return null;
    }
  }

  protected renderSchedules(): TemplateResult {
    const ctx = this.ctx;
    const { t } = ctx;
    if (!this.store.schedulesLoaded) return html`<div class="loading-line">${t("common.loading")}</div>`;
    const schedules = this.visibleSchedules();
    const admin = this.admin;
    const now = this._now;
    // A row is drawn again only when its schedule, the minute, or a channel's name changed.
    const names = this.namesKey();
    return html`<div class="schedules">
      <div class="toolbar">
        <span class="muted count">${ctx.tn("schedules.count", schedules.length)}</span>
        ${admin
          ? html`<button class="btn filled new-schedule" @click=${() => this.newSchedule()}>${icon(mdiPlus)}${t("schedules.new")}</button>`
          : nothing}
      </div>
      ${schedules.length === 0
        ? html`<div class="empty">
            <p>${admin ? t("schedules.empty_admin") : t("schedules.empty")}</p>
          </div>`
        : html`<ul class="list" role="list">
            ${repeat(
              schedules,
              (schedule) => schedule.id,
              (schedule) =>
                guard([schedule, ctx, admin, Math.floor(now / 60_000), this._busy.has(schedule.id), names, this.colors()], () =>
                  this.renderSchedule(schedule, ctx, admin, now),
                ),
            )}
          </ul>`}
    </div>`;
  }

  private namesKey(): string {
    return this.watchedEntities()
      .map((id) => this.hass?.states[id]?.attributes.friendly_name ?? "")
      .join("\u0000");
  }

  private targetNames(schedule: Schedule): TemplateResult {
    const colors = this.colors();
    const missing = new Set(schedule.missing_targets ?? []);
    return html`${schedule.targets.map(
      (target, index) =>
        html`${index ? ", " : ""}<span class="target ${missing.has(target) || !colors.has(target) ? "gone" : ""}"
            ><i class="dot" style="background:${colors.get(target) ?? "var(--reef-warning)"}"></i>${entityName(
              this.hass,
              target,
              this.channelName(target),
            )}</span
          >`,
    )}`;
  }

  private channelName(idOrEntity: string): string {
    const channel = (this.store.channels ?? []).find(
      (item) => item.entity_id === idOrEntity || item.channel_id === idOrEntity,
    );
    return channel?.name ?? idOrEntity;
  }

  /** "Acclimating · 64 %" while a schedule's acclimation holds its levels down (nothing once the factor is 1). */
  private acclimationChip(schedule: Schedule, ctx: Ctx): TemplateResult | typeof nothing {
    const factor = schedule.acclimation_factor;
    if (typeof factor !== "number" || !(factor < 1)) return nothing;
    const percent = acclimationPercent(factor, ctx);
    const end = schedule.acclimation ? acclimationEnd(schedule.acclimation, ctx) : null;
    return html`<span class="chip acclimating" title=${end ? ctx.t("schedules.acclimating_hint", { percent, date: end }) : nothing}
      >${ctx.t("schedules.acclimating", { percent })}</span
    >`;
  }

  private renderSchedule(schedule: Schedule, ctx: Ctx, admin: boolean, now: number): TemplateResult {
    const { t } = ctx;
    const busy = this._busy.has(schedule.id);
    const nowDate = new Date(now);
    const status = schedule.last_run_status;
    const missing = schedule.missing_targets ?? [];
    return html`<li class="sched ${schedule.enabled ? "" : "off"}" data-id=${schedule.id}>
      <div class="s-main">
        <div class="s-title">
          <span class="s-name">${schedule.name}</span>
          <span class="chip type">${t(`type.${schedule.schedule_type}`)}</span>
          ${schedule.enabled ? nothing : html`<span class="chip">${t("schedules.disabled")}</span>`}
          ${this.acclimationChip(schedule, ctx)}
        </div>
        <div class="s-when">${whenSentence(schedule, ctx)}</div>
        <div class="s-what"><span>${whatSentence(schedule, ctx)}</span> <span class="targets">→ ${this.targetNames(schedule)}</span></div>
        ${missing.length
          ? html`<div class="s-missing">
              <span class="chip warning" title=${missing.join(", ")}
                >${icon(mdiAlert)}${ctx.tn("schedules.missing", missing.length, { channels: missing.join(", ") })}</span
              >
            </div>`
          : nothing}
        <div class="s-runs">
          ${schedule.enabled
            ? schedule.next_run
              ? html`<span
                  ><span class="muted">${t("schedules.next")}</span>
                  <strong>${formatRelative(schedule.next_run, nowDate, ctx.language)}</strong>
                  <span class="muted">· ${formatWhen(schedule.next_run, nowDate, ctx.info)}</span></span
                >`
              : html`<span class="muted">${t("schedules.no_next")}</span>`
            : nothing}
          ${schedule.last_run
            ? html`<span
                ><span class="muted">${t("schedules.last")}</span>
                ${formatRelative(schedule.last_run, nowDate, ctx.language)}
                ${status ? html`<span class="chip ${status}">${t(`status.${status}`)}</span>` : nothing}</span
              >`
            : html`<span class="muted">${t("schedules.never_ran")}</span>`}
        </div>
        ${status === "failed" && schedule.last_error
          ? html`<div class="s-error error-text">${schedule.last_error}</div>`
          : nothing}
      </div>
      ${admin
        ? html`<div class="s-side">
            <label class="s-toggle" title=${schedule.enabled ? t("schedules.disable") : t("schedules.enable")}>
              <input
                type="checkbox"
                class="switch"
                role="switch"
                .checked=${live(schedule.enabled)}
                ?disabled=${busy}
                aria-label=${t("schedules.enabled_label", { name: schedule.name })}
                @change=${(event: Event) => this.toggle(schedule, (event.target as HTMLInputElement).checked)}
              />
            </label>
            <div class="s-actions">
              <button class="icon-btn" title=${t("schedules.run")} aria-label=${t("schedules.run")} ?disabled=${busy} @click=${() => this.runNow(schedule)}>
                ${icon(mdiPlay)}
              </button>
              <button class="icon-btn" title=${t("schedules.edit")} aria-label=${t("schedules.edit")} @click=${() => this.edit(schedule)}>
                ${icon(mdiPencil)}
              </button>
              <button class="icon-btn" title=${t("schedules.duplicate")} aria-label=${t("schedules.duplicate")} @click=${() => this.duplicate(schedule)}>
                ${icon(mdiContentCopy)}
              </button>
              <button class="icon-btn danger" title=${t("schedules.delete")} aria-label=${t("schedules.delete")} ?disabled=${busy} @click=${() => (this._confirm = schedule)}>
                ${icon(mdiDelete)}
              </button>
            </div>
          </div>`
        : nothing}
    </li>`;
  }

  private setBusy(id: string, busy: boolean): void {
    const next = new Set(this._busy);
    if (busy) next.add(id);
    else next.delete(id);
    this._busy = next;
  }

  protected toast(text: string, error = false): void {
    this._toast = { text, error };
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this._toast = null), error ? 7000 : 4000);
  }

  private async withBusy(schedule: Schedule, work: () => Promise<void>): Promise<void> {
    if (!this.hass) return;
    this.setBusy(schedule.id, true);
    try {
      await work();
    } catch (error) {
      this.toast(this.ctx.t("error.action", { name: schedule.name, message: errorMessage(error) }), true);
    } finally {
      this.setBusy(schedule.id, false);
    }
  }

  private toggle(schedule: Schedule, enabled: boolean): Promise<void> {
    return this.withBusy(schedule, async () => {
      this.store.put(await api.setEnabled(this.hass!, schedule.id, enabled));
    });
  }

  private runNow(schedule: Schedule): Promise<void> {
    return this.withBusy(schedule, async () => {
      const answer = await api.run(this.hass!, schedule.id);
      const actions = answer.actions ?? [];
      const failed = actions.filter((action) => action.status === "failed").length;
      this.toast(
        failed
          ? this.ctx.tn("schedules.ran_failed", failed, { name: schedule.name })
          : this.ctx.tn("schedules.ran", actions.length, { name: schedule.name }),
        failed > 0,
      );
    });
  }

  private async edit(schedule: Schedule): Promise<void> {
    const editor = await this.editorModule();
    if (editor) this._editor = { form: editor.formFromSchedule(schedule, this.ctx.info.haZone), scheduleId: schedule.id };
  }

  private async duplicate(schedule: Schedule): Promise<void> {
    const editor = await this.editorModule();
    if (!editor) return;
    this._editor = {
      form: editor.duplicateForm(schedule, this.ctx.info.haZone, (name) => this.ctx.t("schedules.copy_name", { name })),
      scheduleId: null,
    };
  }

  private saved(schedule: Schedule): void {
    this._editor = null;
    this.store.put(schedule);
    this.toast(this.ctx.t("editor.saved", { name: schedule.name }));
  }

  private renderConfirm(): TemplateResult | typeof nothing {
    const schedule = this._confirm;
    if (!schedule) return nothing;
    const { t } = this.ctx;
    const close = () => (this._confirm = null);
    return html`<dialog
      class="confirm"
      aria-labelledby="confirm-title"
      @close=${() => (this._confirm = null)}
      @cancel=${(event: Event) => {
        event.preventDefault();
        close();
      }}
    >
      <div class="confirm-body">
        <h2 id="confirm-title">${t("delete.title")}</h2>
        <p>${t("delete.text", { name: schedule.name })}</p>
      </div>
      <div class="confirm-actions">
        <button class="btn" @click=${close}>${t("common.cancel")}</button>
        <button
          class="btn filled danger"
          @click=${() => {
            close();
            void this.withBusy(schedule, async () => {
              await api.remove(this.hass!, schedule.id);
              this.store.drop(schedule.id);
              this.toast(t("delete.done", { name: schedule.name }));
            });
          }}
        >
          ${t("schedules.delete")}
        </button>
      </div>
    </dialog>`;
  }

  // ---- history view --------------------------------------------------------------------------------------------

  protected renderHistory(): TemplateResult {
    const ctx = this.ctx;
    const { t } = ctx;
    const actions = this.store.actions;
    const query = this.store.actionQuery;
    const channels: Channel[] = (this.store.channels ?? []).filter(
      (channel) => this.entities === null || this.entities.includes(channel.entity_id),
    );
    const shown = actions === null ? null : actions.filter((action) => this.actionOnCard(action));
    const now = new Date(this._now);
    return html`<div class="history">
      <div class="toolbar filters">
        <label class="field-inline">
          <span class="sr-only">${t("history.filter_status")}</span>
          <select
            aria-label=${t("history.filter_status")}
            @change=${(event: Event) => {
              const value = (event.target as HTMLSelectElement).value;
              void this.store.loadActions({ ...query, status: value ? (value as Action["status"]) : undefined });
            }}
          >
            <option value="" ?selected=${!query.status}>${t("history.all_statuses")}</option>
            <option value="failed" ?selected=${query.status === "failed"}>${t("history.failures")}</option>
            <option value="skipped" ?selected=${query.status === "skipped"}>${t("status.skipped")}</option>
            <option value="success" ?selected=${query.status === "success"}>${t("status.success")}</option>
          </select>
        </label>
        ${channels.length > 1
          ? html`<label class="field-inline">
              <span class="sr-only">${t("history.filter_channel")}</span>
              <select
                aria-label=${t("history.filter_channel")}
                @change=${(event: Event) => {
                  const value = (event.target as HTMLSelectElement).value;
                  void this.store.loadActions({ ...query, target: value || undefined });
                }}
              >
                <option value="" ?selected=${!query.target}>${t("history.all_channels")}</option>
                ${channels.map(
                  (channel) =>
                    html`<option value=${channel.entity_id} ?selected=${query.target === channel.entity_id}>
                      ${entityName(this.hass, channel.entity_id, channel.name)}
                    </option>`,
                )}
              </select>
            </label>`
          : nothing}
      </div>
      ${shown === null
        ? html`<div class="loading-line">${t("common.loading")}</div>`
        : shown.length === 0
          ? html`<p class="empty">${query.status === "failed" ? t("history.no_failures") : t("history.empty")}</p>`
          : html`<ul class="list actions" role="list">
              <li class="act head" aria-hidden="true">
                <span>${t("history.col_status")}</span><span>${t("history.col_what")}</span
                ><span>${t("history.col_due")}</span><span>${t("history.col_ran")}</span
                ><span>${t("history.col_late")}</span><span>${t("history.col_cause")}</span>
              </li>
              ${repeat(
                shown,
                (action) => action.id,
                (action) => guard([action, ctx, this.store.schedules.get(action.schedule_id ?? "")], () => this.renderAction(action, ctx, now)),
              )}
            </ul>`}
      ${this.store.actionsMore
        ? html`<div class="more"><button class="btn outlined" @click=${() => this.store.loadMoreActions()}>${t("history.more")}</button></div>`
        : nothing}
    </div>`;
  }

  private actionOnCard(action: Action): boolean {
    if (this.entities === null) return true;
    if (action.target_entity_id && this.entities.includes(action.target_entity_id)) return true;
    const schedule = action.schedule_id ? this.store.schedules.get(action.schedule_id) : undefined;
    return !action.target_entity_id && (!schedule || onCard(schedule, this.entities));
  }

  private renderAction(action: Action, ctx: Ctx, now: Date): TemplateResult {
    const { t } = ctx;
    const schedule = action.schedule_id ? this.store.schedules.get(action.schedule_id) : undefined;
    const target = action.target_entity_id
      ? entityName(this.hass, action.target_entity_id, this.channelName(action.target_entity_id))
      : action.target
        ? this.channelName(action.target)
        : "—";
    let lateness: string | null = null;
    if (action.executed_time) {
      const late = (Date.parse(action.executed_time) - Date.parse(action.scheduled_time)) / 1000;
      lateness = late < 1 ? t("history.on_time") : t("history.late", { duration: lateText(late, ctx) });
    }
    const cause = schedule
      ? schedule.name
      : action.caused_by.startsWith("user:")
        ? t("history.by_user")
        : action.caused_by === "manual"
          ? t("history.manual")
          : action.caused_by === "system"
            ? t("history.system")
            : action.caused_by.startsWith("schedule:")
              ? t("history.deleted_schedule")
              : action.caused_by.startsWith("mode:")
                ? t("history.by_mode", { mode: t(action.caused_by === "mode:maintenance" ? "mode.maintenance" : "mode.feed") })
                : action.caused_by === "hold"
                  ? t("history.by_hold")
                  : action.caused_by;
    const statusKey = `status.${action.status}` as Key;
    const onTime = lateness === t("history.on_time");
    return html`<li class="act ${action.status}">
      <span class="chip ${action.status} a-status">${t(statusKey)}</span>
      <div class="a-what"><strong>${target}</strong> <span class="muted">${actionSentence(action.action_type, action.action_params, ctx)}</span></div>
      <div class="a-meta">
        <span class="a-due"><span class="a-label">${t("history.due_label")}</span> ${formatWhen(action.scheduled_time, now, ctx.info)}</span>
        <span class="a-ran"
          >${action.executed_time ? html`<span class="a-label">${t("history.ran_label")}</span> ${formatTimeSeconds(action.executed_time, ctx.info)}` : "—"}</span
        >
        <span class="a-late ${lateness && !onTime ? "late" : ""}">${lateness ?? ""}</span>
        <span class="a-cause">${cause}</span>
      </div>
      ${action.error_message
        ? html`<div class="error-text a-result">${action.error_message}</div>`
        : action.result
          ? html`<div class="a-result muted">${action.result}</div>`
          : nothing}
    </li>`;
  }

  static override styles = [
    shared,
    css`
      :host {
        color-scheme: light;
      }
      :host([dark]) {
        color-scheme: dark;
      }
      .body {
        position: relative;
        container-type: inline-size;
        container-name: reef;
      }
      .tabs {
        display: inline-flex;
        gap: 2px;
        padding: 3px;
        border-radius: 20px;
        background: var(--reef-surface-strong);
      }
      .tab {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        border: none;
        background: transparent;
        padding: 0 12px;
        height: 32px;
        border-radius: 16px;
        cursor: pointer;
        color: var(--secondary-text-color);
        font-size: 13px;
        font-weight: 500;
      }
      .tab .icon {
        width: 18px;
        height: 18px;
      }
      .tab.active {
        background: color-mix(in srgb, var(--primary-color) 16%, var(--card-background-color, #fff));
        color: var(--primary-color);
        box-shadow: 0 1px 3px rgba(0, 0, 0, 0.18);
      }
      .modes:empty,
      .modes:not(:has(*)) {
        display: none;
      }
      .modes {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .btn.mode {
        min-height: 34px;
        padding: 0 12px;
        border-radius: 17px;
      }
      .btn.mode .icon {
        width: 18px;
        height: 18px;
      }
      .mode-on {
        display: inline-flex;
        align-items: center;
        gap: 2px;
      }
      .mode .left {
        font-variant-numeric: tabular-nums;
        opacity: 0.9;
        margin-left: 2px;
      }
      .chip.held {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        color: var(--primary-color);
        background: color-mix(in srgb, var(--primary-color) 14%, transparent);
        font-weight: 500;
        white-space: nowrap;
      }
      .chip.held .icon {
        width: 14px;
        height: 14px;
      }
      .icon-btn.resume,
      .icon-btn.end {
        width: 32px;
        height: 32px;
      }
      .icon-btn.resume .icon,
      .icon-btn.end .icon {
        width: 18px;
        height: 18px;
      }
      .toolbar {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        flex-wrap: wrap;
        margin-bottom: 8px;
        min-height: 40px;
      }
      .daynav {
        display: flex;
        align-items: center;
        gap: 2px;
      }
      .day-meta {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        min-width: 0;
        font-size: 13px;
        color: var(--secondary-text-color);
      }
      .next-up strong {
        color: var(--primary-text-color);
        font-weight: 500;
      }
      .btn.date {
        color: var(--primary-text-color);
        min-width: 110px;
      }
      .empty {
        text-align: center;
        color: var(--secondary-text-color);
        padding: 24px 12px;
        margin: 0;
      }
      .loading-line {
        padding: 24px;
        text-align: center;
        color: var(--secondary-text-color);
      }
      .skeleton {
        height: 120px;
        border-radius: 8px;
        margin-bottom: 12px;
        background: linear-gradient(90deg, var(--reef-surface) 25%, var(--reef-surface-strong) 50%, var(--reef-surface) 75%);
        background-size: 200% 100%;
        animation: shimmer 1.4s infinite linear;
      }
      @keyframes shimmer {
        to {
          background-position: -200% 0;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .skeleton {
          animation: none;
        }
      }
      /* day */
      .lights,
      .outputs {
        display: grid;
        gap: 18px;
      }
      .outputs {
        margin-top: 20px;
        gap: 10px;
      }
      .section-label {
        font-size: 12px;
        font-weight: 500;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--secondary-text-color);
      }
      .channel {
        min-width: 0;
      }
      .ch-head {
        display: flex;
        align-items: center;
        gap: 8px;
        margin-bottom: 6px;
        min-height: 24px;
      }
      .swatch {
        width: 10px;
        height: 10px;
        border-radius: 3px;
        background: var(--c);
        flex: none;
      }
      .ch-name {
        font-weight: 500;
        font-size: 15px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        min-width: 0;
      }
      .ch-state {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 6px;
        flex: none;
      }
      .level {
        font-size: 18px;
        font-weight: 500;
        font-variant-numeric: tabular-nums;
      }
      .chip.on {
        color: var(--c);
        background: color-mix(in srgb, var(--c) 16%, transparent);
        font-weight: 500;
      }
      .level .to {
        color: var(--secondary-text-color);
        font-weight: 400;
      }
      .chip.manual {
        font-weight: 500;
      }
      .chip.acclimating {
        color: var(--primary-color);
        background: color-mix(in srgb, var(--primary-color) 14%, transparent);
        white-space: nowrap;
      }
      .note {
        margin: 4px 0 0;
        font-size: 12px;
      }
      .output .ch-head {
        margin-bottom: 4px;
      }
      .events {
        list-style: none;
        margin: 6px 0 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        font-size: 12px;
        color: var(--secondary-text-color);
      }
      .events li {
        display: inline-flex;
        align-items: baseline;
        flex-wrap: wrap;
        gap: 0 6px;
        min-width: 0;
        max-width: 100%;
      }
      .ev-mark {
        align-self: center;
        width: 7px;
        height: 7px;
        transform: rotate(45deg);
        border-radius: 1px;
        flex: none;
      }
      .ev-time {
        font-variant-numeric: tabular-nums;
        color: var(--primary-text-color);
      }
      .ev-name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        max-width: 100%;
      }
      .ev-time {
        overflow-wrap: anywhere;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
        margin-top: 16px;
        font-size: 11.5px;
      }
      .legend span {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .legend i {
        display: inline-block;
      }
      .lg-line {
        width: 16px;
        height: 2px;
        background: var(--primary-color);
        border-radius: 1px;
      }
      .lg-now {
        width: 0;
        height: 12px;
        border-left: 1.5px dashed var(--primary-text-color);
      }
      .lg-event {
        width: 7px;
        height: 7px;
        transform: rotate(45deg);
        background: var(--secondary-text-color);
      }
      .lg-manual {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--reef-warning);
      }
      /* schedules and history lists */
      .list {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .sched,
      .act {
        display: flex;
        gap: 12px;
        padding: 12px 0;
        border-top: 1px solid var(--divider-color);
      }
      .sched:first-child,
      .act:first-child {
        border-top: none;
      }
      .sched.off .s-main {
        opacity: 0.62;
      }
      .s-main,
      .a-main {
        flex: 1;
        min-width: 0;
        display: grid;
        gap: 3px;
      }
      .s-title {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
      }
      .s-name {
        font-weight: 500;
        font-size: 15px;
        overflow-wrap: anywhere;
      }
      .s-when {
        font-size: 14px;
      }
      .s-what,
      .s-runs,
      .a-meta {
        font-size: 13px;
        overflow-wrap: anywhere;
      }
      .targets {
        color: var(--secondary-text-color);
      }
      .target {
        white-space: nowrap;
      }
      .target .dot {
        display: inline-block;
        width: 8px;
        height: 8px;
        border-radius: 2px;
        margin-right: 4px;
        vertical-align: 0;
      }
      .target.gone {
        color: color-mix(in srgb, var(--reef-warning) 75%, var(--primary-text-color));
      }
      .s-runs {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 14px;
        align-items: center;
      }
      .s-runs strong {
        font-weight: 500;
      }
      .s-error,
      .a-result {
        font-size: 13px;
        overflow-wrap: anywhere;
      }
      .s-missing .chip .icon {
        width: 14px;
        height: 14px;
      }
      .s-side {
        display: flex;
        flex-direction: row-reverse;
        align-items: center;
        align-self: flex-start;
        gap: 4px;
        flex: none;
        margin-top: -6px;
      }
      .s-toggle {
        display: inline-flex;
        padding: 10px 4px 10px 10px;
        cursor: pointer;
      }
      .s-actions {
        display: flex;
        gap: 0;
      }
      @container reef (max-width: 520px) {
        .sched {
          flex-direction: column;
          gap: 4px;
        }
        .s-side {
          justify-content: space-between;
          align-self: stretch;
          margin: 0 -8px -6px;
        }
        .s-toggle {
          padding: 8px;
        }
        .tab-label {
          display: none;
        }
        .tab {
          padding: 0 14px;
        }
      }
      .act {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        gap: 2px 12px;
        align-items: baseline;
      }
      .act.head {
        display: none;
      }
      .a-status {
        grid-row: span 3;
        align-self: start;
        min-width: 84px;
        justify-content: center;
      }
      .a-what {
        font-size: 14px;
        overflow-wrap: anywhere;
      }
      .a-what strong {
        font-weight: 500;
      }
      .a-meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0 12px;
        font-size: 13px;
        color: var(--secondary-text-color);
        font-variant-numeric: tabular-nums;
      }
      .a-meta .late {
        color: color-mix(in srgb, var(--reef-warning) 75%, var(--primary-text-color));
      }
      .a-late:empty {
        display: none;
      }
      .a-cause {
        font-style: italic;
        overflow-wrap: anywhere;
      }
      .a-result {
        grid-column: 2;
      }
      @container reef (min-width: 760px) {
        .act,
        .act.head {
          display: grid;
          grid-template-columns: 96px minmax(200px, 2.2fr) minmax(96px, 0.8fr) minmax(110px, 0.9fr) minmax(84px, 0.7fr) minmax(120px, 1.4fr);
          align-items: baseline;
          padding: 10px 0;
        }
        .act.head {
          font-size: 12px;
          font-weight: 500;
          color: var(--secondary-text-color);
          padding: 4px 0 8px;
          border-top: none;
        }
        .act.head + .act {
          border-top: 1px solid var(--divider-color);
        }
        .a-status {
          grid-row: auto;
        }
        .a-meta {
          display: contents;
        }
        .a-label {
          display: none;
        }
        .a-late:empty {
          display: block;
        }
        .a-result {
          grid-column: 2 / -1;
        }
      }
      .filters {
        justify-content: flex-start;
      }
      .field-inline select {
        height: 36px;
        padding: 0 28px 0 10px;
        border-radius: 8px;
        border: 1px solid var(--divider-color);
        background: var(--card-background-color, transparent);
        max-width: 100%;
      }
      .more {
        display: flex;
        justify-content: center;
        padding: 12px 0 4px;
      }
      .toast {
        position: sticky;
        bottom: 8px;
        margin: 12px auto 0;
        width: fit-content;
        max-width: 100%;
        padding: 10px 16px;
        border-radius: 8px;
        background: var(--primary-text-color);
        color: var(--card-background-color, #fff);
        font-size: 14px;
        box-shadow: 0 4px 12px rgba(0, 0, 0, 0.25);
        z-index: 3;
      }
      .toast.error {
        background: var(--reef-error);
        color: #fff;
      }
      dialog.confirm {
        width: 400px;
      }
      .confirm-body {
        padding: 24px 24px 8px;
      }
      .confirm-body h2 {
        margin: 0 0 8px;
        font-size: 20px;
        font-weight: 500;
      }
      .confirm-body p {
        margin: 0;
        color: var(--secondary-text-color);
        line-height: 1.45;
      }
      .confirm-actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        padding: 16px 20px 20px;
      }
    `,
  ];

  protected override firstUpdated(): void {
    // Open a confirm dialog as a modal as soon as it is rendered (see updated()).
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>("dialog.confirm");
    if (dialog && !dialog.open) dialog.showModal?.();
  }
}

function lateText(seconds: number, ctx: Ctx): string {
  if (seconds < 60) return ctx.t("unit.s", { n: Math.round(seconds * 10) / 10 });
  return formatSeconds(seconds, ctx);
}

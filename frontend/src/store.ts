// The data behind one card or panel: one subscription, the lists it keeps current, the day's curves.
// It tells its element which slice changed; the element decides whether that slice is on screen.

import {
  api,
  errorMessage,
  type Action,
  type ActionStatus,
  type Channel,
  type Day,
  type KeeperStatus,
  type Schedule,
  type ScheduleEvent,
} from "./api";
import type { Hass, Unsubscribe } from "./hass";

export type Slice = "channels" | "schedules" | "actions" | "day" | "keeper" | "error";

export interface ActionQuery {
  status?: ActionStatus;
  target?: string;
}

export const ACTIONS_PAGE = 100;
export const DAY_DEBOUNCE_MS = 500;

export class ReefStore {
  channels: Channel[] | null = null;
  schedules = new Map<string, Schedule>();
  schedulesLoaded = false;
  actions: Action[] | null = null;
  actionsLimit = ACTIONS_PAGE;
  /** The server returned as many actions as asked for: there may be more. */
  actionsMore = false;
  actionQuery: ActionQuery = {};
  day: Day | null = null;
  /** The date shown ("YYYY-MM-DD"); null: today in HA's zone. */
  dayDate: string | null = null;
  dayLoading = false;
  dayError: string | null = null;
  /** Server clock minus browser clock (from the day's `now`), so the "now" line is the reef's now. */
  clockOffset = 0;
  error: string | null = null;
  /** The keeper's modes and holds (null until known; a server without them leaves it null). */
  keeper: KeeperStatus | null = null;

  private hass: Hass | undefined;
  private attached = false;
  private generation = 0;
  private unsubscribe: Promise<Unsubscribe> | null = null;
  private dayTimer: ReturnType<typeof setTimeout> | null = null;
  private dayStale = false;
  private daySeq = 0; // the latest day request: an earlier one answering late is dropped
  private dayVisible = false;
  private actionsWanted = false;
  private targets: string[] | null = null;
  private readyListener = () => this.reload();
  private connection: Hass["connection"] | null = null;

  constructor(private readonly notify: (slice: Slice) => void) {}

  get started(): boolean {
    return this.unsubscribe !== null;
  }

  setHass(hass: Hass): void {
    this.hass = hass;
    this.maybeStart();
  }

  /** The card's entities (null: every channel): the day's curves are fetched for them. */
  setTargets(targets: string[] | null): void {
    const same = JSON.stringify(targets) === JSON.stringify(this.targets);
    this.targets = targets;
    if (!same && this.started) this.loadDay();
  }

  attach(): void {
    this.attached = true;
    this.maybeStart();
  }

  detach(): void {
    this.attached = false;
    this.stop();
  }

  /** Whether the day view is on screen: a schedule event re-fetches the curves only then (else later). */
  setDayVisible(visible: boolean): void {
    this.dayVisible = visible;
    if (visible && this.dayStale && this.started) this.loadDay();
  }

  /** Whether the history view is on screen: its list is fetched the first time it is. */
  setActionsVisible(visible: boolean): void {
    this.actionsWanted = this.actionsWanted || visible;
    if (visible && this.actions === null && this.started) void this.loadActions();
  }

  private maybeStart(): void {
    if (this.started || !this.attached || !this.hass || this.hass.connected === false) return;
    const hass = this.hass;
    const generation = ++this.generation;
    this.unsubscribe = api.subscribe(hass, (event) => {
      if (generation === this.generation) this.onEvent(event);
    });
    this.unsubscribe.catch((error: unknown) => this.fail(error));
    this.connection = hass.connection;
    this.connection.addEventListener?.("ready", this.readyListener);
    this.reload();
  }

  private stop(): void {
    this.generation++;
    if (this.dayTimer) clearTimeout(this.dayTimer);
    this.dayTimer = null;
    this.connection?.removeEventListener?.("ready", this.readyListener);
    this.connection = null;
    const pending = this.unsubscribe;
    this.unsubscribe = null;
    if (pending) {
      pending.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    }
  }

  /** Everything again (at start, and after the websocket reconnected); an earlier failure is forgotten. */
  reload(): void {
    this.error = null;
    void this.loadChannels();
    void this.loadSchedules();
    void this.loadKeeper();
    this.loadDay();
    if (this.actionsWanted) void this.loadActions();
  }

  private fail(error: unknown): void {
    this.error = errorMessage(error);
    this.notify("error");
  }

  private async loadChannels(): Promise<void> {
    const generation = this.generation;
    try {
      const channels = await api.channels(this.hass!);
      if (generation !== this.generation) return;
      this.channels = channels;
      this.notify("channels");
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private async loadSchedules(): Promise<void> {
    const generation = this.generation;
    try {
      const schedules = await api.schedules(this.hass!);
      if (generation !== this.generation) return;
      this.schedules = new Map(schedules.map((schedule) => [schedule.id, schedule]));
      this.schedulesLoaded = true;
      this.notify("schedules");
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private async loadKeeper(): Promise<void> {
    const generation = this.generation;
    try {
      const keeper = await api.keeper(this.hass!);
      if (generation !== this.generation) return;
      this.keeper = keeper;
      this.notify("keeper");
    } catch {
      // a server without the keeper's commands: the card shows no mode buttons
    }
  }

  /** Puts the keeper's status a command answered with in place at once (its event follows). */
  setKeeper(keeper: KeeperStatus): void {
    this.onEvent({ event: "keeper", keeper });
  }

  /** The day's curves now (or, when the day view is hidden, the next time it is shown). */
  loadDay(): void {
    if (this.dayTimer) clearTimeout(this.dayTimer);
    this.dayTimer = null;
    if (!this.hass) return;
    this.dayStale = false;
    const generation = this.generation;
    const seq = ++this.daySeq;
    const hass = this.hass;
    this.dayLoading = true;
    const request = { ...(this.dayDate ? { date: this.dayDate } : {}), ...(this.targets ? { targets: this.targets } : {}) };
    api
      .day(hass, request)
      .then((day) => {
        if (generation !== this.generation || seq !== this.daySeq) return;
        this.day = day;
        this.dayError = null;
        const serverNow = Date.parse(day.now);
        if (Number.isFinite(serverNow)) this.clockOffset = serverNow - Date.now();
        this.dayLoading = false;
        this.notify("day");
      })
      .catch((error: unknown) => {
        if (generation !== this.generation || seq !== this.daySeq) return;
        this.dayLoading = false;
        this.dayError = errorMessage(error);
        this.notify("day");
      });
  }

  now(): number {
    return Date.now() + this.clockOffset;
  }

  setDayDate(date: string | null): void {
    this.dayDate = date;
    this.loadDay();
  }

  private dayChanged(): void {
    if (!this.dayVisible) {
      this.dayStale = true;
      return;
    }
    if (this.dayTimer) clearTimeout(this.dayTimer);
    this.dayTimer = setTimeout(() => this.loadDay(), DAY_DEBOUNCE_MS);
  }

  async loadActions(query: ActionQuery = this.actionQuery, limit = this.actionsLimit): Promise<void> {
    if (!this.hass) return;
    const generation = this.generation;
    this.actionQuery = query;
    this.actionsLimit = limit;
    try {
      const actions = await api.actions(this.hass, { ...query, limit });
      if (generation !== this.generation || query !== this.actionQuery) return;
      this.actions = actions;
      this.actionsMore = actions.length >= limit;
      this.notify("actions");
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  loadMoreActions(): Promise<void> {
    return this.loadActions(this.actionQuery, this.actionsLimit + ACTIONS_PAGE);
  }

  private matches(action: Action): boolean {
    const { status, target } = this.actionQuery;
    return (!status || action.status === status) && (!target || action.target_entity_id === target);
  }

  onEvent(event: ScheduleEvent): void {
    switch (event.event) {
      case "schedule": {
        const known = this.schedules.get(event.schedule.id);
        if (known && JSON.stringify(known) === JSON.stringify(event.schedule)) return;
        const next = new Map(this.schedules);
        next.set(event.schedule.id, event.schedule);
        this.schedules = next;
        this.notify("schedules");
        this.dayChanged();
        break;
      }
      case "removed": {
        if (!this.schedules.has(event.schedule_id)) return;
        const next = new Map(this.schedules);
        next.delete(event.schedule_id);
        this.schedules = next;
        this.notify("schedules");
        this.dayChanged();
        break;
      }
      case "keeper": {
        if (JSON.stringify(this.keeper) === JSON.stringify(event.keeper)) return;
        this.keeper = event.keeper;
        this.notify("keeper");
        break;
      }
      case "action": {
        if (this.actions === null) return;
        const action = event.action;
        const index = this.actions.findIndex((item) => item.id === action.id);
        if (index >= 0) {
          const next = [...this.actions];
          if (this.matches(action)) next[index] = action;
          else next.splice(index, 1);
          this.actions = next;
        } else if (this.matches(action)) {
          this.actions = [action, ...this.actions].slice(0, this.actionsLimit); // the page stays a page
          this.actionsMore ||= this.actions.length >= this.actionsLimit;
        } else {
          return;
        }
        this.notify("actions");
        break;
      }
    }
  }

  /** Puts a schedule the server answered with in place at once (the event follows and changes nothing). */
  put(schedule: Schedule): void {
    this.onEvent({ event: "schedule", schedule });
  }

  drop(scheduleId: string): void {
    this.onEvent({ event: "removed", schedule_id: scheduleId });
  }
}

// <bellas-reef-editor>: create or edit a schedule in a dialog (full screen on a phone). The unsaved schedule is
// checked by the server as it is typed (debounced) and previewed when valid; nothing is stored before Save.

import { define } from "./define";
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { guard } from "lit/directives/guard.js";
import {
  ACTION_TYPES,
  FREQUENCIES,
  INTERPOLATIONS,
  PRESETS,
  SCHEDULE_TYPES,
  WEEKDAYS,
  api,
  errorMessage,
  type Channel,
  type Preview,
  type Problem,
  type Schedule,
  type SchedulePayload,
  type Validation,
  type Weekday,
} from "./api";
import "./chart";
import { colorsFor } from "./colors";
import { formatDateTime, formatRelative, formatWeekdayLong, formatWeekdayShort, localDate } from "./format";
import {
  MAX_POINTS,
  MIN_POINTS,
  UNITS,
  defaultAcclimation,
  defaultClouds,
  formErrors,
  nextPoint,
  payloadFromForm,
  pointsInOrder,
  sameForm,
  sortPoints,
  takesAcclimation,
  type AcclimationForm,
  type CloudsForm,
  type Duration,
  type FormError,
  type OffsetForm,
  type PointForm,
  type ScheduleForm,
  type Unit,
} from "./form";
import { axisOf, parsePoints, type Axis, type Point } from "./geometry";
import { entityName, type Hass } from "./hass";
import type { Key } from "./i18n";
import { icon, mdiAlertCircle, mdiCheckCircle, mdiClose, mdiPlus, mdiDelete } from "./icons";
import { ACCLIMATION_CONTROLS, CLOUD_CONTROLS, COMMON_CONTROLS, placeProblems, type PlacedProblem, type ProblemMap } from "./problems";
import { shared } from "./styles";
import { acclimationPercent, acclimationSentence, cronSentence, instantIn, whatSentence, whenSentence, type Ctx } from "./when";

export interface EditorRequest {
  form: ScheduleForm;
  /** The schedule being edited; null for a new one (or a duplicate). */
  scheduleId: string | null;
}

export const CHECK_DEBOUNCE_MS = 400;
/** Seconds between the samples of a curved (linear-light) ramp in the preview; straight ramps are exact. */
const PREVIEW_RESOLUTION = 300;

const TYPE_FIELDS = ["run_at", "interval_seconds", "cron_expression", "frequency", "times", "every", "weekdays", "days_of_month", "preset", "preset_params"] as const;

/** An update is partial: the fields of the other types are sent as null, so a type change leaves none behind. */
export function updateChanges(payload: SchedulePayload): Record<string, unknown> {
  const changes: Record<string, unknown> = { ...payload };
  for (const name of TYPE_FIELDS) if (!(name in changes)) changes[name] = null;
  if (payload.schedule_type === "static") {
    changes.action_type = null;
    changes.action_params = null;
  }
  return changes;
}

let zonesCache: string[] | null = null;
function allZones(): string[] {
  if (!zonesCache) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    try {
      zonesCache = intl.supportedValuesOf?.("timeZone") ?? [];
    } catch {
      zonesCache = [];
    }
  }
  return zonesCache;
}

export class ReefEditor extends LitElement {
  static override properties = {
    hass: { attribute: false },
    channels: { attribute: false },
    request: { attribute: false },
    ctx: { attribute: false },
    _form: { state: true },
    _validation: { state: true },
    _preview: { state: true },
    _checking: { state: true },
    _saving: { state: true },
    _saveError: { state: true },
    _checkError: { state: true },
    _showAll: { state: true },
    _discard: { state: true },
    _touched: { state: true },
  };

  hass?: Hass;
  channels: Channel[] = [];
  request!: EditorRequest;
  ctx!: Ctx;
  private _form!: ScheduleForm;
  private initial!: ScheduleForm;
  private _validation: Validation | null = null;
  private _preview: Preview | null = null;
  private _checking = false;
  private _saving = false;
  private _saveError: string | null = null;
  private _checkError: string | null = null;
  private _showAll = false;
  private _discard = false;
  private _touched: ReadonlySet<string> = new Set();
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private sequence = 0;
  private placedCache: { key: unknown; map: ProblemMap } | null = null;
  /** What a switch turned off held (clouds of each preset, acclimation): turned on again, it comes back. */
  private putAway = new Map<string, unknown>();

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("request") && this.request) {
      this._form = structuredClone(this.request.form);
      this.initial = structuredClone(this.request.form);
      this._validation = null;
      this._preview = null;
      this._showAll = false;
      this._touched = new Set();
    }
  }

  protected override firstUpdated(): void {
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal?.();
    this.renderRoot.querySelector<HTMLInputElement>("#f-name")?.focus();
    void this.check();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.sequence++;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog.editor");
  }

  private get haZone(): string {
    return this.ctx.info.haZone;
  }

  get dirty(): boolean {
    return !sameForm(this._form, this.initial);
  }

  // ---- state -------------------------------------------------------------------------------------------------

  private set(control: string, change: (form: ScheduleForm) => void): void {
    const form = structuredClone(this._form);
    change(form);
    this._form = form;
    this.touch(control);
    this.scheduleCheck();
  }

  /** A control's problems show from now on (it was changed, or what it depends on was). */
  private touch(control: string): void {
    if (!this._touched.has(control)) this._touched = new Set([...this._touched, control]);
  }

  private scheduleCheck(): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => void this.check(), CHECK_DEBOUNCE_MS);
  }

  /** Asks the server what is wrong with the unsaved schedule and, when nothing is, for its preview. */
  async check(): Promise<void> {
    if (!this.hass) return;
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = null;
    const sequence = ++this.sequence;
    const form = this._form;
    const payload = payloadFromForm(form, this.haZone);
    this._checking = true;
    try {
      const validation = await api.validate(this.hass, payload, this.request.scheduleId ?? undefined);
      if (sequence !== this.sequence) return;
      this._validation = validation;
      this._checkError = null;
      if (validation.valid && formErrors(form).length === 0) {
        const preview = await api.preview(this.hass, { schedule: payload, count: 5, resolution: PREVIEW_RESOLUTION });
        if (sequence !== this.sequence) return;
        this._preview = preview;
      } else {
        this._preview = null;
      }
    } catch (error) {
      if (sequence !== this.sequence) return;
      this._preview = null;
      this._checkError = errorMessage(error);
    } finally {
      if (sequence === this.sequence) this._checking = false;
    }
  }

  private async save(): Promise<void> {
    if (!this.hass || this._saving) return;
    this._showAll = true;
    if (formErrors(this._form).length) return;
    const payload = payloadFromForm(this._form, this.haZone, true);
    this._saving = true;
    this._saveError = null;
    try {
      const id = this.request.scheduleId;
      const saved: Schedule = id
        ? await api.update(this.hass, id, updateChanges(payload) as Partial<SchedulePayload>)
        : await api.create(this.hass, payload);
      this.initial = this._form;
      this.dispatchEvent(new CustomEvent<Schedule>("editor-saved", { detail: saved, bubbles: true, composed: true }));
      this.dialog?.close();
    } catch (error) {
      // A refused save keeps the dialog open with the problems where they belong.
      this._saveError = errorMessage(error);
      await this.check();
      if (this._validation && !this._validation.valid) this._saveError = null;
    } finally {
      this._saving = false;
    }
  }

  private requestClose(): void {
    if (this.dirty) {
      this._discard = true;
      return;
    }
    this.close();
  }

  private closed = false;

  private close(): void {
    this.dialog?.close();
    this.onClosed();
  }

  /** However the dialog closed (our buttons, or the browser after repeated Esc), the card hears it once. */
  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.dispatchEvent(new CustomEvent("editor-closed", { bubbles: true, composed: true }));
  }

  private onKeydown(event: KeyboardEvent): void {
    const target = event.composedPath()[0] as HTMLElement | undefined;
    // Enter in a field never submits (there is no form element; this keeps it so in every browser).
    if (event.key === "Enter" && target instanceof HTMLInputElement) event.preventDefault();
  }

  // ---- problems ----------------------------------------------------------------------------------------------

  /** Controls on screen now: a problem for any other goes to the banner. */
  private shownControls(form: ScheduleForm): Set<string> {
    const shown = new Set(COMMON_CONTROLS);
    switch (form.schedule_type) {
      case "one_off":
        shown.add("run_at");
        break;
      case "interval":
        shown.add("interval");
        break;
      case "cron":
        shown.add("cron_expression");
        break;
      case "recurring":
        ["frequency", "times", "every"].forEach((control) => shown.add(control));
        if (form.frequency === "weekly") shown.add("weekdays");
        if (form.frequency === "monthly") shown.add("days_of_month");
        break;
      case "static": {
        shown.add("preset");
        shown.add("preset_params");
        const params = form.presets[form.preset] as Record<string, unknown>;
        Object.keys(params).forEach((name) => shown.add(`preset.${name}`));
        // The new-moon floor is shown with "follow the moon" only; the clouds' fields with the clouds.
        if ("follow_moon" in params && params.follow_moon !== true) shown.delete("preset.min_level");
        if (params.clouds) CLOUD_CONTROLS.forEach((name) => shown.add(`preset.clouds.${name}`));
        break;
      }
    }
    if (form.schedule_type !== "static") {
      shown.add("action_type");
      shown.add("action");
      for (const name of actionControls(form.action.type)) shown.add(`action.${name}`);
    }
    if (takesAcclimation(form)) {
      shown.add("acclimation");
      if (form.acclimation) ACCLIMATION_CONTROLS.forEach((name) => shown.add(`acclimation.${name}`));
    }
    return shown;
  }

  private get placed(): ProblemMap {
    const problems = this._validation?.problems ?? [];
    const form = this._form;
    const params = form.presets[form.preset] as Record<string, unknown>;
    const shape = `${form.schedule_type}|${form.action.type}|${form.preset}|${form.frequency}|${!!params.clouds}|${params.follow_moon === true}|${!!form.acclimation}`;
    const key = [problems, shape];
    const cached = this.placedCache;
    if (cached && (cached.key as unknown[]).every((item, index) => item === (key as unknown[])[index])) return cached.map;
    const map = placeProblems(problems, this.shownControls(this._form));
    this.placedCache = { key, map };
    return map;
  }

  /** A control's problems show once it, a control it is part of, or a part of it was changed (or on Save). */
  private visible(control: string): boolean {
    if (this._showAll) return true;
    for (const touched of this._touched) {
      if (touched === control || control.startsWith(`${touched}.`) || touched.startsWith(`${control}.`)) return true;
    }
    return false;
  }

  private problemsAt(control: string): PlacedProblem[] {
    if (!this.visible(control)) return [];
    return this.placed.byControl.get(control) ?? [];
  }

  private clientErrors(): FormError[] {
    return formErrors(this._form);
  }

  private clientMessage(error: FormError): string {
    return error.reason === "json" ? this.ctx.t("editor.json_invalid") : this.ctx.t("editor.days_invalid");
  }

  private problemList(control: string, index?: number): TemplateResult | typeof nothing {
    const problems = this.problemsAt(control).filter((problem) => index === undefined || problem.index === index);
    const client = this.visible(control) ? this.clientErrors().filter((error) => error.control === control) : [];
    if (!problems.length && !client.length) return nothing;
    return html`<div class="problems" id="p-${control}" role="alert">
      ${problems.map((problem) => html`<div class="problem">${problem.message}</div>`)}
      ${index === undefined ? client.map((error) => html`<div class="problem">${this.clientMessage(error)}</div>`) : nothing}
    </div>`;
  }

  private invalid(control: string): boolean {
    return (
      this.problemsAt(control).length > 0 ||
      (this.visible(control) && this.clientErrors().some((error) => error.control === control))
    );
  }

  // ---- building blocks ---------------------------------------------------------------------------------------

  private field(
    control: string,
    label: string,
    input: TemplateResult,
    options: { hint?: string | TemplateResult; wide?: boolean; indexed?: boolean } = {},
  ): TemplateResult {
    const invalid = this.invalid(control);
    return html`<div class="field ${options.wide ? "wide" : ""} ${invalid ? "invalid" : ""}">
      <label class="label" for="f-${control}">${label}</label>
      ${input}
      ${options.hint ? html`<div class="hint">${options.hint}</div>` : nothing}
      ${options.indexed ? this.unindexed(control) : this.problemList(control)}
    </div>`;
  }

  /** The problems of a list control that name no item (those naming one show beside the item). */
  private unindexed(control: string): TemplateResult | typeof nothing {
    const problems = this.problemsAt(control).filter((problem) => problem.index === undefined);
    const client = this.visible(control) ? this.clientErrors().filter((error) => error.control === control) : [];
    if (!problems.length && !client.length) return nothing;
    return html`<div class="problems" role="alert">
      ${problems.map((problem) => html`<div class="problem">${problem.message}</div>`)}
      ${client.map((error) => html`<div class="problem">${this.clientMessage(error)}</div>`)}
    </div>`;
  }

  private numberInput(
    control: string,
    value: number | null,
    change: (value: number | null) => void,
    options: { min?: number; max?: number; step?: number | "any"; unit?: string; placeholder?: string } = {},
  ): TemplateResult {
    return html`<div class="with-unit">
      <input
        id="f-${control}"
        type="number"
        inputmode="decimal"
        .value=${value === null ? "" : String(value)}
        min=${options.min ?? ""}
        max=${options.max ?? ""}
        step=${options.step ?? "any"}
        placeholder=${options.placeholder ?? ""}
        aria-invalid=${this.invalid(control) ? "true" : "false"}
        aria-describedby="p-${control}"
        @input=${(event: Event) => {
          const text = (event.target as HTMLInputElement).value;
          const parsed = text === "" ? null : Number(text);
          change(parsed === null || Number.isNaN(parsed) ? null : parsed);
        }}
      />
      ${options.unit ? html`<span class="unit">${options.unit}</span>` : nothing}
    </div>`;
  }

  private percentInput(control: string, value: number | null, change: (value: number | null) => void, placeholder?: string) {
    return this.numberInput(control, value, change, { min: 0, max: 100, step: "any", unit: "%", placeholder });
  }

  private durationInput(control: string, value: Duration, change: (value: Duration) => void, placeholder?: string) {
    const { t } = this.ctx;
    return html`<div class="duration">
      ${this.numberInput(control, value.value, (number) => change({ ...value, value: number }), { min: 0, placeholder })}
      <select
        aria-label=${t("editor.unit")}
        .value=${value.unit}
        @change=${(event: Event) => change({ ...value, unit: (event.target as HTMLSelectElement).value as Unit })}
      >
        ${UNITS.map((unit) => html`<option value=${unit} ?selected=${unit === value.unit}>${t(`unit_name.${unit}`)}</option>`)}
      </select>
    </div>`;
  }

  private timeInput(control: string, value: string, change: (value: string) => void, index?: number) {
    return html`<input
      id=${index === undefined ? `f-${control}` : `f-${control}-${index}`}
      type="time"
      .value=${value}
      aria-invalid=${this.invalid(control) ? "true" : "false"}
      @input=${(event: Event) => change((event.target as HTMLInputElement).value)}
    />`;
  }

  private select<T extends string>(
    control: string,
    value: T,
    options: readonly T[],
    label: (value: T) => string,
    change: (value: T) => void,
  ): TemplateResult {
    return html`<select
      id="f-${control}"
      aria-invalid=${this.invalid(control) ? "true" : "false"}
      @change=${(event: Event) => change((event.target as HTMLSelectElement).value as T)}
    >
      ${options.map((option) => html`<option value=${option} ?selected=${option === value}>${label(option)}</option>`)}
    </select>`;
  }

  private timesList(control: string, values: string[], change: (values: string[]) => void): TemplateResult {
    const { t } = this.ctx;
    return html`<div class="times" id="f-${control}">
      ${values.map(
        (value, index) => html`<div class="time-row ${this.problemsAt(control).some((p) => p.index === index) ? "invalid" : ""}">
          ${this.timeInput(control, value, (next) => change(values.map((item, i) => (i === index ? next : item))), index)}
          <button
            class="icon-btn"
            title=${t("editor.remove_time")}
            aria-label=${t("editor.remove_time")}
            ?disabled=${values.length <= 1}
            @click=${() => change(values.filter((_, i) => i !== index))}
          >
            ${icon(mdiDelete)}
          </button>
          ${this.problemList(control, index)}
        </div>`,
      )}
      <button class="btn add" @click=${() => change([...values, ""])}>${icon(mdiPlus)}${t("editor.add_time")}</button>
    </div>`;
  }

  // ---- sections ----------------------------------------------------------------------------------------------

  private renderTargets(): TemplateResult {
    const { t } = this.ctx;
    const form = this._form;
    const known = new Set(this.channels.map((channel) => channel.entity_id));
    const extra = form.targets.filter((target) => !known.has(target));
    const problems = this.problemsAt("targets");
    const chip = (entityId: string, name: string, color: string, missing = false) => {
      const checked = form.targets.includes(entityId);
      const index = form.targets.indexOf(entityId);
      const bad = problems.some((problem) => problem.index === index && index >= 0);
      return html`<label class="pick ${checked ? "checked" : ""} ${missing || bad ? "missing" : ""}" style="--c:${color}">
        <input
          type="checkbox"
          .checked=${checked}
          @change=${(event: Event) => {
            const on = (event.target as HTMLInputElement).checked;
            this.set("targets", (f) => {
              f.targets = on ? [...f.targets.filter((x) => x !== entityId), entityId] : f.targets.filter((x) => x !== entityId);
            });
            // A profile's offsets name some of the targets: what the change does to them shows at once.
            if (this._form.presets.profile.offsets.length) this.touch("preset.offsets");
          }}
        />
        <span class="swatch"></span>${name}
      </label>`;
    };
    const colors = colorsFor(this.channels);
    const lights = this.channels.filter((channel) => channel.kind === "light");
    const outputs = this.channels.filter((channel) => channel.kind !== "light");
    const indexed = problems.filter((problem) => problem.index !== undefined);
    return html`<div class="field wide ${problems.length ? "invalid" : ""}">
      <span class="label" id="f-targets">${t("editor.targets")}</span>
      <div class="picks" role="group" aria-labelledby="f-targets">
        ${[...lights, ...outputs].map((channel) =>
          chip(channel.entity_id, entityName(this.hass, channel.entity_id, channel.name), colors.get(channel.entity_id)!),
        )}
        ${extra.map((target) => chip(target, entityName(this.hass, target), "var(--reef-warning)", true))}
      </div>
      ${indexed.length
        ? html`<div class="problems" role="alert">
            ${indexed.map(
              (problem) =>
                html`<div class="problem">${entityName(this.hass, form.targets[problem.index!] ?? "")}: ${problem.message}</div>`,
            )}
          </div>`
        : nothing}
      ${this.unindexed("targets")}
    </div>`;
  }

  private renderWhen(): TemplateResult {
    const { t } = this.ctx;
    const form = this._form;
    const fields: TemplateResult[] = [];
    switch (form.schedule_type) {
      case "one_off":
        fields.push(
          this.field(
            "run_at",
            t("editor.run_at"),
            html`<input
              id="f-run_at"
              type="datetime-local"
              .value=${form.run_at}
              aria-invalid=${this.invalid("run_at") ? "true" : "false"}
              @input=${(event: Event) => this.set("run_at", (f) => (f.run_at = (event.target as HTMLInputElement).value))}
            />`,
            { hint: this.zoneHint() },
          ),
        );
        break;
      case "interval":
        fields.push(
          this.field("interval", t("editor.interval"), this.durationInput("interval", form.interval, (d) => this.set("interval", (f) => (f.interval = d)))),
        );
        break;
      case "cron": {
        // The expression in words, when there are words for it and the server found nothing wrong with it.
        const raw = form.cron_expression.trim().replace(/\s+/g, " ");
        const words = raw && !this.invalid("cron_expression") ? cronSentence(raw, this.ctx) : "";
        const sentence = words === t("when.cron_raw", { expression: raw }) ? "" : words;
        fields.push(
          this.field(
            "cron_expression",
            t("editor.cron"),
            html`<input
              id="f-cron_expression"
              class="mono"
              type="text"
              autocomplete="off"
              spellcheck="false"
              .value=${form.cron_expression}
              placeholder="0 6 * * *"
              aria-invalid=${this.invalid("cron_expression") ? "true" : "false"}
              @input=${(event: Event) =>
                this.set("cron_expression", (f) => (f.cron_expression = (event.target as HTMLInputElement).value))}
            />`,
            { hint: html`${t("editor.cron_hint")}${sentence ? html`<br /><strong>${sentence}</strong>` : nothing}`, wide: true },
          ),
        );
        break;
      }
      case "recurring": {
        fields.push(
          this.field(
            "frequency",
            t("editor.frequency"),
            this.select("frequency", form.frequency, FREQUENCIES, (value) => t(`frequency.${value}`), (value) =>
              this.set("frequency", (f) => (f.frequency = value)),
            ),
          ),
          this.field(
            "every",
            t("editor.every"),
            this.numberInput("every", form.every, (value) => this.set("every", (f) => (f.every = value)), {
              min: 1,
              step: 1,
              unit: this.ctx.tn(`editor.every_unit_${form.frequency}`, form.every ?? 1),
            }),
          ),
        );
        if (form.frequency === "weekly") {
          fields.push(
            html`<div class="field wide ${this.invalid("weekdays") ? "invalid" : ""}">
              <span class="label" id="f-weekdays">${t("editor.weekdays")}</span>
              <div class="picks days" role="group" aria-labelledby="f-weekdays">
                ${WEEKDAYS.map((day, index) => {
                  const checked = form.weekdays.includes(day);
                  return html`<label class="pick day ${checked ? "checked" : ""}" title=${formatWeekdayLong(index, this.ctx.language)}>
                    <input
                      type="checkbox"
                      .checked=${checked}
                      @change=${(event: Event) => {
                        const on = (event.target as HTMLInputElement).checked;
                        this.set("weekdays", (f) => {
                          const set = new Set<Weekday>(f.weekdays);
                          if (on) set.add(day);
                          else set.delete(day);
                          f.weekdays = WEEKDAYS.filter((item) => set.has(item));
                        });
                      }}
                    />${formatWeekdayShort(index, this.ctx.language)}
                  </label>`;
                })}
              </div>
              ${this.problemList("weekdays")}
            </div>`,
          );
        }
        if (form.frequency === "monthly") {
          fields.push(
            this.field(
              "days_of_month",
              t("editor.days_of_month"),
              html`<input
                id="f-days_of_month"
                type="text"
                inputmode="numeric"
                .value=${form.days_of_month}
                placeholder="1, 15, -1"
                aria-invalid=${this.invalid("days_of_month") ? "true" : "false"}
                @input=${(event: Event) => this.set("days_of_month", (f) => (f.days_of_month = (event.target as HTMLInputElement).value))}
              />`,
              { hint: t("editor.days_hint") },
            ),
          );
        }
        fields.push(
          this.field(
            "times",
            t("editor.times"),
            this.timesList("times", form.times, (values) => this.set("times", (f) => (f.times = values))),
            { wide: true, indexed: true },
          ),
        );
        break;
      }
      case "static":
        break;
    }
    return html`<div class="grid">${fields}</div>`;
  }

  private zoneHint(): string {
    return this.ctx.t("editor.in_zone", { zone: this._form.timezone || this.haZone });
  }

  private renderPreset(): TemplateResult {
    const { t } = this.ctx;
    const form = this._form;
    const p = form.presets;
    const fields: TemplateResult[] = [
      this.field(
        "preset",
        t("editor.preset"),
        this.select("preset", form.preset, PRESETS, (value) => t(`preset.${value}`), (value) => this.set("preset", (f) => (f.preset = value))),
        { hint: t(`preset_hint.${form.preset}`), wide: true },
      ),
    ];
    type Write = (form: ScheduleForm, value: never) => void;
    const time = (name: string, label: Key, value: string, write: Write) =>
      this.field(`preset.${name}`, t(label), this.timeInput(`preset.${name}`, value, (v) => this.set(`preset.${name}`, (f) => write(f, v as never))));
    const minutes = (name: string, label: Key, value: number | null, write: Write) =>
      this.field(
        `preset.${name}`,
        t(label),
        this.numberInput(`preset.${name}`, value, (v) => this.set(`preset.${name}`, (f) => write(f, v as never)), {
          min: 0,
          max: 1440,
          step: 1,
          unit: t("unit_name.min"),
        }),
      );
    const percent = (name: string, label: Key, value: number | null, write: Write, placeholder?: string) =>
      this.field(
        `preset.${name}`,
        t(label),
        this.percentInput(`preset.${name}`, value, (v) => this.set(`preset.${name}`, (f) => write(f, v as never)), placeholder),
      );
    // set() hands the writer the form's fresh copy.
    const edit =
      <K extends keyof ScheduleForm["presets"]>(preset: K, key: keyof ScheduleForm["presets"][K]): Write =>
      (f, value) => {
        (f.presets[preset] as Record<string, unknown>)[key as string] = value;
      };
    switch (form.preset) {
      case "diurnal":
        fields.push(
          time("sunrise", "editor.sunrise", p.diurnal.sunrise, edit("diurnal", "sunrise")),
          minutes("sunrise_minutes", "editor.sunrise_minutes", p.diurnal.sunrise_minutes, edit("diurnal", "sunrise_minutes")),
          percent("peak_level", "editor.peak_level", p.diurnal.peak_level, edit("diurnal", "peak_level")),
          time("sunset", "editor.sunset", p.diurnal.sunset, edit("diurnal", "sunset")),
          minutes("sunset_minutes", "editor.sunset_minutes", p.diurnal.sunset_minutes, edit("diurnal", "sunset_minutes")),
          percent("night_level", "editor.night_level", p.diurnal.night_level, edit("diurnal", "night_level"), "0"),
          ...this.renderClouds("diurnal", p.diurnal.clouds),
        );
        break;
      case "profile":
        fields.push(
          this.renderPoints(p.profile.points),
          this.field(
            "preset.interpolation",
            t("editor.interpolation"),
            this.select("preset.interpolation", p.profile.interpolation || "linear", INTERPOLATIONS, (value) => t(`interpolation.${value}`), (value) =>
              this.set("preset.interpolation", (f) => (f.presets.profile.interpolation = value)),
            ),
          ),
          ...this.renderMoon("profile", p.profile.follow_moon, p.profile.min_level),
          this.renderOffsets(p.profile.offsets),
          ...this.renderClouds("profile", p.profile.clouds),
        );
        break;
      case "moonlight":
        fields.push(
          percent("night_level", "editor.moon_level", p.moonlight.night_level, edit("moonlight", "night_level")),
          time("start", "editor.moon_start", p.moonlight.start, edit("moonlight", "start")),
          time("end", "editor.moon_end", p.moonlight.end, edit("moonlight", "end")),
          ...this.renderMoon("moonlight", p.moonlight.follow_moon, p.moonlight.min_level),
        );
        break;
      case "feed_pause":
        fields.push(
          minutes("minutes", "editor.pause_minutes", p.feed_pause.minutes, edit("feed_pause", "minutes")),
          this.field(
            "preset.times",
            t("editor.feed_times"),
            this.timesList("preset.times", p.feed_pause.times, (values) => this.set("preset.times", (f) => (f.presets.feed_pause.times = values))),
            { wide: true, indexed: true },
          ),
        );
        break;
      case "maintenance":
        fields.push(
          this.field(
            "preset.weekday",
            t("editor.weekday"),
            this.select("preset.weekday", p.maintenance.weekday, WEEKDAYS, (day) => formatWeekdayLong(WEEKDAYS.indexOf(day), this.ctx.language), (value) =>
              this.set("preset.weekday", (f) => (f.presets.maintenance.weekday = value)),
            ),
          ),
          time("time", "editor.time", p.maintenance.time, edit("maintenance", "time")),
          minutes("minutes", "editor.pause_minutes", p.maintenance.minutes, edit("maintenance", "minutes")),
        );
        break;
    }
    return this.grid(fields, "preset_params");
  }

  /** A section's fields in the form's grid, with the problems of the section as a whole (``at``) below. */
  private grid(fields: TemplateResult[], at: string): TemplateResult {
    const general = this.problemsAt(at);
    return html`<div class="grid">
      ${fields}
      ${general.length
        ? html`<div class="problems wide" role="alert">${general.map((problem) => html`<div class="problem">${problem.message}</div>`)}</div>`
        : nothing}
    </div>`;
  }

  /** A switch on a line of its own (a native checkbox), its hint and problems below. */
  private switchField(control: string, label: string, checked: boolean, change: (on: boolean) => void, hint?: string): TemplateResult {
    return html`<div class="field wide inline ${this.invalid(control) ? "invalid" : ""}">
      <label class="switch-row">
        <input
          id="f-${control}"
          type="checkbox"
          class="switch"
          role="switch"
          .checked=${checked}
          aria-invalid=${this.invalid(control) ? "true" : "false"}
          aria-describedby="p-${control}"
          @change=${(event: Event) => change((event.target as HTMLInputElement).checked)}
        />
        <span>${label}</span>
      </label>
      ${hint ? html`<div class="hint">${hint}</div>` : nothing}
      ${this.problemList(control)}
    </div>`;
  }

  /** The problems of one row of a list (points, offsets), below it; is the row's `part` (or the row) at fault? */
  private rowProblems(control: string, index: number): { bad: (part: string) => boolean; list: TemplateResult | typeof nothing } {
    const problems = this.problemsAt(control).filter((problem) => problem.index === index);
    return {
      bad: (part) => problems.some((problem) => problem.part === part || problem.part === undefined),
      list: problems.length
        ? html`<div class="problems row-problems" id="p-${control}-${index}" role="alert">
            ${problems.map((problem) => html`<div class="problem">${problem.message}</div>`)}
          </div>`
        : nothing,
    };
  }

  /** A number in a row of a list: labelled for assistive technology only (the column head shows it). */
  private rowNumber(
    id: string,
    label: string,
    value: number | null,
    invalid: boolean,
    change: (value: number | null) => void,
    options: { min: number; max: number; step: number | "any"; unit: string; placeholder?: string; describedBy: string },
  ): TemplateResult {
    return html`<div class="with-unit">
      <input
        id=${id}
        type="number"
        inputmode="decimal"
        aria-label=${label}
        aria-describedby=${options.describedBy}
        .value=${value === null ? "" : String(value)}
        min=${options.min}
        max=${options.max}
        step=${options.step}
        placeholder=${options.placeholder ?? ""}
        aria-invalid=${invalid ? "true" : "false"}
        @input=${(event: Event) => {
          const text = (event.target as HTMLInputElement).value;
          const parsed = text === "" ? null : Number(text);
          change(parsed === null || Number.isNaN(parsed) ? null : parsed);
        }}
      />
      <span class="unit">${options.unit}</span>
    </div>`;
  }

  private async focusLater(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** A profile's points: a compact table (time, level, night, remove), one row per point. */
  private renderPoints(points: PointForm[]): TemplateResult {
    const { t } = this.ctx;
    const control = "preset.points";
    const write = (change: (points: PointForm[]) => PointForm[] | void) =>
      this.set(control, (f) => {
        const next = change(f.presets.profile.points);
        if (next) f.presets.profile.points = next;
      });
    const ordered = pointsInOrder(points);
    return html`<div class="field wide">
      <span class="label" id="f-preset.points">${t("editor.points")}</span>
      <div class="rows points" role="group" aria-labelledby="f-preset.points">
        <div class="row head" aria-hidden="true">
          <span>${t("editor.time")}</span><span>${t("editor.level")}</span><span class="center">${t("editor.point_night")}</span><span></span>
        </div>
        ${points.map((point, index) => {
          const n = index + 1;
          const { bad, list } = this.rowProblems(control, index);
          return html`<div class="row" data-index=${index}>
            <input
              id="f-point-${index}-time"
              type="time"
              aria-label=${t("editor.point_time_label", { n })}
              aria-describedby="p-${control}-${index}"
              .value=${point.time}
              aria-invalid=${bad("time") ? "true" : "false"}
              @input=${(event: Event) => write((list) => void (list[index]!.time = (event.target as HTMLInputElement).value))}
            />
            ${this.rowNumber(`f-point-${index}-level`, t("editor.point_level_label", { n }), point.level, bad("level"), (value) =>
              write((list) => void (list[index]!.level = value)),
              { min: 0, max: 100, step: "any", unit: "%", describedBy: `p-${control}-${index}` },
            )}
            <label class="night" title=${t("editor.point_night_label", { n })}>
              <input
                id="f-point-${index}-night"
                type="checkbox"
                aria-label=${t("editor.point_night_label", { n })}
                aria-describedby="p-${control}-${index}"
                .checked=${point.night === true}
                aria-invalid=${bad("night") ? "true" : "false"}
                @change=${(event: Event) =>
                  write((list) => void (list[index]!.night = (event.target as HTMLInputElement).checked ? true : null))}
              />
            </label>
            <button
              class="icon-btn remove"
              title=${t("editor.remove_point", { n })}
              aria-label=${t("editor.remove_point", { n })}
              ?disabled=${points.length <= MIN_POINTS}
              @click=${() => {
                write((list) => list.filter((_, i) => i !== index));
                void this.focusLater(`#f-point-${Math.min(index, points.length - 2)}-time`);
              }}
            >
              ${icon(mdiDelete)}
            </button>
            ${list}
          </div>`;
        })}
      </div>
      <div class="row-actions">
        <button
          class="btn add"
          ?disabled=${points.length >= MAX_POINTS}
          @click=${() => {
            write((list) => [...list, nextPoint(list)]);
            void this.focusLater(`#f-point-${points.length}-time`);
          }}
        >
          ${icon(mdiPlus)}${t("editor.add_point")}
        </button>
        ${ordered ? nothing : html`<button class="btn sort" @click=${() => write((list) => sortPoints(list))}>${t("editor.sort_points")}</button>`}
      </div>
      <div class="hint">${t("editor.points_hint")}</div>
      ${this.unindexed(control)}
    </div>`;
  }

  /** A profile's offsets: one row per channel (one of the schedule's), its shift in minutes and its scale. */
  private renderOffsets(offsets: OffsetForm[]): TemplateResult {
    const { t } = this.ctx;
    const control = "preset.offsets";
    const targets = this._form.targets;
    const used = new Set(offsets.map((offset) => offset.target));
    const free = targets.filter((target) => !used.has(target));
    const name = (target: string) =>
      entityName(this.hass, target, this.channels.find((channel) => channel.entity_id === target)?.name);
    const write = (change: (offsets: OffsetForm[]) => OffsetForm[] | void) =>
      this.set(control, (f) => {
        const next = change(f.presets.profile.offsets);
        if (next) f.presets.profile.offsets = next;
      });
    return html`<div class="field wide">
      <span class="label" id="f-preset.offsets">${t("editor.offsets")}</span>
      ${offsets.length
        ? html`<div class="rows offsets" role="group" aria-labelledby="f-preset.offsets">
            <div class="row head" aria-hidden="true">
              <span>${t("editor.offset_target")}</span><span>${t("editor.offset_shift")}</span><span>${t("editor.offset_scale")}</span><span></span>
            </div>
            ${offsets.map((offset, index) => {
              const n = index + 1;
              const { bad, list } = this.rowProblems(control, index);
              // The schedule's channels; one this offset names that is no longer among them stays, to be seen.
              const options = targets.includes(offset.target) ? targets : [offset.target, ...targets];
              return html`<div class="row" data-index=${index}>
                <select
                  id="f-offset-${index}-target"
                  aria-label=${t("editor.offset_target_label", { n })}
                  aria-describedby="p-${control}-${index}"
                  aria-invalid=${bad("target") ? "true" : "false"}
                  @change=${(event: Event) => write((list) => void (list[index]!.target = (event.target as HTMLSelectElement).value))}
                >
                  ${options.map(
                    (target) =>
                      html`<option value=${target} ?selected=${target === offset.target} ?disabled=${target !== offset.target && used.has(target)}>
                        ${target ? name(target) : "—"}
                      </option>`,
                  )}
                </select>
                ${this.rowNumber(`f-offset-${index}-shift`, t("editor.offset_shift_label", { n }), offset.shift_minutes, bad("shift_minutes"), (value) =>
                  write((list) => void (list[index]!.shift_minutes = value)),
                  { min: -720, max: 720, step: 1, unit: t("editor.min_short"), placeholder: "0", describedBy: `p-${control}-${index}` },
                )}
                ${this.rowNumber(`f-offset-${index}-scale`, t("editor.offset_scale_label", { n }), offset.scale, bad("scale"), (value) =>
                  write((list) => void (list[index]!.scale = value)),
                  { min: 0, max: 100, step: "any", unit: "%", placeholder: "100", describedBy: `p-${control}-${index}` },
                )}
                <button
                  class="icon-btn remove"
                  title=${t("editor.remove_offset", { n })}
                  aria-label=${t("editor.remove_offset", { n })}
                  @click=${() => write((list) => list.filter((_, i) => i !== index))}
                >
                  ${icon(mdiDelete)}
                </button>
                ${list}
              </div>`;
            })}
          </div>`
        : nothing}
      ${targets.length
        ? html`<div class="row-actions">
            <button
              class="btn add"
              ?disabled=${free.length === 0}
              @click=${() => {
                write((list) => [...list, { target: free[0]!, shift_minutes: null, scale: null }]);
                void this.focusLater(`#f-offset-${offsets.length}-shift`);
              }}
            >
              ${icon(mdiPlus)}${t("editor.add_offset")}
            </button>
          </div>`
        : nothing}
      <div class="hint">${targets.length || offsets.length ? t("editor.offsets_hint") : t("editor.offsets_need_targets")}</div>
      ${this.unindexed(control)}
    </div>`;
  }

  /** "Follow the moon" and, when on, the floor at new moon (profile and moonlight). */
  private renderMoon(preset: "profile" | "moonlight", follow: boolean | null, floor: number | null): TemplateResult[] {
    const { t } = this.ctx;
    const fields = [
      this.switchField(
        "preset.follow_moon",
        t("editor.follow_moon"),
        follow === true,
        // Off is the server's default: not sent.
        (on) => this.set("preset.follow_moon", (f) => (f.presets[preset].follow_moon = on ? true : null)),
        t(preset === "profile" ? "editor.follow_moon_hint_profile" : "editor.follow_moon_hint_moonlight"),
      ),
    ];
    if (follow === true) {
      fields.push(
        this.field(
          "preset.min_level",
          t("editor.min_level"),
          this.percentInput("preset.min_level", floor, (value) => this.set("preset.min_level", (f) => (f.presets[preset].min_level = value)), "0"),
          { hint: t("editor.min_level_hint") },
        ),
      );
    }
    return fields;
  }

  /** Passing clouds (reef day and profile): a switch, and when on the span, how many, how deep, how long. */
  private renderClouds(preset: "diurnal" | "profile", clouds: CloudsForm | null): TemplateResult[] {
    const { t } = this.ctx;
    const fields = [
      this.switchField(
        "preset.clouds",
        t("editor.clouds"),
        clouds !== null,
        (on) =>
          this.set("preset.clouds", (f) => {
            const current = f.presets[preset].clouds;
            if (!on && current) this.putAway.set(`clouds.${preset}`, current);
            f.presets[preset].clouds = on ? ((this.putAway.get(`clouds.${preset}`) as CloudsForm | undefined) ?? defaultClouds()) : null;
          }),
        t("editor.clouds_hint"),
      ),
    ];
    if (!clouds) return fields;
    const write = (name: keyof CloudsForm) => (value: string | number | null) =>
      this.set(`preset.clouds.${name}`, (f) => {
        const target = f.presets[preset].clouds;
        if (target) (target as unknown as Record<string, unknown>)[name] = value;
      });
    const time = (name: "start" | "end", label: Key) =>
      this.field(`preset.clouds.${name}`, t(label), this.timeInput(`preset.clouds.${name}`, clouds[name], write(name)));
    const minutes = (name: "min_minutes" | "max_minutes", label: Key, placeholder: string) =>
      this.field(
        `preset.clouds.${name}`,
        t(label),
        this.numberInput(`preset.clouds.${name}`, clouds[name], write(name), { min: 0, max: 60, step: "any", unit: t("unit_name.min"), placeholder }),
      );
    fields.push(
      time("start", "editor.clouds_start"),
      time("end", "editor.clouds_end"),
      this.field(
        "preset.clouds.per_hour",
        t("editor.clouds_per_hour"),
        this.numberInput("preset.clouds.per_hour", clouds.per_hour, write("per_hour"), { min: 0, max: 12, step: "any", unit: t("editor.per_hour") }),
      ),
      this.field("preset.clouds.depth", t("editor.clouds_depth"), this.percentInput("preset.clouds.depth", clouds.depth, write("depth"))),
      minutes("min_minutes", "editor.clouds_min", "1"),
      minutes("max_minutes", "editor.clouds_max", "5"),
    );
    return fields;
  }

  /** Acclimation, for level schedules: a switch, and when on where it starts, how many days, from when. */
  private renderAcclimation(): TemplateResult {
    const { t } = this.ctx;
    const acclimation = this._form.acclimation;
    const fields = [
      this.switchField(
        "acclimation",
        t("editor.acclimation_on"),
        acclimation !== null,
        (on) =>
          this.set("acclimation", (f) => {
            if (!on && f.acclimation) this.putAway.set("acclimation", f.acclimation);
            f.acclimation = on ? ((this.putAway.get("acclimation") as AcclimationForm | undefined) ?? defaultAcclimation()) : null;
          }),
        t("editor.acclimation_hint"),
      ),
    ];
    if (acclimation) {
      const write =
        <K extends keyof AcclimationForm>(name: K) =>
        (value: AcclimationForm[K]) =>
          this.set(`acclimation.${name}`, (f) => {
            if (f.acclimation) f.acclimation[name] = value;
          });
      const factor = this._preview?.schedule.acclimation_factor;
      fields.push(
        this.field("acclimation.start_percent", t("editor.acclimation_start"), this.percentInput("acclimation.start_percent", acclimation.start_percent, write("start_percent"))),
        this.field(
          "acclimation.days",
          t("editor.acclimation_days"),
          this.numberInput("acclimation.days", acclimation.days, write("days"), { min: 1, max: 365, step: 1, unit: t("unit_name.d") }),
        ),
        this.field(
          "acclimation.start_date",
          t("editor.acclimation_date"),
          html`<input
            id="f-acclimation.start_date"
            type="date"
            .value=${acclimation.start_date}
            aria-invalid=${this.invalid("acclimation.start_date") ? "true" : "false"}
            aria-describedby="p-acclimation.start_date"
            @input=${(event: Event) => write("start_date")((event.target as HTMLInputElement).value)}
          />`,
          {
            hint: html`${t("editor.acclimation_date_hint")}${typeof factor === "number"
              ? html` <strong>${t("editor.acclimation_today", { percent: acclimationPercent(factor, this.ctx) })}</strong>`
              : nothing}`,
          },
        ),
      );
    }
    return html`<div class="grid">${fields}</div>`;
  }

  private renderAction(): TemplateResult {
    const { t } = this.ctx;
    const form = this._form;
    const a = form.action;
    const fields: TemplateResult[] = [
      this.field(
        "action_type",
        t("editor.action"),
        this.select("action_type", a.type, ACTION_TYPES, (value) => t(`action.${value}`), (value) => this.set("action_type", (f) => (f.action.type = value))),
        { wide: true },
      ),
    ];
    const back = () =>
      this.field(
        "action.duration",
        t("editor.revert_after"),
        this.durationInput("action.duration", a.duration, (d) => this.set("action.duration", (f) => (f.action.duration = d)), t("editor.revert_never")),
        { hint: t("editor.revert_hint") },
      );
    switch (a.type) {
      case "on":
      case "off":
      case "toggle":
        fields.push(back());
        break;
      case "set_pwm":
        fields.push(
          this.field("action.duty", t("editor.duty"), this.percentInput("action.duty", a.duty, (v) => this.set("action.duty", (f) => (f.action.duty = v))), {
            hint: t("editor.duty_hint"),
          }),
          back(),
        );
        break;
      case "set_level":
        fields.push(
          this.field("action.level", t("editor.level"), this.percentInput("action.level", a.level, (v) => this.set("action.level", (f) => (f.action.level = v)))),
          back(),
        );
        break;
      case "ramp":
        fields.push(
          this.field(
            "action.start_level",
            t("editor.start_level"),
            this.percentInput("action.start_level", a.start_level, (v) => this.set("action.start_level", (f) => (f.action.start_level = v)), t("editor.current")),
            { hint: t("editor.start_hint") },
          ),
          this.field(
            "action.end_level",
            t("editor.end_level"),
            this.percentInput("action.end_level", a.end_level, (v) => this.set("action.end_level", (f) => (f.action.end_level = v))),
          ),
          this.field(
            "action.duration",
            t("editor.ramp_duration"),
            this.durationInput("action.duration", a.duration, (d) => this.set("action.duration", (f) => (f.action.duration = d))),
          ),
          this.field(
            "action.curve",
            t("editor.curve"),
            this.select("action.curve", a.curve, ["", "perceptual", "linear"] as const, (value) => t(`curve.${value || "default"}`), (value) =>
              this.set("action.curve", (f) => (f.action.curve = value)),
            ),
          ),
        );
        break;
      case "custom":
        fields.push(
          this.field(
            "action.service",
            t("editor.service"),
            html`<input
              id="f-action.service"
              class="mono"
              type="text"
              autocomplete="off"
              spellcheck="false"
              placeholder="light.turn_on"
              .value=${a.service}
              aria-invalid=${this.invalid("action.service") ? "true" : "false"}
              @input=${(event: Event) => this.set("action.service", (f) => (f.action.service = (event.target as HTMLInputElement).value))}
            />`,
            { wide: true },
          ),
          this.jsonField("action.data", t("editor.data"), a.data, (text) => this.set("action.data", (f) => (f.action.data = text)), '{"brightness_pct": 50}'),
          this.jsonField("action.target", t("editor.custom_target"), a.target, (text) => this.set("action.target", (f) => (f.action.target = text)), '{"entity_id": "light.sump"}'),
        );
        break;
    }
    return this.grid(fields, "action");
  }

  private jsonField(control: string, label: string, value: string, change: (text: string) => void, placeholder: string) {
    return this.field(
      control,
      label,
      html`<textarea
        id="f-${control}"
        class="mono"
        rows="3"
        spellcheck="false"
        placeholder=${placeholder}
        .value=${value}
        aria-invalid=${this.invalid(control) ? "true" : "false"}
        @input=${(event: Event) => change((event.target as HTMLTextAreaElement).value)}
      ></textarea>`,
      { wide: true, hint: this.ctx.t("editor.json_hint") },
    );
  }

  private renderAdvanced(): TemplateResult {
    const { t } = this.ctx;
    const form = this._form;
    const zones = allZones();
    const haZone = this.haZone;
    const options = [haZone, ...zones.filter((zone) => zone !== haZone)];
    if (form.timezone && !options.includes(form.timezone)) options.splice(1, 0, form.timezone);
    const open = ["timezone", "start_time", "end_time", "misfire_grace", "enabled"].some((control) => this.invalid(control));
    const local = (control: "start_time" | "end_time") =>
      html`<input
        id="f-${control}"
        type="datetime-local"
        .value=${form[control]}
        aria-invalid=${this.invalid(control) ? "true" : "false"}
        @input=${(event: Event) => this.set(control, (f) => (f[control] = (event.target as HTMLInputElement).value))}
      />`;
    return html`<details class="advanced" ?open=${open}>
      <summary>${t("editor.more")}</summary>
      <div class="grid">
        ${this.field(
          "timezone",
          t("editor.timezone"),
          html`<select
            id="f-timezone"
            aria-invalid=${this.invalid("timezone") ? "true" : "false"}
            @change=${(event: Event) => {
              const value = (event.target as HTMLSelectElement).value;
              this.set("timezone", (f) => (f.timezone = value === haZone ? "" : value));
            }}
          >
            ${guard([form.timezone, haZone, this.ctx], () =>
              options.map(
                (zone, index) =>
                  html`<option value=${zone} ?selected=${(form.timezone || haZone) === zone}>
                    ${index === 0 ? t("editor.tz_default", { zone }) : zone}
                  </option>`,
              ),
            )}
          </select>`,
          { wide: true, hint: t("editor.tz_hint") },
        )}
        ${this.field("start_time", t("editor.start_time"), local("start_time"), { hint: t("editor.window_hint") })}
        ${this.field("end_time", t("editor.end_time"), local("end_time"))}
        ${this.field(
          "misfire_grace",
          t("editor.misfire_grace"),
          this.durationInput("misfire_grace", form.misfire_grace, (d) => this.set("misfire_grace", (f) => (f.misfire_grace = d))),
          { hint: t("editor.misfire_hint") },
        )}
      </div>
    </details>`;
  }

  private previewAxis(levels: Point[], zone: string): Axis | null {
    if (!levels.length) return null;
    const date = localDate(new Date(levels[0]!.t), zone);
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
    return axisOf(instantIn(`${date}T00:00:00`, zone).toISOString(), instantIn(`${next}T00:00:00`, zone).toISOString());
  }

  /** The schedule in words, as the list will show it. */
  private summary(): TemplateResult {
    const payload = payloadFromForm(this._form, this.haZone);
    return html`<div class="summary">
      <div>${whenSentence(payload, this.ctx)}</div>
      <div class="muted">${whatSentence(payload, this.ctx)}</div>
      ${payload.acclimation ? html`<div class="muted">${acclimationSentence(payload.acclimation, this.ctx)}</div>` : nothing}
    </div>`;
  }

  private renderPreview(): TemplateResult {
    const ctx = this.ctx;
    const { t } = ctx;
    const validation = this._validation;
    const preview = this._preview;
    const count = (validation?.problems.length ?? 0) + this.clientErrors().length;
    const now = new Date();
    const zone = this._form.timezone || this.haZone;
    const points = preview ? parsePoints(preview.curve ?? preview.levels) : [];
    const axis = this.previewAxis(points, zone);
    const allSwitches =
      this._form.targets.length > 0 &&
      this._form.targets.every((target) => this.channels.find((channel) => channel.entity_id === target)?.kind === "switch");
    let status: TemplateResult;
    if (this._checkError) status = html`<span class="state bad">${icon(mdiAlertCircle)}${this._checkError}</span>`;
    else if (!validation || (this._checking && !count && !preview)) status = html`<span class="state muted">${t("editor.checking")}</span>`;
    else if (count)
      status = html`<span class="state bad">${icon(mdiAlertCircle)}${ctx.tn("editor.problem_count", count)}</span>`;
    else status = html`<span class="state good">${icon(mdiCheckCircle)}${t("editor.valid")}</span>`;
    return html`<section class="preview" aria-live="polite">
      <div class="preview-head">
        <h3>${t("editor.preview")}</h3>
        ${status}
      </div>
      ${this.summary()}
      ${preview
        ? html`${axis && points.length
              ? html`<bellas-reef-chart
                  .axis=${axis}
                  .points=${points}
                  .now=${now.getTime() >= axis.start && now.getTime() < axis.end ? now.getTime() : null}
                  .live=${null}
                  .events=${[]}
                  .info=${ctx.info}
                  .i18n=${ctx}
                  .zone=${zone}
                  color="var(--primary-color)"
                  kind=${allSwitches ? "band" : "curve"}
                  label=${t("editor.preview_curve")}
                ></bellas-reef-chart>`
              : nothing}
            ${preview.next_runs.length
              ? html`<div class="runs-title muted">${t("editor.next_runs")}</div>
                  <ol class="runs">
                    ${preview.next_runs.map(
                      (run) => html`<li>
                        <span>${formatDateTime(run, ctx.info)}</span>
                        <span class="muted">${formatRelative(run, now, ctx.language)}</span>
                      </li>`,
                    )}
                  </ol>`
              : html`<p class="muted">${t("editor.no_runs")}</p>`}`
        : nothing}
    </section>`;
  }

  // ---- render ------------------------------------------------------------------------------------------------

  protected override render() {
    if (!this._form || !this.ctx) return nothing;
    const { t } = this.ctx;
    const form = this._form;
    const editing = this.request.scheduleId !== null;
    const banner = this._showAll || this.dirty ? this.placed.banner : [];
    return html`<dialog
      class="editor"
      aria-labelledby="editor-title"
      @cancel=${(event: Event) => {
        event.preventDefault();
        if (this._discard) this._discard = false;
        else this.requestClose();
      }}
      @keydown=${this.onKeydown}
      @close=${() => this.onClosed()}
    >
      <header>
        <button class="icon-btn" aria-label=${t("common.close")} title=${t("common.close")} @click=${() => this.requestClose()}>
          ${icon(mdiClose)}
        </button>
        <h2 id="editor-title">${editing ? t("editor.title_edit") : t("editor.title_new")}</h2>
        <button class="btn filled save" ?disabled=${this._saving} @click=${() => this.save()}>
          ${this._saving ? t("editor.saving") : t("editor.save")}
        </button>
      </header>
      <div class="content">
        <div class="form">
        ${banner.length || this._saveError
          ? html`<div class="banner" role="alert">
              ${icon(mdiAlertCircle)}
              <div>
                ${this._saveError ? html`<div>${t("editor.save_failed", { message: this._saveError })}</div>` : nothing}
                ${banner.map((problem: Problem) => html`<div>${problem.message}</div>`)}
              </div>
            </div>`
          : nothing}
        <section>
          <div class="grid">
            ${this.field(
              "name",
              t("editor.name"),
              html`<input
                id="f-name"
                type="text"
                maxlength="100"
                autocomplete="off"
                .value=${form.name}
                placeholder=${t("editor.name_placeholder")}
                aria-invalid=${this.invalid("name") ? "true" : "false"}
                @input=${(event: Event) => this.set("name", (f) => (f.name = (event.target as HTMLInputElement).value))}
              />`,
              { wide: true },
            )}
            ${this.renderTargets()}
            <div class="field wide inline">
              <label class="switch-row">
                <input
                  type="checkbox"
                  class="switch"
                  role="switch"
                  .checked=${form.enabled}
                  @change=${(event: Event) => this.set("enabled", (f) => (f.enabled = (event.target as HTMLInputElement).checked))}
                />
                <span>${t("editor.enabled")}</span>
              </label>
              ${this.problemList("enabled")}
            </div>
          </div>
        </section>
        <section>
          <h3>${t("editor.when")}</h3>
          <div class="grid">
            ${this.field(
              "schedule_type",
              t("editor.type"),
              this.select("schedule_type", form.schedule_type, SCHEDULE_TYPES, (value) => t(`type_long.${value}`), (value) =>
                this.set("schedule_type", (f) => (f.schedule_type = value)),
              ),
              { wide: true, hint: t(`type_hint.${form.schedule_type}`) },
            )}
          </div>
          ${form.schedule_type === "static" ? this.renderPreset() : this.renderWhen()}
        </section>
        ${form.schedule_type === "static"
          ? nothing
          : html`<section>
              <h3>${t("editor.what")}</h3>
              ${this.renderAction()}
            </section>`}
        ${takesAcclimation(form)
          ? html`<section class="acclimation">
              <h3>${t("editor.acclimation")}</h3>
              ${this.renderAcclimation()}
            </section>`
          : nothing}
        <section>${this.renderAdvanced()}</section>
        </div>
        <aside>${this.renderPreview()}</aside>
      </div>
      <footer>
        <button class="btn" @click=${() => this.requestClose()}>${t("common.cancel")}</button>
        <button class="btn filled" ?disabled=${this._saving} @click=${() => this.save()}>
          ${this._saving ? t("editor.saving") : t("editor.save")}
        </button>
      </footer>
      ${this._discard
        ? html`<div class="discard" role="alertdialog" aria-labelledby="discard-title">
            <div class="discard-box">
              <h3 id="discard-title">${t("editor.discard_title")}</h3>
              <p>${t("editor.discard_text")}</p>
              <div class="discard-actions">
                <button class="btn" @click=${() => (this._discard = false)}>${t("editor.keep_editing")}</button>
                <button class="btn filled danger" @click=${() => this.close()}>${t("editor.discard")}</button>
              </div>
            </div>
          </div>`
        : nothing}
    </dialog>`;
  }

  static override styles = [
    shared,
    css`
      dialog.editor {
        width: 720px;
        max-width: calc(100vw - 32px);
        max-height: calc(100vh - 48px);
        display: none;
        flex-direction: column;
        overflow: hidden;
      }
      dialog.editor[open] {
        display: flex;
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 12px 16px 12px 12px;
        border-bottom: 1px solid var(--divider-color);
      }
      header h2 {
        flex: 1;
        margin: 0;
        font-size: 20px;
        font-weight: 500;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      header .save {
        display: none;
      }
      .content {
        overflow: auto;
        padding: 16px 24px 16px;
        display: grid;
        gap: 16px;
        align-items: start;
        overscroll-behavior: contain;
      }
      .form {
        display: grid;
        gap: 16px;
        min-width: 0;
      }
      @media (min-width: 1100px) {
        dialog.editor {
          width: 1040px;
        }
        .content {
          grid-template-columns: minmax(0, 1fr) 340px;
          gap: 24px;
        }
        aside {
          position: sticky;
          top: 0;
        }
      }
      footer {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        padding: 12px 20px;
        border-top: 1px solid var(--divider-color);
      }
      section h3,
      .preview h3 {
        margin: 0 0 8px;
        font-size: 13px;
        font-weight: 500;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--secondary-text-color);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
        gap: 12px 16px;
      }
      .grid + .grid {
        margin-top: 12px;
      }
      .field {
        display: grid;
        gap: 4px;
        align-content: start;
        min-width: 0;
      }
      .field.wide,
      .problems.wide {
        grid-column: 1 / -1;
      }
      .label {
        font-size: 12.5px;
        font-weight: 500;
        color: var(--secondary-text-color);
      }
      .hint {
        font-size: 12px;
        color: var(--secondary-text-color);
        line-height: 1.4;
      }
      .hint strong {
        color: var(--primary-text-color);
        font-weight: 500;
      }
      input[type="text"],
      input[type="number"],
      input[type="time"],
      input[type="date"],
      input[type="datetime-local"],
      select,
      textarea {
        width: 100%;
        min-height: 40px;
        padding: 8px 10px;
        border-radius: 8px;
        border: 1px solid color-mix(in srgb, var(--secondary-text-color) 45%, transparent);
        background: var(--card-background-color, transparent);
        font-size: 15px;
        min-width: 0;
      }
      textarea {
        resize: vertical;
        font-size: 13px;
      }
      input:focus,
      select:focus,
      textarea:focus {
        outline: none;
        border-color: var(--primary-color);
        box-shadow: 0 0 0 1px var(--primary-color);
      }
      .invalid input:not([type="checkbox"]),
      .invalid select,
      .invalid textarea,
      .time-row.invalid input {
        border-color: var(--reef-error);
      }
      .mono {
        font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
      }
      .with-unit {
        position: relative;
        display: flex;
        align-items: center;
      }
      .with-unit input {
        padding-right: 44px;
      }
      .unit {
        position: absolute;
        right: 10px;
        font-size: 13px;
        color: var(--secondary-text-color);
        pointer-events: none;
        max-width: 40%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .duration {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 6px;
      }
      .duration .with-unit input {
        padding-right: 10px;
      }
      .duration select {
        width: auto;
      }
      .problems {
        display: grid;
        gap: 2px;
      }
      .problem {
        color: var(--reef-error);
        font-size: 12.5px;
        line-height: 1.35;
      }
      .picks {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .pick {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        min-height: 34px;
        padding: 0 12px;
        border-radius: 17px;
        border: 1px solid var(--divider-color);
        cursor: pointer;
        font-size: 14px;
        user-select: none;
      }
      .pick input {
        position: absolute;
        opacity: 0;
        width: 1px;
        height: 1px;
      }
      .pick:focus-within {
        outline: 2px solid var(--primary-color);
        outline-offset: 1px;
      }
      .pick.checked {
        background: color-mix(in srgb, var(--primary-color) 14%, transparent);
        border-color: var(--primary-color);
      }
      .pick.missing {
        border-color: var(--reef-error);
      }
      .pick .swatch {
        width: 10px;
        height: 10px;
        border-radius: 3px;
        background: var(--c);
      }
      .picks.days {
        display: grid;
        grid-template-columns: repeat(7, minmax(0, 1fr));
        max-width: 460px;
      }
      .pick.day {
        min-width: 0;
        justify-content: center;
        padding: 0 2px;
      }
      .switch-row {
        display: inline-flex;
        align-items: center;
        gap: 10px;
        cursor: pointer;
        min-height: 36px;
      }
      .times {
        display: grid;
        gap: 6px;
      }
      .time-row {
        display: grid;
        grid-template-columns: minmax(0, 180px) auto 1fr;
        align-items: center;
        gap: 4px;
      }
      .time-row .problems {
        grid-column: 1 / -1;
      }
      .btn.add {
        justify-self: start;
        padding-left: 8px;
      }
      /* Lists of rows (a profile's points and offsets): one line each, narrow enough for a phone. */
      .rows {
        display: grid;
        gap: 6px;
        max-width: 480px;
      }
      .rows .row {
        display: grid;
        grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr) 48px 40px;
        gap: 6px;
        align-items: center;
      }
      .rows.offsets .row {
        grid-template-columns: minmax(0, 1.5fr) minmax(0, 1fr) minmax(0, 1fr) 40px;
      }
      .rows .row.head {
        font-size: 12px;
        color: var(--secondary-text-color);
        margin-bottom: -2px;
      }
      .rows .row.head .center {
        text-align: center;
      }
      .rows .row-problems {
        grid-column: 1 / -1;
      }
      .rows .with-unit input {
        padding-right: 30px;
      }
      .rows .unit {
        right: 8px;
      }
      .rows input[aria-invalid="true"],
      .rows select[aria-invalid="true"] {
        border-color: var(--reef-error);
      }
      .rows .night {
        display: flex;
        align-items: center;
        justify-content: center;
        min-height: 40px;
        cursor: pointer;
      }
      .rows .night input {
        width: 20px;
        height: 20px;
        margin: 0;
        accent-color: var(--primary-color);
        cursor: pointer;
      }
      .rows .night input:focus-visible {
        outline: 2px solid var(--primary-color);
        outline-offset: 2px;
      }
      .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 8px;
      }
      details.advanced summary {
        cursor: pointer;
        font-size: 14px;
        font-weight: 500;
        color: var(--primary-color);
        padding: 6px 0;
        list-style-position: inside;
      }
      details.advanced .grid {
        margin-top: 8px;
      }
      .preview {
        border-radius: 12px;
        padding: 12px 14px 14px;
        background: var(--reef-surface);
        display: grid;
        gap: 10px;
      }
      .preview-head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        flex-wrap: wrap;
      }
      .preview-head h3 {
        margin: 0;
      }
      .state {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        font-size: 13px;
        font-weight: 500;
      }
      .state .icon {
        width: 18px;
        height: 18px;
      }
      .state.good {
        color: var(--reef-success);
      }
      .state.bad {
        color: var(--reef-error);
      }
      .summary {
        font-size: 14px;
        line-height: 1.4;
        display: grid;
        gap: 2px;
      }
      .runs-title {
        font-size: 12.5px;
      }
      .runs {
        margin: 0;
        padding: 0 0 0 20px;
        display: grid;
        gap: 3px;
        font-size: 14px;
        font-variant-numeric: tabular-nums;
      }
      .runs li span + span {
        margin-left: 8px;
      }
      .preview p {
        margin: 0;
      }
      .discard {
        position: absolute;
        inset: 0;
        display: flex;
        align-items: center;
        justify-content: center;
        background: rgba(0, 0, 0, 0.35);
        padding: 16px;
      }
      .discard-box {
        background: var(--card-background-color, #fff);
        border-radius: 16px;
        padding: 20px 20px 12px;
        max-width: 360px;
        border: 1px solid var(--divider-color);
        box-shadow: 0 8px 24px rgba(0, 0, 0, 0.3);
      }
      .discard-box h3 {
        margin: 0 0 8px;
        font-size: 18px;
        font-weight: 500;
        text-transform: none;
        letter-spacing: 0;
        color: var(--primary-text-color);
      }
      .discard-box p {
        margin: 0 0 12px;
        color: var(--secondary-text-color);
      }
      .discard-actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
      @media (max-width: 600px) {
        dialog.editor {
          width: 100vw;
          max-width: 100vw;
          height: 100%;
          max-height: 100%;
          margin: 0;
          border-radius: 0;
        }
        header .save {
          display: inline-flex;
        }
        footer {
          display: none;
        }
        .content {
          padding: 12px 16px 24px;
        }
        .grid {
          grid-template-columns: 1fr 1fr;
          gap: 12px;
        }
        .field {
          grid-column: span 1;
        }
      }
    `,
  ];
}

/** The parameter controls each action shows. */
export function actionControls(type: string): string[] {
  switch (type) {
    case "on":
    case "off":
    case "toggle":
      return ["duration"];
    case "set_pwm":
      return ["duty", "duration"];
    case "set_level":
      return ["level", "duration"];
    case "ramp":
      return ["start_level", "end_level", "duration", "curve"];
    case "custom":
      return ["service", "data", "target"];
    default:
      return [];
  }
}

define("bellas-reef-editor", ReefEditor);

// What the dashboard asks of this module when it loads it (see ``loadEditor`` there).
export { duplicateForm, formFromSchedule, newForm } from "./form";

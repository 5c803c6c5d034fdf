// <bellas-reef-card>: the dashboard card. Config: {type, title?, entities?, views?, default_view?}.

import { define } from "./define";
import { css, html, nothing } from "lit";
import { CARD_TYPE, configForm, normaliseConfig, stubConfig, type CardConfig, type NormalConfig } from "./config";
import { ReefBase } from "./dashboard";
import type { Hass } from "./hass";

export class ReefCard extends ReefBase {
  private config: NormalConfig | null = null;

  setConfig(config: CardConfig): void {
    const normal = normaliseConfig(config);
    const first = this.config === null;
    this.config = normal;
    this.views = normal.views;
    this.entities = normal.entities;
    this.store.setTargets(normal.entities);
    if (first || !normal.views.includes(this._view)) this._view = normal.defaultView;
    this.requestUpdate();
  }

  /** Height in HA's 50 px rows: a light's curve takes about three, an output's band about one. */
  getCardSize(): number {
    if (this._view !== "day") return 8;
    const channels = (this.store.channels ?? []).filter((channel) => !this.entities || this.entities.includes(channel.entity_id));
    if (!channels.length) return 2 + 3 * (this.entities?.length ?? 4);
    const lights = channels.filter((channel) => channel.kind === "light").length;
    return Math.ceil(2 + lights * 3 + (channels.length - lights) * 1.3);
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, min_rows: 4 };
  }

  static getStubConfig(hass?: Hass): CardConfig {
    return stubConfig(hass);
  }

  static getConfigForm() {
    return configForm();
  }

  protected override render() {
    if (!this.config) return nothing;
    const title = this.config.title;
    return html`<ha-card>
      <div class="body">
        <div class="card-header ${title ? "" : "untitled"}">
          ${title ? html`<h1 class="title">${title}</h1>` : nothing} ${this.renderModes()} ${this.renderTabs()}
        </div>
        ${this.renderBody()}
      </div>
    </ha-card>`;
  }

  static override styles = [
    ...ReefBase.styles,
    css`
      :host {
        display: block;
      }
      ha-card {
        height: 100%;
        overflow: hidden;
      }
      .body {
        padding: 12px 16px 16px;
      }
      .card-header {
        display: flex;
        align-items: center;
        gap: 8px 12px;
        flex-wrap: wrap;
        margin-bottom: 10px;
      }
      .card-header.untitled {
        justify-content: flex-end;
      }
      .title {
        margin: 0;
        font-size: var(--ha-card-header-font-size, 22px);
        font-weight: 400;
        line-height: 1.3;
        flex: 1 1 auto;
        min-width: min(8em, 100%); /* on a phone the mode buttons wrap under the title, not over it */
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
    `,
  ];
}

export const CARD_INFO = {
  type: CARD_TYPE,
  name: "Bella's Reef",
  description: "Your reef's day at a glance: light curves, schedules and the action history of Bella's Reef.",
  preview: true,
};

define(CARD_TYPE, ReefCard);

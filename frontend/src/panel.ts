// <bellas-reef-panel>: the same views, full page, for the panel the integration registers (admin only).
// HA gives it `hass`, `narrow`, `route` and `panel`; on a narrow screen its menu button opens HA's sidebar.

import { define } from "./define";
import { css, html, nothing } from "lit";
import { ReefBase } from "./dashboard";
import { VIEWS, type View } from "./config";
import { icon, mdiMenu } from "./icons";

export class ReefPanel extends ReefBase {
  static override properties = {
    ...ReefBase.properties,
    narrow: { type: Boolean, reflect: true },
    route: { attribute: false },
    panel: { attribute: false },
  };

  narrow = false;
  route?: { path?: string; prefix?: string };
  panel?: { config?: { default_view?: View; title?: string } | null; title?: string | null };

  override connectedCallback(): void {
    this.views = [...VIEWS];
    super.connectedCallback();
  }

  protected override willUpdate(): void {
    const wanted = this.panel?.config?.default_view;
    if (wanted && VIEWS.includes(wanted) && !this.hasUpdated) this._view = wanted;
  }

  private toggleMenu(): void {
    this.dispatchEvent(new Event("hass-toggle-menu", { bubbles: true, composed: true }));
  }

  protected override render() {
    const { t } = this.ctx;
    const title = this.panel?.config?.title || t("panel.title");
    return html`<div class="page">
      <header class="app-bar">
        ${this.narrow
          ? html`<button class="icon-btn menu" aria-label=${t("panel.menu")} title=${t("panel.menu")} @click=${this.toggleMenu}>
              ${icon(mdiMenu)}
            </button>`
          : nothing}
        <h1 class="main-title">${title}</h1>
        ${this.renderModes()}
        <div class="bar-tabs">${this.renderTabs()}</div>
      </header>
      <main class="body">
        <div class="surface">
          ${this.renderBody()}
        </div>
      </main>
    </div>`;
  }

  static override styles = [
    ...ReefBase.styles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--primary-background-color);
      }
      .page {
        min-height: 100vh;
      }
      .app-bar {
        position: sticky;
        top: 0;
        z-index: 4;
        display: flex;
        align-items: center;
        gap: 12px;
        min-height: var(--header-height, 56px);
        padding: 4px 16px calc(4px) 16px;
        padding-top: max(4px, env(safe-area-inset-top));
        background: var(--app-header-background-color, var(--primary-background-color));
        color: var(--app-header-text-color, var(--primary-text-color));
        border-bottom: var(--app-header-border-bottom, 1px solid var(--divider-color));
        flex-wrap: wrap;
      }
      :host([narrow]) .app-bar {
        padding-left: 4px;
      }
      .menu {
        color: inherit;
      }
      .main-title {
        margin: 0;
        font-size: 20px;
        font-weight: 400;
        flex: 1;
        min-width: 0;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .bar-tabs {
        display: flex;
      }
      .body {
        padding: 16px;
        max-width: 1240px;
        margin: 0 auto;
      }
      :host([narrow]) .body {
        padding: 8px;
      }
      .surface {
        background: var(--card-background-color, #fff);
        border-radius: var(--ha-card-border-radius, 12px);
        border: 1px solid var(--ha-card-border-color, var(--divider-color));
        padding: 16px 20px 20px;
      }
      :host([narrow]) .surface {
        padding: 12px;
      }
      @media (max-width: 440px) {
        .tab-label {
          display: none;
        }
      }
    `,
  ];
}

define("bellas-reef-panel", ReefPanel);

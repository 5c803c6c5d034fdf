// Styles shared by the card, the panel and the editor: HA theme variables only, so every theme works.
import { css } from "lit";

export const shared = css`
  :host {
    --reef-muted: var(--secondary-text-color);
    --reef-surface: color-mix(in srgb, var(--primary-text-color) 4%, transparent);
    --reef-surface-strong: color-mix(in srgb, var(--primary-text-color) 8%, transparent);
    --reef-success: var(--success-color, #43a047);
    --reef-warning: var(--warning-color, #ffa600);
    --reef-error: var(--error-color, #db4437);
    --reef-radius: var(--ha-card-border-radius, 12px);
    color: var(--primary-text-color);
    font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, Roboto, "Noto Sans", system-ui, sans-serif));
    -webkit-font-smoothing: antialiased;
  }
  * {
    box-sizing: border-box;
  }
  .icon {
    width: 20px;
    height: 20px;
    fill: currentColor;
    flex: none;
  }
  button {
    font: inherit;
    color: inherit;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    padding: 0 14px;
    border-radius: 18px;
    border: 1px solid transparent;
    background: transparent;
    color: var(--primary-color);
    font-weight: 500;
    font-size: 14px;
    letter-spacing: 0.01em;
    cursor: pointer;
    white-space: nowrap;
  }
  .btn:hover {
    background: color-mix(in srgb, var(--primary-color) 10%, transparent);
  }
  .btn:focus-visible,
  .icon-btn:focus-visible,
  .tab:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  .btn.filled {
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
  }
  .btn.filled:hover {
    background: color-mix(in srgb, var(--primary-color) 88%, #000);
  }
  .btn.outlined {
    border-color: var(--divider-color);
  }
  .btn.danger {
    color: var(--reef-error);
  }
  .btn.danger.filled {
    background: var(--reef-error);
    color: #fff;
  }
  .btn[disabled] {
    opacity: 0.5;
    cursor: default;
    pointer-events: none;
  }
  .icon-btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    border: none;
    background: transparent;
    color: var(--secondary-text-color);
    cursor: pointer;
    flex: none;
  }
  .icon-btn:hover {
    background: var(--reef-surface-strong);
    color: var(--primary-text-color);
  }
  .icon-btn.danger:hover {
    color: var(--reef-error);
  }
  .icon-btn[disabled] {
    opacity: 0.4;
    pointer-events: none;
  }
  /* A native checkbox drawn as a switch. */
  input.switch {
    appearance: none;
    -webkit-appearance: none;
    position: relative;
    width: 36px;
    height: 20px;
    margin: 0;
    border-radius: 10px;
    background: color-mix(in srgb, var(--secondary-text-color) 45%, transparent);
    cursor: pointer;
    flex: none;
    transition: background 0.15s;
  }
  input.switch::after {
    content: "";
    position: absolute;
    top: 2px;
    left: 2px;
    width: 16px;
    height: 16px;
    border-radius: 50%;
    background: #fff;
    box-shadow: 0 1px 2px rgba(0, 0, 0, 0.35);
    transition: transform 0.15s;
  }
  input.switch:checked {
    background: var(--primary-color);
  }
  input.switch:checked::after {
    transform: translateX(16px);
  }
  input.switch:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 2px 8px;
    border-radius: 10px;
    font-size: 12px;
    line-height: 16px;
    background: var(--reef-surface-strong);
    color: var(--secondary-text-color);
    white-space: nowrap;
  }
  .chip.success {
    color: var(--reef-success);
    background: color-mix(in srgb, var(--reef-success) 14%, transparent);
  }
  .chip.failed {
    color: var(--reef-error);
    background: color-mix(in srgb, var(--reef-error) 14%, transparent);
  }
  .chip.warning,
  .chip.pending,
  .chip.in_progress {
    color: color-mix(in srgb, var(--reef-warning) 75%, var(--primary-text-color));
    background: color-mix(in srgb, var(--reef-warning) 16%, transparent);
  }
  .chip.skipped,
  .chip.cancelled {
    color: var(--secondary-text-color);
  }
  .muted {
    color: var(--secondary-text-color);
  }
  .error-text {
    color: var(--reef-error);
  }
  .banner {
    display: flex;
    gap: 8px;
    align-items: flex-start;
    padding: 10px 12px;
    border-radius: 8px;
    background: color-mix(in srgb, var(--reef-error) 12%, transparent);
    color: var(--primary-text-color);
    font-size: 14px;
  }
  .banner .icon {
    color: var(--reef-error);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--primary-text-color);
  }
  dialog {
    color: var(--primary-text-color);
    background: var(--card-background-color, var(--ha-card-background, #fff));
    border: none;
    border-radius: var(--ha-dialog-border-radius, 24px);
    padding: 0;
    box-shadow: 0 12px 40px rgba(0, 0, 0, 0.35);
    max-width: min(560px, calc(100vw - 32px));
  }
  dialog::backdrop {
    background: rgba(0, 0, 0, 0.45);
  }
`;

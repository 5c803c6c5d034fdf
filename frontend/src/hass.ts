// The part of Home Assistant's `hass` object the card and the panel read. Only public, documented members.

export interface HassEntityState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown> & { friendly_name?: string; brightness?: number | null };
  last_changed?: string;
  last_updated?: string;
}

export interface HassEntityRegistryEntry {
  entity_id: string;
  platform: string;
  name?: string | null;
  device_id?: string | null;
  hidden?: boolean;
}

export type TimeFormat = "language" | "system" | "am_pm" | "12" | "24";

export interface HassLocale {
  language: string;
  time_format?: TimeFormat | string;
  time_zone?: "local" | "server" | string;
  number_format?: string;
  first_weekday?: string;
}

export interface MessageBase {
  type: string;
  [key: string]: unknown;
}

export type Unsubscribe = () => Promise<void> | void;

export interface HassConnection {
  subscribeMessage<T>(callback: (message: T) => void, message: MessageBase): Promise<Unsubscribe>;
  addEventListener?(event: "ready" | "disconnected", listener: () => void): void;
  removeEventListener?(event: "ready" | "disconnected", listener: () => void): void;
}

export interface Hass {
  states: Record<string, HassEntityState>;
  entities?: Record<string, HassEntityRegistryEntry>;
  user?: { id?: string; name?: string; is_admin: boolean } | null;
  language?: string;
  locale?: HassLocale;
  config: { time_zone: string; [key: string]: unknown };
  themes?: { darkMode?: boolean; [key: string]: unknown };
  connected?: boolean;
  connection: HassConnection;
  callWS<T>(message: MessageBase): Promise<T>;
}

/** The integration's domain, as entities' `platform` names it. */
export const DOMAIN = "bellas_reef";

export function isAdmin(hass: Hass | undefined): boolean {
  return hass?.user?.is_admin === true;
}

/** An entity's name for people: its friendly name, else the object id. */
export function entityName(hass: Hass | undefined, entityId: string | null | undefined, fallback?: string): string {
  if (!entityId) return fallback ?? "—";
  const name = hass?.states[entityId]?.attributes.friendly_name;
  if (typeof name === "string" && name) return name;
  return fallback ?? entityId;
}

/** The live level (perceptual %) of a light or switch: brightness * 100 / 255 when on, 100 for a switch on. */
export function liveLevel(state: HassEntityState | undefined): number | null {
  if (!state || state.state === "unavailable" || state.state === "unknown") return null;
  if (state.state !== "on") return 0;
  const brightness = state.attributes.brightness;
  if (typeof brightness === "number") return (brightness * 100) / 255;
  return 100;
}

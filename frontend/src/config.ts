// The card's configuration: validation (setConfig throws), the stub config and HA's editor form schema.

import { DOMAIN, type Hass } from "./hass";
import { translator } from "./i18n";

export type View = "day" | "schedules" | "history";
export const VIEWS: readonly View[] = ["day", "schedules", "history"];
export const CARD_TYPE = "bellas-reef-card";

export interface CardConfig {
  type: string;
  title?: string;
  entities?: string[];
  views?: View[];
  default_view?: View;
}

export interface NormalConfig {
  title: string | undefined;
  /** null: every channel. */
  entities: string[] | null;
  views: View[];
  defaultView: View;
}

const ENTITY_ID = /^(light|switch)\.[a-z0-9_]+$/;
const KNOWN = new Set(["type", "title", "entities", "views", "default_view", "grid_options", "view_layout", "visibility"]);

/** Checks a card configuration and returns it normalised; throws an Error with a readable message if bad. */
export function normaliseConfig(config: unknown): NormalConfig {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error("Bella's Reef card: the configuration must be a mapping");
  }
  const c = config as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!KNOWN.has(key)) throw new Error(`Bella's Reef card: unknown option "${key}"`);
  }
  if (c.title !== undefined && c.title !== null && typeof c.title !== "string") {
    throw new Error("Bella's Reef card: title must be text");
  }
  let entities: string[] | null = null;
  if (c.entities !== undefined && c.entities !== null) {
    if (!Array.isArray(c.entities)) throw new Error("Bella's Reef card: entities must be a list of entity ids");
    entities = [];
    for (const item of c.entities as unknown[]) {
      const id = typeof item === "object" && item !== null ? (item as { entity?: unknown }).entity : item;
      if (typeof id !== "string" || !ENTITY_ID.test(id)) {
        throw new Error(`Bella's Reef card: "${String(id)}" is not a light or switch entity id`);
      }
      if (!entities.includes(id)) entities.push(id);
    }
    if (entities.length === 0) entities = null;
  }
  let views: View[] = [...VIEWS];
  if (c.views !== undefined && c.views !== null) {
    if (!Array.isArray(c.views)) throw new Error("Bella's Reef card: views must be a list (day, schedules, history)");
    views = [];
    for (const view of c.views as unknown[]) {
      if (!VIEWS.includes(view as View)) {
        throw new Error(`Bella's Reef card: unknown view "${String(view)}" (day, schedules or history)`);
      }
      if (!views.includes(view as View)) views.push(view as View);
    }
    if (views.length === 0) throw new Error("Bella's Reef card: views must name at least one view");
    views = VIEWS.filter((view) => views.includes(view));
  }
  let defaultView = views[0]!;
  if (c.default_view !== undefined && c.default_view !== null) {
    if (!VIEWS.includes(c.default_view as View)) {
      throw new Error(`Bella's Reef card: unknown default_view "${String(c.default_view)}"`);
    }
    if (!views.includes(c.default_view as View)) {
      throw new Error(`Bella's Reef card: default_view "${String(c.default_view)}" is not among the views`);
    }
    defaultView = c.default_view as View;
  }
  return { title: (c.title as string | undefined) || undefined, entities, views, defaultView };
}

/** The reef's light channels: entities of the integration in the light domain. */
export function reefLights(hass: Hass | undefined): string[] {
  return Object.values(hass?.entities ?? {})
    .filter((entry) => entry.platform === DOMAIN && entry.entity_id.startsWith("light."))
    .map((entry) => entry.entity_id)
    .sort();
}

export function stubConfig(hass: Hass | undefined): CardConfig {
  const lights = reefLights(hass);
  return lights.length ? { type: `custom:${CARD_TYPE}`, entities: lights } : { type: `custom:${CARD_TYPE}` };
}

/** The user's language where HA gives none to the form: the page's hass, else the browser's. */
function pageLanguage(): string {
  const root = globalThis.document?.querySelector("home-assistant") as { hass?: Hass } | null | undefined;
  return root?.hass?.locale?.language || root?.hass?.language || globalThis.navigator?.language || "en";
}

/** HA renders the card's editor from this schema (public selectors; no custom editor element). */
export function configForm(language = pageLanguage()) {
  const { t } = translator(language);
  const options = VIEWS.map((view) => ({ value: view, label: t(`view.${view}`) }));
  return {
    schema: [
      { name: "title", selector: { text: {} } },
      {
        name: "entities",
        selector: {
          entity: {
            multiple: true,
            filter: [{ integration: DOMAIN, domain: ["light", "switch"] }],
          },
        },
      },
      {
        type: "grid",
        name: "",
        schema: [
          {
            name: "views",
            selector: {
              select: {
                multiple: true,
                mode: "list",
                options,
              },
            },
          },
          {
            name: "default_view",
            selector: {
              select: {
                mode: "dropdown",
                options,
              },
            },
          },
        ],
      },
    ],
    computeLabel: (schema: { name: string }) =>
      ({
        title: t("config.title"),
        entities: t("config.entities"),
        views: t("config.views"),
        default_view: t("config.default_view"),
      })[schema.name],
    computeHelper: (schema: { name: string }) =>
      schema.name === "entities" ? t("config.entities_helper") : undefined,
    assertConfig: (config: unknown) => {
      normaliseConfig(config);
    },
  };
}

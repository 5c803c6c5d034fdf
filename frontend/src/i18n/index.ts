// Translations: one table per language, `en` the reference; the language comes from hass.locale.language,
// then hass.language, then English. Placeholders are written {name}; plural keys end in _one / _other.

import type { Hass } from "../hass";
import { de } from "./de";
import { en } from "./en";

export type Key = keyof typeof en;
export type Table = Record<Key, string>;
/** A key family with _one and _other forms, named without the suffix. */
export type PluralKey = Key extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type Params = Record<string, string | number>;

export const TABLES: Record<string, Table> = { en, de };

export interface Translator {
  language: string;
  t(key: Key, params?: Params): string;
  tn(key: PluralKey, count: number, params?: Params): string;
}

export function languageOf(hass: Hass | undefined): string {
  return hass?.locale?.language || hass?.language || "en";
}

/** The table for a language: "de-CH" falls back to "de", anything unknown to English. */
export function tableFor(language: string): Table {
  return TABLES[language] ?? TABLES[language.split("-")[0]!.toLowerCase()] ?? en;
}

export function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

const cache = new Map<string, Translator>();

export function translator(language: string): Translator {
  let found = cache.get(language);
  if (found) return found;
  const table = tableFor(language);
  let rules: Intl.PluralRules;
  try {
    rules = new Intl.PluralRules(language);
  } catch {
    rules = new Intl.PluralRules("en");
  }
  found = {
    language,
    t: (key, params) => fill(table[key] ?? en[key] ?? key, params),
    tn: (key, count, params) => {
      const form = rules.select(count) === "one" ? "one" : "other";
      const full = `${key}_${form}` as Key;
      return fill(table[full] ?? en[full] ?? full, { count, ...params });
    },
  };
  cache.set(language, found);
  return found;
}

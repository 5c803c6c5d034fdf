// Translations: one table per language, `en` the reference; the language comes from hass.locale.language,
// then hass.language, then English. Placeholders are written {name}; plural keys end in _one / _other.
//
// English is in the module. Every other table is built (from src/i18n/<language>.ts) into
// custom_components/bellas_reef/frontend/i18n/<language>.json beside the module and fetched the first time
// its language is asked for, under a URL with its content hash (so no browser keeps an old one): a second
// language costs a reef keeper who reads English nothing. Until it arrives the card speaks English; then
// TRANSLATIONS_EVENT tells the elements to draw again.

import { en } from "./en";

/** Language -> content hash of its table, as the build ships them (see build.mjs). */
declare const __TRANSLATIONS__: Record<string, string> | undefined;
export const SHIPPED: Readonly<Record<string, string>> = typeof __TRANSLATIONS__ === "object" ? __TRANSLATIONS__ : {};
export const TRANSLATIONS_EVENT = "bellas-reef-translations";

export type Key = keyof typeof en;
export type Table = Record<Key, string>;
/** A key family with _one and _other forms, named without the suffix. */
export type PluralKey = Key extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type Params = Record<string, string | number>;

export const TABLES: Record<string, Table> = { en };
const loading = new Map<string, Promise<void>>();

/** A table for a language (the fetched ones, and the tests' own). */
export function registerTable(language: string, table: Table): void {
  TABLES[language] = table;
  cache.clear();
}

/** Fetch a shipped table once; English stays if it cannot be had. */
export function loadTable(language: string): Promise<void> {
  const hash = SHIPPED[language];
  if (hash === undefined || TABLES[language]) return Promise.resolve();
  let pending = loading.get(language);
  if (!pending) {
    const url = new URL(`./i18n/${language}.json?v=${hash}`, import.meta.url);
    pending = fetch(url)
      .then((answer) => (answer.ok ? (answer.json() as Promise<Table>) : Promise.reject(new Error(String(answer.status)))))
      .then((table) => {
        registerTable(language, table);
        globalThis.dispatchEvent?.(new Event(TRANSLATIONS_EVENT));
      })
      .catch(() => undefined);
    loading.set(language, pending);
  }
  return pending;
}

export interface Translator {
  language: string;
  t(key: Key, params?: Params): string;
  tn(key: PluralKey, count: number, params?: Params): string;
}

/** The table for a language: "de-CH" falls back to "de", anything unknown to English. */
export function tableFor(language: string): Table {
  const base = language.split("-")[0]!.toLowerCase();
  const found = TABLES[language] ?? TABLES[base];
  if (found) return found;
  void loadTable(SHIPPED[language] !== undefined ? language : base);
  return en;
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

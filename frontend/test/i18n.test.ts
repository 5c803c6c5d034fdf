import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { ACTION_STATUSES, ACTION_TYPES, FREQUENCIES, INTERPOLATIONS, PRESETS, SCHEDULE_TYPES } from "../src/api";
import { VIEWS } from "../src/config";
import { UNITS } from "../src/form";
import { TABLES, fill, tableFor, translator, type Key } from "../src/i18n";
import { de } from "../src/i18n/de";
import { en } from "../src/i18n/en";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
function sources(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [readFileSync(join(dir, entry.name), "utf8")] : [],
  );
}

describe("translation tables", () => {
  test("every language has exactly the keys of English", () => {
    for (const [language, table] of Object.entries(TABLES)) {
      expect(Object.keys(table).sort(), language).toEqual(Object.keys(en).sort());
    }
  });
  test("no translation is empty, and placeholders match English", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [language, table] of Object.entries(TABLES)) {
      for (const key of Object.keys(en) as Key[]) {
        expect(table[key].trim(), `${language} ${key}`).not.toBe("");
        expect(placeholders(table[key]), `${language} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });
  test("every t(\"key\") and tn(\"key\") in the sources exists", () => {
    const text = sources().join("\n");
    const used = [...text.matchAll(/\bt\("([\w.]+)"/g)].map((m) => m[1]!);
    const plural = [...text.matchAll(/\btn\("([\w.]+)"/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(100);
    for (const key of used) expect(en, key).toHaveProperty([key]);
    for (const key of plural) {
      expect(en, key).toHaveProperty([`${key}_one`]);
      expect(en, key).toHaveProperty([`${key}_other`]);
    }
  });
  test("the key families the sources build from a value are complete", () => {
    const families: [string, readonly string[]][] = [
      ["view", VIEWS],
      ["type", SCHEDULE_TYPES],
      ["type_long", SCHEDULE_TYPES],
      ["type_hint", SCHEDULE_TYPES],
      ["action", ACTION_TYPES],
      ["preset", PRESETS],
      ["preset_hint", PRESETS],
      ["frequency", FREQUENCIES],
      ["status", ACTION_STATUSES],
      ["unit_name", UNITS],
      ["curve", ["default", "perceptual", "linear"]],
      ["interpolation", INTERPOLATIONS],
    ];
    for (const [family, values] of families) for (const value of values) expect(en).toHaveProperty([`${family}.${value}`]);
    for (const frequency of FREQUENCIES) {
      expect(en).toHaveProperty([`editor.every_unit_${frequency}_one`]);
      expect(en).toHaveProperty([`editor.every_unit_${frequency}_other`]);
    }
  });
});

describe("the translator", () => {
  test("language fallbacks", () => {
    expect(tableFor("de")).toBe(de);
    expect(tableFor("de-CH")).toBe(de);
    expect(tableFor("fr")).toBe(en);
  });
  test("placeholders and plurals", () => {
    expect(fill("{a} and {b} and {c}", { a: 1, b: "x" })).toBe("1 and x and {c}");
    const { t, tn } = translator("en");
    expect(t("schedules.copy_name", { name: "Reef day" })).toBe("Reef day (copy)");
    expect(tn("schedules.count", 1)).toBe("1 schedule");
    expect(tn("schedules.count", 14)).toBe("14 schedules");
    expect(translator("de").tn("schedules.count", 1)).toBe("1 Zeitplan");
  });
});

import type { LocaleInfo } from "../src/format";
import { translator } from "../src/i18n";
import { makeCtx, type Ctx } from "../src/when";

/** ICU puts a narrow no-break space before AM/PM and in some lists; tests compare plain text. */
export const norm = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

export function ctxFor(language: string, hour12 = false, haZone = "Europe/Berlin", zone = haZone): Ctx {
  const info: LocaleInfo = { language, hour12, zone, haZone };
  return makeCtx(translator(language), info);
}

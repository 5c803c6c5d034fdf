// npm run screenshots: the harness in headless Chromium at 1400 px and 390 px, light and dark, every view,
// the editor (with problems at their fields), the delete confirmation and the panel → dev/screenshots/.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureWebSocket, launch } from "./cdp.mjs";
import { serve } from "./serve.mjs";

ensureWebSocket();
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "screenshots");
mkdirSync(out, { recursive: true });

const SIZES = { desktop: [1400, 900, false, 1], phone: [390, 844, true, 2] };
const SHOTS = [
  ["day", "view=day"],
  ["schedules", "view=schedules", "fixed"],
  ["history", "view=history", "fixed"],
  ["editor-problem", "view=schedules&open=editor-problem", "fixed"],
  ["editor-edit", "view=schedules&open=editor-edit", "fixed"],
  ["editor-new", "view=schedules&open=editor-new", "fixed"],
  ["editor-custom", "view=schedules&open=editor-custom", "fixed"],
  ["editor-weekly", "view=schedules&open=editor-weekly", "fixed"],
  ["editor-profile", "view=schedules&open=editor-profile&scroll=f-preset.points", "fixed"],
  ["editor-profile-more", "view=schedules&open=editor-profile&scroll=f-preset.offsets", "fixed"],
  ["editor-profile-problem", "view=schedules&open=editor-profile-problem&scroll=f-preset.points", "fixed"],
  ["editor-ramp-acclimation", "view=schedules&open=editor-edit&scroll=f-acclimation", "fixed"],
  ["de-editor-profile", "view=schedules&open=editor-profile&scroll=f-preset.offsets&lang=de", "fixed"],
  ["discard", "view=schedules&open=discard", "fixed"],
  ["delete", "view=schedules&open=delete", "fixed"],
  ["panel-day", "mount=panel&view=day"],
  ["panel-schedules", "mount=panel&view=schedules", "fixed"],
  ["panel-history", "mount=panel&view=history", "fixed"],
  ["readonly-schedules", "view=schedules&admin=0", "fixed"],
  ["de-schedules", "view=schedules&lang=de", "fixed"],
  ["de-day", "view=day&lang=de"],
  ["h12-day", "view=day&h12=1"],
  ["tooltip", "view=day&hover=10:07&chart=0", "fixed"],
  ["tooltip-band", "view=day&hover=08:33&chart=5", "fixed"],
  ["en-gb-day", "view=day&lang=en-GB", "fixed"],
  ["eight-channels", "view=day&channels=8"],
];

const only = process.argv.slice(2);
const { server, url } = await serve(0);
const browser = await launch();
const { page } = browser;
await page.call("Runtime.enable");
try {
  for (const [size, [width, height, mobile, scale]] of Object.entries(SIZES)) {
    for (const theme of ["light", "dark"]) {
      for (const [name, query, fixed] of SHOTS) {
        const file = `${size}-${theme}-${name}.png`;
        if (only.length && !only.some((part) => file.includes(part))) continue;
        if (theme === "dark" && ["de-schedules", "de-day", "de-editor-profile", "editor-profile-problem", "editor-ramp-acclimation", "h12-day", "editor-new", "editor-custom", "editor-weekly", "panel-history", "tooltip-band", "en-gb-day", "eight-channels"].includes(name)) continue;
        await page.viewport(width, height, mobile, scale);
        await page.goto(`${url}?theme=${theme}&${query}`);
        await page.evaluate("window.reef.ready");
        if (!fixed) {
          const full = await page.evaluate("Math.ceil(document.documentElement.scrollHeight)");
          await page.viewport(width, Math.min(Math.max(height, full), 5000), mobile, scale);
          await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
        }
        const overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth");
        writeFileSync(join(out, file), await page.screenshot());
        console.log(`${file}${overflow ? "  (horizontal overflow!)" : ""}`);
      }
    }
  }
  const errors = page.console.filter((line) => line.startsWith("exception") || line.startsWith("error"));
  if (errors.length) console.log("console:\n" + errors.join("\n"));
} finally {
  await browser.close();
  server.close();
}

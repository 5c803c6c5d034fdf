#!/usr/bin/env node
// The dashboard card in headless Chromium (the committed bundle, a fake hass answering from fixtures):
//   * bundle size, minified and gzipped;
//   * time from the card being attached to every channel's curve drawn, 50 schedules on 8 channels
//     (a fresh page per sample), in all and after the day's data arrived;
//   * renders of the card, and list rows touched, for one subscription event.
// Usage: node benchmarks/frontend_render.mjs [samples]   (needs chromium on PATH and `npm ci` in frontend/)
// Prints medians (and p90) of each figure.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const dev = resolve(here, "../frontend/dev");
const { ensureWebSocket, launch } = await import(resolve(dev, "cdp.mjs"));
ensureWebSocket();
const { serve } = await import(resolve(dev, "serve.mjs"));

const samples = Number(process.argv[2] ?? 15);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.9) - 1)];
const ms = (value) => `${value.toFixed(1)} ms`;

// What every dashboard loads (the module and the chunk it imports at once) and what loads on demand (the editor)
const folder = resolve(here, "../custom_components/bellas_reef/frontend");
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const report = (label, names) => {
  const files = names.map((name) => readFileSync(resolve(folder, name)));
  const raw = files.reduce((sum, file) => sum + file.length, 0);
  const gz = files.reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0);
  console.log(`${label}: ${kib(raw)} minified, ${kib(gz)} gzipped (${names.join(" + ")})`);
};
const shipped = readdirSync(folder).filter((name) => name.endsWith(".js"));
report("first load", shipped.filter((name) => name === "bellas-reef-card.js" || name.startsWith("chunk-")));
report("on demand", shipped.filter((name) => name.startsWith("editor-")));

const { server, url } = await serve(0);
const browser = await launch();
const { page } = browser;
try {
  await page.viewport(1400, 900);
  const first = { total: [], afterData: [], toFrame: [] };
  for (let i = 0; i < samples; i++) {
    await page.goto(`${url}bench.html?sample=${i}`);
    await page.evaluate("new Promise((r) => { const f = () => (window.bench ? r() : setTimeout(f, 10)); f(); })");
    const result = await page.evaluate("window.bench.firstCurve(50, 8)");
    for (const key of Object.keys(first)) first[key].push(result[key]);
  }
  console.log(`first curve, 50 schedules on 8 channels (${samples} fresh pages):`);
  console.log(`  attached → curves drawn:   median ${ms(median(first.total))}, p90 ${ms(p90(first.total))}`);
  console.log(`  data arrived → drawn:      median ${ms(median(first.afterData))}, p90 ${ms(p90(first.afterData))}`);
  console.log(`  attached → next frame:     median ${ms(median(first.toFrame))}, p90 ${ms(p90(first.toFrame))}`);
  for (const [view, kind] of [
    ["schedules", "schedule"],
    ["day", "schedule"],
    ["history", "action"],
    ["day", "action"],
  ]) {
    const runs = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${url}bench.html?renders=${view}-${kind}-${i}`);
      await page.evaluate("new Promise((r) => { const f = () => (window.bench ? r() : setTimeout(f, 10)); f(); })");
      runs.push(await page.evaluate(`window.bench.rendersPerEvent(${JSON.stringify(view)}, ${JSON.stringify(kind)})`));
    }
    const pick = (key) => median(runs.map((run) => run[key]));
    console.log(
      `one ${kind} event, ${view} view: renders at once ${pick("immediate")}, within 1 s ${pick("within1s")}, list rows touched ${pick("rowsTouched")}`,
    );
  }
  const errors = page.console.filter((line) => line.startsWith("exception") || line.startsWith("error"));
  if (errors.length) console.log("console errors:\n" + errors.join("\n"));
} finally {
  await browser.close();
  server.close();
}

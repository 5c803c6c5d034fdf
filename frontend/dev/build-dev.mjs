// Builds the harness (dev/harness.ts with the card's sources) into dev/dist/harness.js.
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export async function buildHarness() {
  await build({
    absWorkingDir: resolve(here, ".."),
    entryPoints: { harness: "dev/harness.ts", bench: "dev/bench.ts" },
    bundle: true,
    format: "esm",
    target: "es2021",
    outdir: resolve(here, "dist"),
    sourcemap: "inline",
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildHarness();

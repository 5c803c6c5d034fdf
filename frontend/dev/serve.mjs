// npm run dev: builds the harness and serves frontend/dev/ on http://127.0.0.1:8765/ (loopback only).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildHarness } from "./build-dev.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// The committed bundle (the module, its chunks, the language tables), served beside the pages as Home
// Assistant serves its folder.
const BUNDLE_DIR = resolve(here, "../../custom_components/bellas_reef/frontend");
const SHIPPED = /^\/(bellas-reef-card|chunk-[A-Z0-9]+|editor-[A-Z0-9]+)\.js$|^\/i18n\/[a-z-]+\.json$/i;
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
};

export async function serve(port = 0) {
  await buildHarness();
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const shipped = SHIPPED.test(path);
    const file = shipped ? join(BUNDLE_DIR, path) : resolve(join(here, path === "/" ? "index.html" : path));
    if (!shipped && !file.startsWith(here)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  await new Promise((ready) => server.listen(port, "127.0.0.1", ready));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serve(Number(process.env.PORT ?? 8765));
  console.log(`harness on ${url}  (try ?theme=dark, ?mount=panel, ?view=schedules, ?open=editor-problem)`);
}

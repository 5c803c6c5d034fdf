// npm run dev: builds the harness and serves frontend/dev/ on http://127.0.0.1:8765/ (loopback only).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildHarness } from "./build-dev.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// The committed bundle, served beside the pages as Home Assistant serves it.
const BUNDLE = resolve(here, "../../custom_components/bellas_reef/frontend/bellas-reef-card.js");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png" };

export async function serve(port = 0) {
  await buildHarness();
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = path === "/bellas-reef-card.js" ? BUNDLE : resolve(join(here, path === "/" ? "index.html" : path));
    if (file !== BUNDLE && !file.startsWith(here)) {
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

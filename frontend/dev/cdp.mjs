// A tiny Chrome DevTools Protocol driver (headless Chromium, no dependencies): launch, navigate, evaluate,
// screenshot. Node 20 needs --experimental-websocket for the global WebSocket; the caller re-runs itself so.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Re-runs the current script with the WebSocket flag when this Node has no global WebSocket. */
export function ensureWebSocket() {
  if (typeof WebSocket !== "undefined") return false;
  const result = spawnSync(process.execPath, ["--experimental-websocket", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}

export function findChromium() {
  if (process.env.BELLAS_REEF_CHROMIUM) return process.env.BELLAS_REEF_CHROMIUM;
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
    if (found) return found;
  }
  throw new Error("no Chromium on PATH (apt-get install chromium, or set BELLAS_REEF_CHROMIUM)");
}

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "reef-chromium-"));
  const child = spawn(
    findChromium(),
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--no-proxy-server",
      "--no-default-browser-check",
      "--disable-dev-shm-usage",
      "--hide-scrollbars",
      "--font-render-hinting=none",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: "ignore", detached: true },
  );
  const file = join(profile, "DevToolsActivePort");
  let port = null;
  for (let i = 0; i < 200 && port === null; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (existsSync(file)) {
      const lines = readFileSync(file, "utf8").split("\n");
      if (lines.length >= 2 && lines[0]) port = Number(lines[0]);
    }
  }
  if (port === null) throw new Error("Chromium did not open its DevTools port");
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = await Page.connect(targets.find((t) => t.type === "page").webSocketDebuggerUrl);
  return {
    page,
    async close() {
      page.close();
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 300));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export class Page {
  static connect(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Page(ws));
      ws.onerror = (error) => reject(error);
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.id = 0;
    this.pending = new Map();
    this.console = [];
    ws.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.id && this.pending.has(data.id)) {
        const { resolve, reject } = this.pending.get(data.id);
        this.pending.delete(data.id);
        if (data.error) reject(new Error(JSON.stringify(data.error)));
        else resolve(data.result);
      } else if (data.method === "Runtime.consoleAPICalled") {
        this.console.push(`${data.params.type}: ${data.params.args.map((a) => a.value ?? a.description).join(" ")}`);
      } else if (data.method === "Runtime.exceptionThrown") {
        this.console.push(`exception: ${data.params.exceptionDetails.exception?.description ?? data.params.exceptionDetails.text}`);
      }
    };
  }

  call(method, params = {}) {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  async evaluate(expression) {
    const result = await this.call("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (result.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
    return result.result.value;
  }

  async viewport(width, height, mobile = false, scale = 1) {
    await this.call("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: scale, mobile });
  }

  async goto(url) {
    await this.call("Page.navigate", { url });
    for (let i = 0; i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const state = await this.evaluate("document.readyState").catch(() => "loading");
      if (state === "complete") return;
    }
  }

  async screenshot() {
    const { data } = await this.call("Page.captureScreenshot", { format: "png" });
    return Buffer.from(data, "base64");
  }

  close() {
    this.ws.close();
  }
}

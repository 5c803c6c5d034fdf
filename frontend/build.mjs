// Bundles src/index.ts into the ES module Home Assistant loads,
// custom_components/bellas_reef/frontend/bellas-reef-card.js, and the chunks it loads on demand beside it
// (the schedule editor: only an administrator who opens it needs it), named by their content hash.
//   node build.mjs          build the committed files (and remove chunks no build makes any more)
//   node build.mjs --check  build in memory and fail if any committed file differs, is missing or is left over
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(here, "../custom_components/bellas_reef/frontend");
const bundle = join(outdir, "bellas-reef-card.js");
const CHUNK = /^chunk-[A-Z0-9]+\.js$|^editor-[A-Z0-9]+\.js$/;
const NOTICES = "bellas-reef-card.js.LICENSES.txt";
const tablesDir = resolve(here, "../custom_components/bellas_reef/frontend/i18n");
// The languages shipped as data beside the module (English is in it): src/i18n/<language>.ts each.
const LANGUAGES = readdirSync(resolve(here, "src/i18n"))
  .filter((name) => /^[a-z]{2}(-[a-z]+)?\.ts$/i.test(name) && name !== "en.ts")
  .map((name) => name.slice(0, -3))
  .sort();
const check = process.argv.includes("--check");

export const options = {
  absWorkingDir: here,
  entryPoints: { "bellas-reef-card": "src/index.ts" },
  bundle: true,
  splitting: true,
  chunkNames: "[name]-[hash]",
  format: "esm",
  minify: true,
  target: "es2021",
  legalComments: "external",
  charset: "utf8",
  sourcemap: false,
  metafile: false,
  write: false,
  logLevel: "warning",
  // Nothing of the machine (paths, dates) may reach the output: the bundle must be byte-identical anywhere.
  define: { "process.env.NODE_ENV": '"production"' },
};
options.plugins = [];

/**
 * The minified code with the indentation of its templates folded: in esbuild's one-line output a raw newline
 * can only be inside a template literal (lit's html`` and css``), where a run of white space means one space.
 * A first line names the file with the notices of what is bundled (see ``notices``).
 */
export function finish(code) {
  const text = code.text.replace(/\n[ \t\n]*/g, " ").trimEnd() + "\n";
  return Buffer.from(`/*! Bella's Reef card and panel. Third-party notices: ${NOTICES} */\n${text}`, "utf8");
}

/** The licences of what is bundled (lit's BSD-3-Clause notices), kept beside the module. */
export function notices(outputFiles) {
  const legal = outputFiles.filter((file) => file.path.endsWith(".LEGAL.txt")).map((file) => file.text.trim());
  return Buffer.from([...new Set(legal.filter(Boolean))].join("\n\n") + "\n", "utf8");
}

/** Minifies the text of lit's css`` templates (plain CSS: the sources interpolate nothing into them). */
export function minifyCss(source) {
  return source.replace(/\bcss`([^`$]*)`/g, (_whole, body) => {
    const text = body
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/\s*([{};,>])\s*/g, "$1")
      .replace(/:\s+/g, ":")
      .replace(/;}/g, "}")
      .trim();
    return "css`" + text + "`";
  });
}

const cssPlugin = {
  name: "minify-css-templates",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => ({
      contents: minifyCss(readFileSync(args.path, "utf8")),
      loader: "ts",
    }));
  },
};

/** A translation table as the JSON shipped beside the module (its keys in the order of en.ts). */
async function tableJson(language) {
  const result = await build({
    absWorkingDir: here,
    entryPoints: [`src/i18n/${language}.ts`],
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "warning",
  });
  const source = result.outputFiles[0].text;
  const module = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
  const table = module[language.replace("-", "_")] ?? Object.values(module)[0];
  return Buffer.from(JSON.stringify(table, null, 1) + "\n", "utf8");
}

/** What the build writes: the module and every shipped table (path -> bytes). */
async function outputs() {
  const files = new Map();
  const hashes = {};
  for (const language of LANGUAGES) {
    const json = await tableJson(language);
    hashes[language] = createHash("sha256").update(json).digest("hex").slice(0, 16);
    files.set(join(tablesDir, `${language}.json`), json);
  }
  const result = await build({
    ...options,
    define: { ...options.define, __TRANSLATIONS__: JSON.stringify(hashes) },
    plugins: [cssPlugin],
    outdir,
  });
  for (const code of result.outputFiles.filter((file) => file.path.endsWith(".js"))) {
    files.set(join(outdir, basename(code.path)), finish(code));
  }
  files.set(join(outdir, NOTICES), notices(result.outputFiles));
  return files;
}

/** The chunks in the output folder that this build does not make (left by an earlier one). */
function leftOver(files) {
  return readdirSync(outdir)
    .filter((name) => CHUNK.test(name) && !files.has(join(outdir, name)))
    .map((name) => join(outdir, name));
}

/** Sizes: the module and what it imports at once (a first load), and the chunks loaded on demand. */
function sizes(files) {
  const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
  const entry = files.get(bundle);
  const at_once = [entry, ...[...files].filter(([path]) => basename(path).startsWith("chunk-")).map(([, b]) => b)];
  const first = at_once.reduce((sum, bytes) => sum + bytes.length, 0);
  const firstGz = at_once.reduce((sum, bytes) => sum + gz(bytes), 0);
  const later = [...files].filter(([path]) => basename(path).startsWith("editor-"));
  const editor = later.map(([path, bytes]) => `${basename(path)} ${bytes.length} bytes, ${gz(bytes)} gzipped`);
  return `first load ${first} bytes, ${firstGz} gzipped; on demand: ${editor.join(", ") || "none"}`;
}

async function run() {
  const files = await outputs();
  const size = sizes(files);
  if (!check) {
    mkdirSync(tablesDir, { recursive: true });
    for (const [path, bytes] of files) writeFileSync(path, bytes);
    for (const path of leftOver(files)) rmSync(path);
    console.log(`built ${relative(process.cwd(), bundle)}: ${size}; tables: ${LANGUAGES.join(", ") || "none"}`);
    return;
  }
  const stale = [...files].filter(([path, bytes]) => !existsSync(path) || !readFileSync(path).equals(bytes));
  const extra = leftOver(files);
  if (stale.length || extra.length) {
    for (const [path] of stale) console.error(`${relative(process.cwd(), path)} differs from a fresh build (or is missing).`);
    for (const path of extra) console.error(`${relative(process.cwd(), path)} is no longer built: remove it.`);
    console.error("Run `npm run build` in frontend/ and commit custom_components/bellas_reef/frontend/.");
    process.exitCode = 1;
    return;
  }
  console.log(`bundle up to date (${size}); tables: ${LANGUAGES.join(", ") || "none"}`);
}

await run();

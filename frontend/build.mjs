// Bundles src/index.ts into the one ES module Home Assistant loads:
// custom_components/bellas_reef/frontend/bellas-reef-card.js.
//   node build.mjs          build the committed bundle
//   node build.mjs --check  build to a temporary file and fail if it differs from the committed bundle
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = resolve(here, "../custom_components/bellas_reef/frontend/bellas-reef-card.js");
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
  entryPoints: ["src/index.ts"],
  bundle: true,
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
export function finish(outputFiles) {
  const code = outputFiles.find((file) => file.path.endsWith(".js"));
  const text = code.text.replace(/\n[ \t\n]*/g, " ").trimEnd() + "\n";
  return Buffer.from(`/*! Bella's Reef card and panel. Third-party notices: ${NOTICES} */\n${text}`, "utf8");
}

/** The licences of what is bundled (lit's BSD-3-Clause notices), kept beside the module. */
export function notices(outputFiles) {
  const legal = outputFiles.find((file) => file.path.endsWith(".LEGAL.txt"));
  return Buffer.from((legal ? legal.text.trim() : "") + "\n", "utf8");
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
    outfile: bundle,
  });
  files.set(bundle, finish(result.outputFiles));
  files.set(join(dirname(bundle), NOTICES), notices(result.outputFiles));
  return files;
}

async function run() {
  const files = await outputs();
  const built = files.get(bundle);
  const size = `${built.length} bytes, ${gzipSync(built, { level: 9 }).length} gzipped`;
  if (!check) {
    mkdirSync(tablesDir, { recursive: true });
    for (const [path, bytes] of files) writeFileSync(path, bytes);
    console.log(`built ${relative(process.cwd(), bundle)}: ${size}; tables: ${LANGUAGES.join(", ") || "none"}`);
    return;
  }
  const stale = [...files].filter(([path, bytes]) => !existsSync(path) || !readFileSync(path).equals(bytes));
  if (stale.length) {
    for (const [path] of stale) console.error(`${relative(process.cwd(), path)} differs from a fresh build (or is missing).`);
    console.error("Run `npm run build` in frontend/ and commit custom_components/bellas_reef/frontend/.");
    process.exitCode = 1;
    return;
  }
  console.log(`bundle up to date (${size}); tables: ${LANGUAGES.join(", ") || "none"}`);
}

await run();

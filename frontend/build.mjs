// Bundles src/index.ts into the one ES module Home Assistant loads:
// custom_components/bellas_reef/frontend/bellas-reef-card.js.
//   node build.mjs          build the committed bundle
//   node build.mjs --check  build to a temporary file and fail if it differs from the committed bundle
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = resolve(here, "../custom_components/bellas_reef/frontend/bellas-reef-card.js");
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
 * The licences of what is bundled (lit's BSD-3-Clause notices) follow at the end.
 */
export function finish(outputFiles) {
  const code = outputFiles.find((file) => file.path.endsWith(".js"));
  const legal = outputFiles.find((file) => file.path.endsWith(".LEGAL.txt"));
  let text = code.text.replace(/\n[ \t\n]*/g, " ").trimEnd() + "\n";
  if (legal && legal.text.trim()) {
    const notices = legal.text.trim().replace(/\*\//g, "* /");
    text += `/*! Bundled third-party notices:\n${notices}\n*/\n`;
  }
  return Buffer.from(text, "utf8");
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

async function run() {
  const temporary = check ? mkdtempSync(join(tmpdir(), "bellas-reef-")) : null;
  const outfile = temporary ? join(temporary, "bellas-reef-card.js") : bundle;
  try {
    const result = await build({ ...options, plugins: [cssPlugin], outfile });
    const built = finish(result.outputFiles);
    writeFileSync(outfile, built);
    const size = `${built.length} bytes, ${gzipSync(built, { level: 9 }).length} gzipped`;
    if (!check) {
      console.log(`built ${relative(process.cwd(), bundle)}: ${size}`);
      return;
    }
    const committed = existsSync(bundle) ? readFileSync(bundle) : null;
    if (committed === null || !committed.equals(built)) {
      console.error(
        `The committed bundle ${relative(process.cwd(), bundle)} ${committed === null ? "is missing" : "differs from a fresh build"}.\n` +
          "Run `npm run build` in frontend/ and commit custom_components/bellas_reef/frontend/bellas-reef-card.js.",
      );
      process.exitCode = 1;
      return;
    }
    console.log(`bundle up to date (${size})`);
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

await run();

// Bundle src/ into static/dist/ with esbuild; the output is committed and must be reproducible.
// `node build.mjs --outdir=DIR` writes elsewhere, so `make assets-check` can compare.
import * as esbuild from "esbuild";

const outdirArg = process.argv.find((arg) => arg.startsWith("--outdir="));
const outdir = outdirArg ? outdirArg.slice("--outdir=".length) : "static/dist";

await esbuild.build({
  entryPoints: { app: "src/app.js", style: "src/app.css" },
  outdir,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  logLevel: "warning",
});

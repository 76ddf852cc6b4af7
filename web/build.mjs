// Builds the site's front-end files: node build.mjs [OUT_DIR]
//
// OUT_DIR (default ../build-web/assets, from this folder) receives app-<hash>.js and
// app-<hash>.css, a .gz copy of each, and manifest.json {"app.js": "app-<hash>.js", ...}. The
// server (api/web/assets.hpp) reads the manifest and serves the files as /assets/<name> with
// immutable caching, which is safe only because a name changes whenever the content does. The
// build is deterministic: the same sources and lockfile give the same names and bytes.

import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT_DIR = path.resolve(WEB_DIR, '..', 'build-web', 'assets');
//! Files an earlier build wrote; only these are ever removed from OUT_DIR.
const BUILT_FILE = /^app-[A-Z0-9]+\.(?:js|css)(?:\.gz)?$/;

/** Bundles one entry point in memory; returns { logical, hashed, bytes }. */
async function bundle(entry, options) {
  const result = await esbuild.build({
    // esbuild's [hash] covers paths relative to the working directory: pinning it to web/ keeps
    // the names the same whatever directory the build runs from, and in any checkout.
    absWorkingDir: WEB_DIR,
    entryPoints: [path.join('src', entry)],
    outdir: 'out', // Only names the outputs; nothing is written (write: false).
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: false,
    write: false,
    logLevel: 'warning',
    // Chart.js's MIT notice stays with its code, at the end of the file.
    legalComments: 'eof',
    ...options,
  });
  if (result.outputFiles.length !== 1) throw new Error(`${entry}: expected one output file`);
  const [file] = result.outputFiles;
  return { logical: entry, hashed: path.basename(file.path), bytes: file.contents };
}

/** Writes through a temporary name, so that the server never reads a half-written file. */
async function writeAtomically(file, bytes) {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}

async function main() {
  const outDir = path.resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
  const outputs = [
    await bundle('app.js', {
      format: 'esm',
      target: 'es2020',
      platform: 'browser',
      treeShaking: true,
    }),
    await bundle('app.css', { loader: { '.css': 'css' } }),
  ];
  await mkdir(outDir, { recursive: true });
  const wanted = new Set(outputs.flatMap(({ hashed }) => [hashed, `${hashed}.gz`]));
  // Files of earlier builds go; their pages are gone once the server reloads the manifest.
  for (const name of await readdir(outDir)) {
    if (BUILT_FILE.test(name) && !wanted.has(name)) await rm(path.join(outDir, name));
  }
  const manifest = {};
  const sizes = [];
  for (const { logical, hashed, bytes } of outputs) {
    // Level 9 once at build time, so the server never compresses; Node writes mtime 0, so the
    // .gz bytes are deterministic too.
    const gzip = gzipSync(bytes, { level: 9 });
    await writeAtomically(path.join(outDir, hashed), bytes);
    await writeAtomically(path.join(outDir, `${hashed}.gz`), gzip);
    manifest[logical] = hashed;
    sizes.push(
      `${hashed.padEnd(22)} ${String(bytes.length).padStart(8)} B  gzip ${String(gzip.length).padStart(7)} B`,
    );
  }
  // The manifest last: it names only files that are already complete.
  await writeAtomically(
    path.join(outDir, 'manifest.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  console.log(`built into ${outDir}\n${sizes.join('\n')}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

// The build: hashed names, .gz copies, the manifest the server reads, and determinism.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const BUILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build.mjs');

function build(outDir, cwd = undefined) {
  execFileSync(process.execPath, [BUILD, outDir], { stdio: 'pipe', cwd });
  return JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
}

test('the build writes hashed files, their gzip copies and the manifest, the same each time', (t) => {
  const first = mkdtempSync(path.join(tmpdir(), 'wb-web-'));
  const second = mkdtempSync(path.join(tmpdir(), 'wb-web-'));
  t.after(() => {
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  });
  // A file of an older build is removed; a file of someone else's is left alone.
  writeFileSync(path.join(first, 'app-OLD00000.js'), 'old');
  writeFileSync(path.join(first, 'README'), 'kept');
  const manifest = build(first);
  assert.deepEqual(Object.keys(manifest).sort(), ['app.css', 'app.js']);
  assert.match(manifest['app.js'], /^app-[A-Z0-9]+\.js$/);
  assert.match(manifest['app.css'], /^app-[A-Z0-9]+\.css$/);
  const files = readdirSync(first).sort();
  const expected = ['README', 'manifest.json'];
  for (const name of Object.values(manifest)) expected.push(name, `${name}.gz`);
  assert.deepEqual(files, expected.sort());
  for (const name of Object.values(manifest)) {
    const raw = readFileSync(path.join(first, name));
    assert.deepEqual(gunzipSync(readFileSync(path.join(first, `${name}.gz`))), raw);
    assert.ok(!raw.toString('utf8').includes('sourceMappingURL'), `${name} names no source map`);
  }
  // From another working directory too: esbuild's hashes cover paths relative to it.
  assert.deepEqual(build(second, tmpdir()), manifest, 'same input, same names');
  for (const name of readdirSync(second)) {
    assert.deepEqual(
      readFileSync(path.join(second, name)),
      readFileSync(path.join(first, name)),
      name,
    );
  }
});

test('the bundle keeps only the chart parts it registers and nothing the CSP forbids', (t) => {
  const out = mkdtempSync(path.join(tmpdir(), 'wb-web-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const manifest = build(out);
  const script = readFileSync(path.join(out, manifest['app.js']), 'utf8');
  for (const absent of [
    'DoughnutController',
    'RadarController',
    'TimeScale',
    'new Function',
    'eval(',
  ]) {
    assert.ok(!script.includes(absent), absent);
  }
  assert.ok(script.includes('wb-verify-start'));
});

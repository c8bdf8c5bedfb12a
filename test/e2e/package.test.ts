// `npm run package` builds the production bundles and packs embedding-lens.vsix; the archive (read with the
// project's own zip reader) holds exactly the bundles, manifest, docs and media: no sources, tests or data.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readAllBytes } from '../../src/core/io/byte-source';
import { openZip, type ZipArchive } from '../../src/core/io/zip';
import { FileByteSource } from '../../src/node/node-files';
import { REPO_ROOT } from './lib/paths';
import { VSIX, withVsix } from './lib/vsix';

/** Bundles are read whole to inspect them; none should come near this. */
const MAX_READ_BYTES = 64 * 2 ** 20;
/** Size sanity: the bundles are a few hundred KB each compressed; megabytes mean something large got in. */
const MAX_VSIX_BYTES = 10 * 2 ** 20;
/** Anything smaller cannot hold the four bundles. */
const MIN_VSIX_BYTES = 50 * 2 ** 10;

const REQUIRED = [
  'package.json',
  'dist/extension.js',
  'dist/worker.js',
  'dist/webview.js',
  'dist/cli.js',
  // Thread pools' workers (kNN, word2vec, GloVe), the tfjs wasm backend's binaries, the training config schema.
  'dist/knn-worker.js',
  'dist/word2vec-worker.js',
  'dist/glove-worker.js',
  'dist/tfjs-backend-wasm-simd.wasm',
  'dist/tfjs-backend-wasm.wasm',
  'schemas/train-config.schema.json',
];
const BUNDLES = [
  'dist/extension.js',
  'dist/worker.js',
  'dist/cli.js',
  'dist/knn-worker.js',
  'dist/word2vec-worker.js',
  'dist/glove-worker.js',
];
/** Paths (inside extension/) that must never ship: sources, tests, benchmarks, dependencies, caches, data, maps. */
const FORBIDDEN: readonly RegExp[] = [
  /^src\//,
  /^test\//,
  /^webview\//,
  /^bench\//,
  /^scripts\//,
  /(^|\/)node_modules\//,
  /(^|\/)\.cache\//,
  /(^|\/)\.run\//,
  /(^|\/)\.git\//,
  /(^|\/)\.ci\//,
  /fixtures\//,
  /(^|\/)shared\//,
  /\.map$/,
  /\.ts$/,
  /\.vsix$/,
  /(^|\/)tsconfig\.json$/,
  /(^|\/)package-lock\.json$/,
];

interface Packaged {
  readonly archive: ZipArchive;
  readonly names: readonly string[];
  readonly bytes: number;
  readonly seconds: number;
}

async function text(archive: ZipArchive, name: string): Promise<string> {
  const entry = archive.find(`extension/${name}`);
  assert.ok(entry, `extension/${name} is not in the vsix`);
  return new TextDecoder().decode(await readAllBytes(await archive.open(entry), MAX_READ_BYTES, name));
}

describe('npm run package', () => {
  let packaged: Packaged | undefined;
  let source: FileByteSource | undefined;

  before(async () => {
    rmSync(VSIX, { force: true });
    const started = performance.now();
    await withVsix(() => Promise.resolve());
    source = await FileByteSource.open(VSIX);
    const archive = await openZip(source);
    packaged = {
      archive,
      names: archive.entries.map((entry) => entry.name),
      bytes: statSync(VSIX).size,
      seconds: (performance.now() - started) / 1000,
    };
  });

  after(async () => {
    await source?.close();
  });

  test('writes embedding-lens.vsix with the manifest, the bundles, the pool workers and the wasm binaries', (t) => {
    assert.ok(packaged);
    t.diagnostic(
      `embedding-lens.vsix: ${(packaged.bytes / 1024).toFixed(1)} KiB, ${packaged.names.length} entries, ${packaged.seconds.toFixed(1)} s`,
    );
    for (const entry of packaged.archive.entries) t.diagnostic(`  ${entry.name} ${(entry.size / 1024).toFixed(1)} KiB`);
    assert.ok(packaged.names.includes('extension.vsixmanifest'), 'no extension.vsixmanifest');
    const missing = REQUIRED.filter((name) => !packaged?.names.includes(`extension/${name}`));
    assert.deepEqual(missing, [], `missing from the vsix: ${missing.join(', ')}`);
  });

  test('ships no sources, tests, benchmarks, dependencies, caches, fixtures, shared data or source maps', () => {
    assert.ok(packaged);
    const outside = packaged.names.filter(
      (name) => !name.startsWith('extension/') && !/^(extension\.vsixmanifest|\[Content_Types\]\.xml)$/.test(name),
    );
    assert.deepEqual(outside, [], 'entries outside extension/');
    const inside = packaged.names.map((name) => name.slice('extension/'.length));
    const forbidden = inside.filter((name) => FORBIDDEN.some((pattern) => pattern.test(name)));
    assert.deepEqual(forbidden, [], `must not ship: ${forbidden.join(', ')}`);
  });

  test('has a sane size: more than the bundles alone could be below, less than a stray data file would make it', () => {
    assert.ok(packaged);
    assert.ok(packaged.bytes >= MIN_VSIX_BYTES, `${packaged.bytes} bytes is too small for four bundles`);
    assert.ok(packaged.bytes <= MAX_VSIX_BYTES, `${packaged.bytes} bytes: something large was packed`);
  });

  test('carries the repository manifest, whose main entry point is inside the vsix', async () => {
    assert.ok(packaged);
    const shipped = JSON.parse(await text(packaged.archive, 'package.json')) as { name: string; version: string; main: string };
    const repo = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; main: string };
    assert.deepEqual(
      { name: shipped.name, version: shipped.version, main: shipped.main },
      { name: repo.name, version: repo.version, main: repo.main },
    );
    assert.ok(packaged.names.includes(`extension/${shipped.main.replace(/^\.\//, '')}`), `main ${shipped.main} is not packed`);
  });

  test('bundles are production builds that need nothing outside the vsix but vscode and Node built-ins', async () => {
    assert.ok(packaged);
    const repo = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
    // Optional dependencies are loaded lazily behind a fallback, so a require of one is allowed to fail at run time.
    const allowed = new Set([
      'vscode',
      ...builtinModules,
      ...builtinModules.map((name) => `node:${name}`),
      ...Object.keys(repo.optionalDependencies ?? {}),
    ]);
    for (const bundle of BUNDLES) {
      const code = await text(packaged.archive, bundle);
      assert.doesNotMatch(code, /sourceMappingURL=/, `${bundle} points at a source map: not a production build`);
      const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1] ?? '');
      const outside = [...new Set(required.filter((name) => !allowed.has(name) && !name.startsWith('./') && !name.startsWith('../')))];
      assert.deepEqual(outside, [], `${bundle} requires modules that --no-dependencies leaves out: ${outside.join(', ')}`);
    }
    assert.match(await text(packaged.archive, 'dist/cli.js'), /^#!\/usr\/bin\/env node\n/, 'dist/cli.js lost its shebang');
  });
});

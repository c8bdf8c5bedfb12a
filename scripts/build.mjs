// Bundles each entry with esbuild; type-checking is separate (npm run typecheck).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'node20' };

const entries = [
  { entryPoints: ['src/cli/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['src/node/knn-worker.ts'], outfile: 'dist/knn-worker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['src/node/word2vec-worker.ts'], outfile: 'dist/word2vec-worker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['src/node/glove-worker.ts'], outfile: 'dist/glove-worker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((entry) => existsSync(entry.entryPoints[0]));

// TensorFlow.js: tfjs-node is an optional native module, required lazily at run time and never bundled; the wasm
// backend loads its binaries from the bundle's own folder (src/node/tfjs-backend.ts WASM_FILES), so ship them in dist/.
for (const entry of entries) if (entry.platform === 'node') entry.external = [...(entry.external ?? []), '@tensorflow/tfjs-node'];
// tfjs-core's Node platform pulls in node-fetch (for tf.io over http, which we never use), and node-fetch tries
// `require('encoding')` for charset conversion: bundle an empty module in its place, so the .vsix requires nothing
// it does not ship (node-fetch then reports that conversion is unavailable, as it does without the package).
const emptyEncoding = {
  name: 'empty-encoding',
  setup(plugin) {
    plugin.onResolve({ filter: /^encoding$/ }, () => ({ path: 'encoding', namespace: 'empty-encoding' }));
    plugin.onLoad({ filter: /.*/, namespace: 'empty-encoding' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};
for (const entry of entries) if (entry.platform === 'node') entry.plugins = [emptyEncoding];
mkdirSync('dist', { recursive: true });
for (const file of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']) {
  copyFileSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`, `dist/${file}`);
}

await Promise.all(entries.map((entry) => build({ ...common, ...entry })));

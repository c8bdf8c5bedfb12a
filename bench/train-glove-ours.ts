// One GloVe training of ours, in its own process (so /usr/bin/time measures it alone):
//   node --import tsx bench/train-glove-ours.ts CORPUS OUT_PREFIX THREADS EPOCHS WORKER.js [WINDOW] [DIM]
// Reads the corpus (minCount 5), counts co-occurrences (window 10 unless given) and trains GloVe (dim 100 unless given,
// xMax 100, alpha 0.75, eta 0.05, seed 1) on THREADS threads; writes W, W̃ and W + W̃ as word2vec text (as a run
// folder's vectors.txt) to OUT_PREFIX-U.vec, -V.vec and -UV.vec and prints one JSON line: vocabulary, raw tokens,
// read, counting and training seconds, the process's CPU seconds while counting and training (all threads), nonzero
// co-occurrences, the loss per epoch and which kernel ran. WORKER.js is src/node/glove-worker.ts bundled (as
// scripts/build.mjs ships it).
import { writeFile } from 'node:fs/promises';
import { word2vecTextChunks } from '../src/core/export/matrix-writers';
import { readCorpusFiles } from '../src/node/corpus-files';
import { trainGloveParallel } from '../src/node/glove-pool';

async function main(): Promise<void> {
  const [corpusPath, prefix, threads, epochs, worker, window = '10', dim = '100'] = process.argv.slice(2);
  if (!corpusPath || !prefix || !worker) throw new Error('usage: CORPUS OUT_PREFIX THREADS EPOCHS WORKER.js [WINDOW] [DIM]');
  const started = performance.now();
  const corpus = await readCorpusFiles([corpusPath], { minCount: 5 });
  const read = performance.now();
  const cpu = process.cpuUsage();
  const options = {
    dim: Number(dim),
    window: Number(window),
    epochs: Number(epochs),
    seed: 1,
    threads: Number(threads),
    workerScript: worker,
  };
  const model = await trainGloveParallel(corpus, options);
  const trained = performance.now();
  const used = process.cpuUsage(cpu);
  const sum = model.extras.find((matrix) => matrix.name === 'U_plus_V');
  if (!model.output || !sum) throw new Error('GloVe returned no V or U_plus_V');
  const tokens = corpus.vocab.tokens;
  for (const [suffix, data] of [
    ['U', model.input.data],
    ['V', model.output.data],
    ['UV', sum.data],
  ] as const) {
    await writeFile(`${prefix}-${suffix}.vec`, word2vecTextChunks(tokens, data, tokens.length, model.input.cols));
  }
  process.stdout.write(
    `${JSON.stringify({
      vocab: corpus.vocab.tokens.length,
      rawTokens: corpus.rawTokens,
      readSeconds: (read - started) / 1000,
      countSeconds: model.metrics['countSeconds'],
      trainSeconds: model.metrics['trainSeconds'],
      countAndTrainSeconds: (trained - read) / 1000,
      countAndTrainCpuSeconds: (used.user + used.system) / 1e6,
      nonzeros: model.metrics['cooccurrenceNonzeros'],
      entriesPerSecond: model.metrics['entriesPerSecond'],
      lossPerEpoch: model.lossPerEpoch,
      wasm: model.metrics['wasmKernel'],
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// One training of ours for bench/train.mjs, in its own process (so /usr/bin/time measures it alone):
//   node --import tsx bench/train-ours.ts CORPUS OUT.vec sg|cbow tied|untied THREADS EPOCHS WORKER.js
//        [--seed N] [--negative-power P] [--cancel-after S]
// Reads the corpus (minCount 5), trains (dim 100, window 5, 5 negatives, sample 1e-3, seed N (default 1), negatives
// drawn ∝ count^P (default word2vec's 0.75)), writes U as word2vec text and prints one JSON line: vocabulary, raw
// tokens, read and training seconds, the process's CPU seconds while training (all threads), the loss per epoch and
// which kernel ran. With --cancel-after it aborts the training after S seconds instead and prints how long the cancel
// took to land (ms).
import { createWriteStream } from 'node:fs';
import type { Word2vecOptions } from '../src/core/train/word2vec';
import { readCorpusFiles } from '../src/node/corpus-files';
import { trainWord2vecOnThreads } from '../src/node/word2vec-pool';

async function main(): Promise<void> {
  const [corpusPath, out, mode, tied, threads, epochs, worker] = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const cancelAfter = flag('cancel-after');
  if (!corpusPath || !out || (mode !== 'sg' && mode !== 'cbow') || !worker)
    throw new Error('usage: CORPUS OUT.vec sg|cbow tied|untied THREADS EPOCHS WORKER [--seed N] [--negative-power P] [--cancel-after S]');
  const started = performance.now();
  const corpus = await readCorpusFiles([corpusPath], { minCount: 5 });
  const read = performance.now();
  const cpu = process.cpuUsage();
  let options: Word2vecOptions = {
    mode: mode === 'cbow' ? 'cbow' : 'sg',
    tied: tied === 'tied',
    dim: 100,
    window: 5,
    negative: 5,
    sample: 1e-3,
    epochs: Number(epochs),
    threads: Number(threads),
    seed: Number(flag('seed') ?? 1),
  };
  const power = flag('negative-power');
  if (power !== undefined) options = { ...options, negativePower: Number(power) };
  if (cancelAfter !== undefined) {
    const abort = new AbortController();
    let abortedAt = 0;
    setTimeout(() => ((abortedAt = performance.now()), abort.abort()), Number(cancelAfter) * 1000);
    const outcome = await trainWord2vecOnThreads(corpus, options, { signal: abort.signal }, { workerScript: worker }).then(
      () => 'finished',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    process.stdout.write(`${JSON.stringify({ outcome, cancelMs: performance.now() - abortedAt })}\n`);
    return;
  }
  const model = await trainWord2vecOnThreads(corpus, options, {}, { workerScript: worker });
  const trained = performance.now();
  const used = process.cpuUsage(cpu);
  await writeVec(out, corpus.vocab.tokens, model.input.data, model.input.cols);
  process.stdout.write(
    `${JSON.stringify({
      vocab: corpus.vocab.tokens.length,
      rawTokens: corpus.rawTokens,
      readSeconds: (read - started) / 1000,
      trainSeconds: (trained - read) / 1000,
      trainCpuSeconds: (used.user + used.system) / 1e6,
      lossPerEpoch: model.lossPerEpoch,
      wasm: model.metrics['wasm'],
    })}\n`,
  );
}

/** word2vec text format: a "rows dim" header, then one "token v1 v2 …" line per row. */
async function writeVec(path: string, tokens: readonly string[], data: Float32Array, dim: number): Promise<void> {
  const stream = createWriteStream(path);
  const write = (text: string): Promise<void> => new Promise((resolve) => (stream.write(text) ? resolve() : stream.once('drain', resolve)));
  await write(`${tokens.length} ${dim}\n`);
  for (let row = 0; row < tokens.length; row++) {
    const values = Array.from(data.subarray(row * dim, (row + 1) * dim), (value) => value.toPrecision(6));
    await write(`${tokens[row]} ${values.join(' ')}\n`);
  }
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// Measures the TensorFlow.js trainers (src/core/train/lm.ts, classifier.ts) on this machine.
//
//   node --import tsx bench/tfjs-models.mts lm [--dim 64] [--hidden D] [--epochs 1] [--batch N] [--backend auto|wasm|cpu]
//        GRU language model, untied then tied, on ../shared/data/corpus/corpus-1m.txt (vocabulary capped at 10k):
//        held-out perplexity per epoch, tokens/s (wall and per CPU-second), parameters, backend.
//   node --import tsx bench/tfjs-models.mts classifier [--data bench/data/wordnet-pos.tsv] [--epochs 2] [--sgns]
//        Keras-style classifier on WordNet glosses (build the data first: node scripts/make-wordnet-labelled.mjs):
//        held-out accuracy against the majority label, and how often a word's 10 nearest neighbours share its label
//        for the classifier's embedding, for gensim SGNS on the same texts (--sgns, /usr/bin/python3) and for
//        random vectors.
// Add --write to record the table in bench/RESULTS.md (section tfjs-lm or tfjs-classifier).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../src/core/analysis/seeded-random';
import { trainClassifier } from '../src/core/train/classifier';
import { parseLabelledLines } from '../src/core/train/classifier-corpus';
import { neighbourLabelAgreement, wordLabels } from '../src/core/train/classifier-probe';
import { trainLanguageModel } from '../src/core/train/lm';
import { readCorpusFiles } from '../src/node/corpus-files';
import type { BackendPreference } from '../src/core/train/config';
import { selectBackend } from '../src/node/tfjs-backend';
import { writeResultsSection } from './results-file.mjs';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? (args[at + 1] as string) : fallback;
};
const cpuSeconds = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

async function languageModels(): Promise<string> {
  const backend = await selectBackend(option('backend', 'auto') as BackendPreference);
  const corpusPath = join('..', 'shared', 'data', 'corpus', 'corpus-1m.txt');
  // minCount 1: no word is dropped before the trainer maps the rare ones to <unk>.
  const corpus = await readCorpusFiles([corpusPath], { minCount: 1 });
  const dim = Number(option('dim', '64'));
  const epochs = Number(option('epochs', '1'));
  const rows: string[] = [];
  const runs: LmRunFigures[] = [];
  mkdirSync(LM_OUT, { recursive: true });
  for (const tied of [false, true]) {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const result = await trainLanguageModel(corpus, {
      dim,
      hidden: Number(option('hidden', String(dim))),
      epochs,
      tied,
      ...(args.includes('--batch') ? { batchSize: Number(option('batch', '10')) } : {}),
    });
    const seconds = (performance.now() - wall) / 1000;
    const cpuUsed = cpuSeconds(cpu);
    const tokens = result.tokensProcessed;
    rows.push(
      `| ${tied ? 'tied' : 'untied'} | ${result.perplexityPerEpoch.map((p) => p.toFixed(1)).join(' → ')} | ${result.metrics['parameters']} | ` +
        `${(tokens / seconds).toFixed(0)} | ${(tokens / cpuUsed).toFixed(0)} | ${seconds.toFixed(0)} |`,
    );
    console.error(rows.at(-1));
    const vec = join(LM_OUT, `lm-${tied ? 'tied' : 'untied'}.vec`);
    writeFileSync(vec, word2vecText(result.vocab.tokens, result.input.data, result.input.cols));
    runs.push({
      tied,
      perplexityPerEpoch: result.perplexityPerEpoch,
      parameters: result.metrics['parameters'] ?? Number.NaN,
      vocabulary: result.vocab.tokens.length,
      vec,
    });
    result.model.dispose();
  }
  // For bench/train.mjs, which puts the LM rows into its tied-vs-untied table (and evaluates U from the .vec files).
  const figures: LmFigures = { corpus: corpusPath, rawTokens: corpus.rawTokens, dim, epochs, backend: backend.name, runs };
  writeFileSync(join(LM_OUT, 'lm.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const m = `GRU d = hidden = ${dim}, vocabulary 10k (+<unk>), 35-token windows, Adam 2e-3, ${option('epochs', '1')} epoch(s), backend ${backend.name}`;
  return [
    `### Language model, tied vs untied (${m})`,
    '',
    `Corpus: ${corpusPath} (${corpus.rawTokens} tokens; last 5% of lines held out). tokens/s counts trained target tokens (training time includes the held-out evaluation).`,
    '',
    '| output | held-out perplexity per epoch | parameters | tokens/s (wall) | tokens per CPU-second | seconds |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Where the LM part writes lm.json and each model's U as word2vec text (read by bench/train.mjs). */
const LM_OUT = join('bench', 'out', 'tfjs');

/** One LM training's figures in lm.json. */
interface LmRunFigures {
  readonly tied: boolean;
  readonly perplexityPerEpoch: readonly number[];
  readonly parameters: number;
  readonly vocabulary: number;
  /** U (the Embedding) as word2vec text. */
  readonly vec: string;
}

/** lm.json: the LM benchmark's setting and its untied and tied runs. */
interface LmFigures {
  readonly corpus: string;
  readonly rawTokens: number;
  readonly dim: number;
  readonly epochs: number;
  readonly backend: string;
  readonly runs: readonly LmRunFigures[];
}

/** word2vec text: a "rows dim" header, then one "token v1 … vdim" line per row. */
function word2vecText(tokens: readonly string[], data: Float32Array, dim: number): string {
  const lines = tokens.map(
    (token, row) => `${token} ${Array.from(data.subarray(row * dim, (row + 1) * dim), (v) => v.toPrecision(6)).join(' ')}`,
  );
  return `${tokens.length} ${dim}\n${lines.join('\n')}\n`;
}

/** Reads word2vec text vectors into the rows of `tokens` (missing words: NaN rows). */
function readVectors(path: string, tokens: readonly string[], dim: number): Float32Array {
  const index = new Map(tokens.map((token, row) => [token, row]));
  const out = new Float32Array(tokens.length * dim).fill(Number.NaN);
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const parts = line.trim().split(' ');
    const row = index.get(parts[0] ?? '');
    if (row !== undefined && parts.length === dim + 1) for (let j = 0; j < dim; j++) out[row * dim + j] = Number(parts[j + 1]);
  }
  return out;
}

/** Ranks with ties averaged. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** Spearman ρ of cosine similarity against human scores over the pairs whose words both have a vector. */
function wordPairSpearman(path: string, tokens: readonly string[], vectors: Float32Array, dim: number): { rho: number; covered: number } {
  const index = new Map(tokens.map((token, row) => [token, row]));
  const human: number[] = [];
  const cosines: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [a, b, score] = line.split('\t');
    const ra = index.get((a ?? '').toLowerCase());
    const rb = index.get((b ?? '').toLowerCase());
    if (ra === undefined || rb === undefined || Number.isNaN(vectors[ra * dim]) || Number.isNaN(vectors[rb * dim])) continue;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < dim; j++) {
      const x = vectors[ra * dim + j]!;
      const y = vectors[rb * dim + j]!;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    human.push(Number(score));
    cosines.push(dot / Math.sqrt(na * nb));
  }
  const [rx, ry] = [ranks(human), ranks(cosines)];
  const mean = (rx.length - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  rx.forEach((x, i) => {
    sxy += (x - mean) * (ry[i]! - mean);
    sxx += (x - mean) ** 2;
    syy += (ry[i]! - mean) ** 2;
  });
  return { rho: sxy / Math.sqrt(sxx * syy), covered: human.length };
}

/** A few words and their 5 nearest neighbours (cosine) among the first `limit` rows. */
function neighbourLines(words: readonly string[], tokens: readonly string[], vectors: Float32Array, dim: number, limit: number): string {
  const norm = (row: number): number =>
    Math.sqrt(Array.from({ length: dim }, (_, j) => vectors[row * dim + j]! ** 2).reduce((a, b) => a + b, 0));
  return words
    .map((word) => {
      const row = tokens.indexOf(word);
      if (row < 0 || Number.isNaN(vectors[row * dim])) return `${word}: —`;
      const scored: Array<[number, number]> = [];
      for (let other = 0; other < Math.min(limit, tokens.length); other++) {
        if (other === row || Number.isNaN(vectors[other * dim])) continue;
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += vectors[row * dim + j]! * vectors[other * dim + j]!;
        scored.push([dot / (norm(row) * norm(other)), other]);
      }
      scored.sort((a, b) => b[0] - a[0]);
      return `${word}: ${scored
        .slice(0, 5)
        .map(([, other]) => tokens[other])
        .join(', ')}`;
    })
    .join('; ');
}

async function classifier(): Promise<string> {
  const backend = await selectBackend(option('backend', 'auto') as BackendPreference);
  const data = option('data', join('bench', 'data', 'wordnet-pos.tsv'));
  if (!existsSync(data)) throw new Error(`${data}: build it first with node scripts/make-wordnet-labelled.mjs`);
  const corpus = parseLabelledLines(readFileSync(data, 'utf8').split('\n'), data, { maxVocab: 20_000, minCount: 2, maxDocumentTokens: 64 });
  const dim = 64;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = await trainClassifier(corpus, { dim, epochs: Number(option('epochs', '2')) });
  const seconds = (performance.now() - wall) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  let labels = wordLabels(corpus, 5, corpus.vocab.index.get('<unk>'));
  const embeddings: Array<[string, Float32Array]> = [['classifier (Embedding → average → Dense)', result.input.data]];
  if (flag('sgns')) {
    mkdirSync(join('bench', 'out'), { recursive: true });
    const out = join('bench', 'out', 'wordnet-sgns.txt');
    execFileSync('/usr/bin/python3', [join('bench', 'tfjs_sgns_glosses.py'), data, out, String(dim)], { stdio: 'inherit' });
    const sgns = readVectors(out, corpus.vocab.tokens, dim);
    // Compare on the same words: those SGNS also kept.
    labels = labels.map((label, row) => (Number.isNaN(sgns[row * dim]) ? -1 : label));
    embeddings.push(['gensim SGNS on the same texts', sgns]);
  }
  const random = seededRandom(1);
  embeddings.push(['random vectors', Float32Array.from(result.input.data, () => random() - 0.5)]);
  const evalFolder = join('..', 'shared', 'data', 'eval');
  const probeWords = ['water', 'dog', 'red', 'quickly', 'eat'];
  const examples: string[] = [];
  const rows = embeddings.map(([name, vectors]) => {
    const agreement = neighbourLabelAgreement(vectors, dim, labels, 10, 3000);
    const wordsim = wordPairSpearman(join(evalFolder, 'wordsim353.tsv'), corpus.vocab.tokens, vectors, dim);
    const simlex = wordPairSpearman(join(evalFolder, 'simlex999.txt'), corpus.vocab.tokens, vectors, dim);
    examples.push(`- ${name}: ${neighbourLines(probeWords, corpus.vocab.tokens, vectors, dim, 3000)}`);
    return (
      `| ${name} | ${agreement.agreement.toFixed(3)} | ${agreement.chance.toFixed(3)} | ${agreement.words} | ` +
      `${wordsim.rho.toFixed(3)} (${wordsim.covered}) | ${simlex.rho.toFixed(3)} (${simlex.covered}) |`
    );
  });
  const metrics = result.metrics as Record<string, number>;
  result.model.dispose();
  return [
    `### Keras-style classifier on WordNet glosses (${data}, backend ${backend.name})`,
    '',
    `${corpus.documentEnds.length} glosses, ${corpus.labels.length} labels, vocabulary ${corpus.vocab.tokens.length}, d = ${dim}, ` +
      `${option('epochs', '2')} epochs: held-out accuracy **${metrics['heldOutAccuracy']!.toFixed(3)}** per epoch ` +
      `${result.accuracyPerEpoch.map((a) => a.toFixed(3)).join(' → ')} (majority label ${metrics['majorityBaseline']!.toFixed(3)}); ` +
      `${seconds.toFixed(0)} s wall, ${(result.tokensProcessed / cpuUsed).toFixed(0)} tokens per CPU-second.`,
    '',
    'Label: share of each word’s 10 nearest neighbours (cosine, 3000 most frequent words) with the same label (the label whose glosses ' +
      'use the word most, relative to their size). Meaning: Spearman ρ with human similarity (pairs covered).',
    '',
    '| embedding | neighbours with the same label | chance | words | WordSim-353 ρ | SimLex-999 ρ |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Nearest neighbours:',
    '',
    ...examples,
  ].join('\n');
}

const which = args[0];
if (which !== 'lm' && which !== 'classifier') throw new Error('usage: bench/tfjs-models.mts lm|classifier [options]');
const markdown = which === 'lm' ? await languageModels() : await classifier();
console.log(markdown);
if (flag('write')) await writeResultsSection(which === 'lm' ? 'tfjs-lm' : 'tfjs-classifier', markdown);
tf.disposeVariables();

// `npm start`: the real product. Builds the .vsix, starts VS Code (code-server) on 127.0.0.1 with Embedding Lens
// installed and the demo workspace open, prints the URL, and runs until Ctrl-C.
//   npm start -- [--port 8080] [--workspace DIR] [--no-package]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer } from '../test/e2e/lib/server';
import { REPO_ROOT } from '../test/e2e/lib/paths';

/** Checkpoints made by the real tools (test/fixtures) that the demo workspace gets, by destination. */
const DEMO_CHECKPOINTS: Record<string, string> = {
  'word2vec/vectors.bin': 'word2vec/vectors.bin',
  'glove/vectors.bin': 'glove/vectors.bin',
  'glove/vocab.txt': 'glove/vocab.txt',
  'fasttext/skipgram.bin': 'fasttext/skipgram.bin',
  'keras/sentiment.keras': 'keras/sentiment.keras',
  'pytorch/lm-tied.pt': 'pytorch/lm-tied.pt',
  'pytorch/vocab.txt': 'pytorch/vocab.txt',
  'gpt2-tied': 'huggingface/gpt2-tied',
};
/** The fixtures were trained on this many tokens of the shared corpus (test/fixtures/scripts/corpus_slice.py). */
const CORPUS_TOKENS = 120_000;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`embedding-lens start: \`${command} ${args.join(' ')}\` failed (exit ${String(result.status)})`);
    process.exit(1);
  }
}

/** WordSim-353, SimLex-999 and the Google analogies, beside this clone (never shipped). */
const EVAL_DATA = resolve(REPO_ROOT, '..', 'shared', 'data', 'eval');

/** A fresh copy of demo/ with checkpoints and the corpus slice, so the user's experiments never touch the repository. */
function demoWorkspace(): string {
  const target = join(REPO_ROOT, '.cache', 'demo-workspace');
  rmSync(target, { recursive: true, force: true });
  cpSync(join(REPO_ROOT, 'demo'), target, { recursive: true });
  for (const [to, from] of Object.entries(DEMO_CHECKPOINTS)) {
    cpSync(join(REPO_ROOT, 'test', 'fixtures', from), join(target, 'checkpoints', to), { recursive: true });
  }
  const corpus = resolve(REPO_ROOT, '..', 'shared', 'data', 'corpus', 'corpus-1m.txt');
  mkdirSync(join(target, 'corpus'), { recursive: true });
  if (existsSync(corpus)) {
    const lines: string[] = [];
    let tokens = 0;
    for (const line of readFileSync(corpus, 'utf8').split('\n')) {
      const words = line.split(/\s+/).filter(Boolean);
      if (words.length === 0) continue;
      lines.push(words.join(' '));
      tokens += words.length;
      if (tokens >= CORPUS_TOKENS) break;
    }
    writeFileSync(join(target, 'corpus', 'corpus.txt'), `${lines.join('\n')}\n`);
    // The whole 1M-token slice too: what the demo's skip-gram and GloVe configs train on (seconds, not minutes).
    cpSync(corpus, join(target, 'corpus', 'corpus-1m.txt'));
  } else {
    writeFileSync(join(target, 'corpus', 'README.md'), `The training corpus comes from ../shared/data, which is not beside this clone.\n`);
  }
  return target;
}

/** Builds, installs, starts and prints the URL; the server runs until Ctrl-C. */
async function main(): Promise<void> {
  const port = Number(option('--port') ?? '8080');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`embedding-lens start: --port expected a port number 1–65535, found ${option('--port') ?? ''}`);
    process.exit(2);
  }
  run('bash', ['test/e2e/install.sh']);
  if (!process.argv.includes('--no-package')) run('npm', ['run', 'package']);
  const workspace = option('--workspace') ? resolve(option('--workspace') as string) : demoWorkspace();
  const server = await startServer({
    workspace,
    port,
    runDir: join(REPO_ROOT, '.cache', 'run'),
    vsix: join(REPO_ROOT, 'embedding-lens.vsix'),
    // Trainings in the demo are scored on the standard sets when ../shared/data is beside this clone.
    ...(existsSync(EVAL_DATA) ? { settings: { 'embeddingLens.training.evaluationData': EVAL_DATA } } : {}),
  });
  console.log(`\nEmbedding Lens is running in VS Code (code-server ${server.url}), workspace ${workspace}`);
  console.log(`Open: ${server.url}/?folder=${encodeURIComponent(workspace)}`);
  console.log('Press Ctrl-C to stop.\n');
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30); // the server is detached: keep this process (and Ctrl-C) alive with it
}

void main();

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../src/core/errors';
import { openCheckpoint } from '../../../src/core/open';
import { fixture, loadEverything, seededRandom } from '../helpers';
import { overlayFiles } from '../overlay-files';

/** Mutations per fixture file: enough for a few hundred cases over all formats, quick on tiny fixtures. */
const CASES_PER_FILE = 8;
/** A reader that has not settled by then is hanging on a mutated file. */
const SETTLE_MS = 10_000;
/** Files that are not checkpoints: generator outputs for tests, side files, scripts. */
const NOT_CHECKPOINTS =
  /(^|\/)(scripts|corrupt)\/|expected\.json$|\.(py|sh|mjs|md)$|(^|\/)(vocab\.txt|metadata\.tsv|config\.json|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|generation_config\.json|vocab\.json|merges\.txt)$/;
/** Shards and side files are exercised through their entry file. */
const SIDE_FILES =
  /\.(npy)$|-\d{5}-of-\d{5}\.safetensors$|group\d+-shard\d+of\d+(\.bin)?$|weights\.bin$|\.wv\.vectors\.npy$|\.syn1neg\.npy$/;

function checkpointFixtures(): string[] {
  const root = fixture('.');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  return walk(root)
    .filter((path) => {
      const rel = relative(root, path);
      return !NOT_CHECKPOINTS.test(rel) && !(SIDE_FILES.test(rel) && !/\/(numpy)\//.test(path)) && statSync(path).size > 0;
    })
    .sort();
}

/** One mutation: a truncation, a burst of flipped bytes in the header region, or flips anywhere. */
function mutate(bytes: Uint8Array, random: () => number, kind: number): { bytes: Uint8Array; what: string } {
  const copy = bytes.slice();
  if (kind % 3 === 0) {
    const cut = Math.floor(random() * bytes.byteLength);
    return { bytes: copy.subarray(0, cut), what: `truncated to ${cut} bytes` };
  }
  const region = kind % 3 === 1 ? Math.min(bytes.byteLength, 4096) : bytes.byteLength;
  const flips = 1 + Math.floor(random() * 8);
  const where: number[] = [];
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(random() * region);
    copy[at] = Math.floor(random() * 256);
    where.push(at);
  }
  return { bytes: copy, what: `bytes changed at ${where.join(',')}` };
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung for ${SETTLE_MS} ms: ${what}`)), SETTLE_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe('seeded fuzzing of every fixture checkpoint', () => {
  const files = checkpointFixtures();

  it('finds fixture checkpoints to fuzz', () => {
    assert.ok(files.length >= 3, `only ${files.length} fixture files found`);
  });

  for (const path of files) {
    const name = relative(fixture('.'), path);
    it(`answers every mutation of ${name} with a clean CheckpointError or a readable checkpoint`, async () => {
      const original = new Uint8Array(readFileSync(path));
      const random = seededRandom(0x5eed ^ name.length ^ original.byteLength);
      for (let kind = 0; kind < CASES_PER_FILE; kind++) {
        const { bytes, what } = mutate(original, random, kind);
        try {
          await withDeadline(loadEverything(path, overlayFiles(path, bytes)), `${name} ${what}`);
        } catch (error) {
          assert.ok(error instanceof CheckpointError, `${name} ${what}: ${(error as Error).stack ?? String(error)}`);
          assert.notEqual(error.code, 'internal', `${name} ${what}: unforeseen failure: ${error.message}`);
          assert.ok(!error.message.includes('\n'), 'the message is one line');
          assert.ok(
            error.message.includes(path) || error.message.includes(name.split('/').pop() as string),
            `names the file: ${error.message}`,
          );
        }
      }
    });
  }
});

describe('inputs that are not checkpoints at all', () => {
  const path = fixture('word2vec/vectors.bin');

  it('rejects an empty file as empty', async () => {
    await assert.rejects(openCheckpoint(path, overlayFiles(path, new Uint8Array(0))), { code: 'empty' });
  });

  it('rejects bytes with no known magic as unknown-format, quoting what it found', async () => {
    const bytes = new TextEncoder().encode('\u0007\u0001GIF89a this is not an embedding\n');
    await assert.rejects(openCheckpoint(path, overlayFiles(path, bytes)), (error: CheckpointError) => {
      assert.equal(error.code, 'unknown-format');
      assert.match(error.message, /expected an embedding checkpoint, found bytes "\\x07\\x01GIF89a/);
      return true;
    });
  });

  it('rejects a word2vec binary whose header claims more rows than the file holds, before allocating', async () => {
    const original = new Uint8Array(readFileSync(path));
    const headerEnd = original.indexOf(10);
    const lying = new Uint8Array([...new TextEncoder().encode('50000000 300'), ...original.subarray(headerEnd)]);
    await assert.rejects(openCheckpoint(path, overlayFiles(path, lying)), (error: CheckpointError) => {
      assert.equal(error.code, 'truncated');
      assert.match(error.message, /header says 50000000×300 float32 = 60000000000 bytes plus tokens, file has \d+/);
      return true;
    });
  });

  it('rejects a word2vec text whose last vector is cut short, naming the line', async () => {
    const text = fixture('word2vec/vectors.txt');
    const original = new Uint8Array(readFileSync(text));
    const cut = original.subarray(0, original.length - 40);
    await assert.rejects(openCheckpoint(text, overlayFiles(text, cut)), (error: CheckpointError) => {
      assert.equal(error.code, 'bad-header');
      assert.match(error.message, /line \d+ expected a token and 16 numbers, found/);
      return true;
    });
  });

  it('rejects a folder that holds no checkpoint as unknown-format', async () => {
    await assert.rejects(openCheckpoint(fixture('scripts'), overlayFiles('/nonexistent', new Uint8Array(0))), { code: 'unknown-format' });
  });
});

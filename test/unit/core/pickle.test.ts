import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../src/core/errors';
import { MemorySource } from '../../../src/core/io/byte-source';
import { NumpyArray, arrayFloat32, arrayNumbers, numpyHooks } from '../../../src/core/pickle/numpy';
import { firstGlobal, unpickleBytes, unpickleSource } from '../../../src/core/pickle/unpickle';
import { LazyBytes, PickleCall, PickleDict, PickleGlobal, PickleSet, PickleTuple, type PickleValue } from '../../../src/core/pickle/values';
import { expected, fixture } from '../helpers';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface PickleExpected {
  highestProtocol: number;
  sample: Json;
  numpy: Record<string, { shape: number[]; values: number[] }>;
}

const truth = expected<PickleExpected>('pickle/expected.json');

function bytesOf(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(fixture(relative)));
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const byJson = (a: Json, b: Json): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** The JSON form make_pickles.py writes for the same value, so Python and we can be compared exactly. */
function encode(value: PickleValue): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { int: value.toString() };
  if (typeof value === 'number') return Number.isFinite(value) ? value : { float: value > 0 ? 'inf' : '-inf' };
  if (value instanceof Uint8Array) return { bytes: hex(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof PickleTuple) return { tuple: value.items.map(encode) };
  if (value instanceof PickleSet) return { set: value.items.map(encode).sort(byJson) };
  if (value instanceof PickleDict) return { dict: [...value.map].map(([k, v]) => [encode(k), encode(v)]) };
  throw new Error(`unexpected ${String(value)}`);
}

/** Sorts the items of every {set: [...]} in Python's JSON, whose set order is arbitrary. */
function normaliseSets(value: Json): Json {
  if (Array.isArray(value)) return value.map(normaliseSets);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, inner] of Object.entries(value)) out[key] = normaliseSets(inner);
    if (Array.isArray(out.set)) out.set = [...out.set].sort(byJson);
    return out;
  }
  return value;
}

describe('the data-only unpickler', () => {
  for (let protocol = 0; protocol <= truth.highestProtocol; protocol++) {
    it(`reads Python's protocol ${protocol} pickle of every data kind exactly as Python wrote it`, () => {
      const result = unpickleBytes(bytesOf(`pickle/sample-p${protocol}.pkl`), `sample-p${protocol}.pkl`);
      assert.deepEqual(encode(result.value), normaliseSets(truth.sample));
      assert.equal(result.inertCalls.size, 0, 'builtin data types need no inert calls');
    });
  }

  it('keeps memoised objects shared, as Python does (one list referenced twice is one list)', () => {
    const root = unpickleBytes(bytesOf('pickle/sample-p4.pkl'), 'sample').value as PickleDict;
    const twice = root.get('shared_twice') as PickleValue[];
    assert.equal(twice[0], twice[1]);
  });

  it('gives the same value when the file is read through tiny windows (resuming mid-opcode)', async () => {
    for (const protocol of [0, 2, 4, 5]) {
      const bytes = bytesOf(`pickle/sample-p${protocol}.pkl`);
      const whole = unpickleBytes(bytes, 'whole');
      const windowed = await unpickleSource(new MemorySource('windowed', bytes), 0, { windowBytes: 7 });
      assert.deepEqual(encode(windowed.value), encode(whole.value));
      assert.equal(windowed.end, bytes.byteLength);
    }
  });

  it('leaves byte strings past the threshold in the file, pointing at the exact bytes', async () => {
    const bytes = bytesOf('pickle/sample-p4.pkl');
    const result = await unpickleSource(new MemorySource('lazy', bytes), 0, { lazyBytesThreshold: 100, windowBytes: 64 });
    const lazy = (result.value as PickleDict).get('bytes');
    assert.ok(lazy instanceof LazyBytes);
    assert.equal(lazy.length, 300);
    assert.equal(hex(bytes.subarray(lazy.offset, lazy.offset + lazy.length)), '0001ff'.repeat(100));
  });

  it('reads a pickle that starts in the middle of a file and reports where it ends', async () => {
    const body = bytesOf('pickle/sample-p2.pkl');
    const file = new Uint8Array(10 + body.byteLength + 5);
    file.set(body, 10);
    const result = await unpickleSource(new MemorySource('embedded', file), 10);
    assert.equal(result.end, 10 + body.byteLength);
  });

  it('turns LONG1 values beyond 2^53 into BigInt and keeps smaller ones as numbers', () => {
    // torch's legacy magic number is pickled as LONG1 with 10 bytes: 0x1950a86a20f9469cfc6c.
    const magic = unpickleBytes(
      Uint8Array.from([0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]),
      'm',
    );
    assert.equal(magic.value, 0x1950a86a20f9469cfc6cn);
    const small = unpickleBytes(Uint8Array.from([0x80, 2, 0x8a, 2, 0xff, 0x7f, 0x2e]), 's');
    assert.equal(small.value, 0x7fff);
    const negative = unpickleBytes(Uint8Array.from([0x80, 2, 0x8a, 1, 0xff, 0x2e]), 'n');
    assert.equal(negative.value, -1);
  });

  it('records calls of unknown classes as inert objects with their BUILD state, never running them', () => {
    // protocol 4: STACK_GLOBAL('gensim.models.word2vec', 'Word2Vec'), EMPTY_TUPLE, NEWOBJ, {'a': 1}, BUILD
    const enc = new TextEncoder();
    const str = (text: string): number[] => [0x8c, text.length, ...enc.encode(text)];
    const bytes = Uint8Array.from([
      0x80,
      4,
      ...str('gensim.models.word2vec'),
      ...str('Word2Vec'),
      0x93,
      0x29,
      0x81,
      0x7d,
      ...str('a'),
      0x4b,
      1,
      0x73,
      0x62,
      0x2e,
    ]);
    const result = unpickleBytes(bytes, 'object');
    assert.ok(result.value instanceof PickleCall);
    assert.equal(result.value.callee.qualified, 'gensim.models.word2vec.Word2Vec');
    assert.equal((result.value.state as PickleDict).get('a'), 1);
    assert.deepEqual([...result.inertCalls], ['gensim.models.word2vec.Word2Vec']);
  });

  for (const [protocol, kind] of [
    [0, 'reconstructor'],
    [1, 'reconstructor'],
    [2, 'newobj'],
    [4, 'newobj'],
  ] as const) {
    it(`reads a user's object pickled with protocol ${protocol} as an inert record of its class and __dict__`, () => {
      const result = unpickleBytes(bytesOf(`pickle/object-p${protocol}.pkl`), 'object');
      const object = result.value;
      assert.ok(object instanceof PickleCall);
      assert.equal(object.callee.qualified, '__main__.Point');
      assert.equal(object.kind, kind);
      assert.deepEqual(encode(object.state as PickleValue), {
        dict: [
          ['x', 1],
          ['y', [2, 'three']],
        ],
      });
      assert.deepEqual([...result.inertCalls], ['__main__.Point']);
    });
  }

  it('survives 100 000 nested lists without recursion', () => {
    const depth = 100_000;
    const bytes = new Uint8Array(2 + depth * 2 + 1);
    bytes.set([0x80, 2], 0);
    for (let i = 0; i < depth; i++) bytes[2 + i] = 0x5d; // EMPTY_LIST × depth
    for (let i = 0; i < depth - 1; i++) bytes[2 + depth + i] = 0x61; // APPEND × (depth − 1)
    bytes[bytes.length - 2] = 0x2e;
    const result = unpickleBytes(bytes.subarray(0, bytes.length - 1), 'deep');
    assert.ok(Array.isArray(result.value));
  });
});

describe('the numpy interpreter', () => {
  for (const protocol of [2, 5]) {
    it(`reads numpy's protocol ${protocol} arrays (C and Fortran order, f2/f4/f8, big-endian, int64) and scalars as data`, async () => {
      const bytes = bytesOf(`pickle/numpy-p${protocol}.pkl`);
      const source = new MemorySource('numpy.pkl', bytes);
      const root = (await unpickleSource(source, 0, { hooks: [numpyHooks], lazyBytesThreshold: 16 })).value as PickleDict;
      for (const [name, facts] of Object.entries(truth.numpy)) {
        const value = root.get(name);
        if (name.startsWith('scalar')) {
          assert.equal(value, facts.values[0]);
          continue;
        }
        assert.ok(value instanceof NumpyArray, name);
        assert.deepEqual(value.shape, facts.shape, name);
        const numbers = name.startsWith('counts')
          ? await arrayNumbers(value, source, name)
          : Array.from(await arrayFloat32(value, source, name));
        assert.deepEqual(numbers, facts.values, name);
      }
    });
  }
});

describe('firstGlobal, the sniffers’ look at a pickle', () => {
  it('names the first global of a pickle from its first bytes only', () => {
    const head = bytesOf('corrupt/pickle-os-system-p4.pkl').subarray(0, 40);
    const global = firstGlobal(head);
    assert.ok(global instanceof PickleGlobal);
    assert.equal(global.qualified, 'posix.system');
  });

  it('finds nothing in text, in a pickle without globals, or in an empty buffer, and never throws', () => {
    assert.equal(firstGlobal(new TextEncoder().encode('hello world\n')), undefined);
    assert.equal(firstGlobal(Uint8Array.from([0x80, 4, 0x7d, 0x2e])), undefined);
    assert.equal(firstGlobal(new Uint8Array(0)), undefined);
  });
});

describe('the unpickler on malformed input', () => {
  const cases: [string, number[], string][] = [
    ['an empty stack at STOP', [0x80, 2, 0x2e], 'bad-header'],
    ['a memo entry never stored', [0x80, 2, 0x68, 7, 0x2e], 'bad-header'],
    ['an unknown opcode', [0x80, 2, 0xff, 0x2e], 'bad-header'],
    ['a protocol from the future', [0x80, 9, 0x4e, 0x2e], 'unsupported'],
    ['a BINUNICODE claiming 4 GB', [0x80, 3, 0x58, 0xff, 0xff, 0xff, 0xff, 0x61, 0x2e], 'truncated'],
    ['a BINBYTES8 claiming 2^60 bytes', [0x80, 4, 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x2e], 'truncated'],
    ['a FRAME claiming more than the file', [0x80, 4, 0x95, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x4e, 0x2e], 'truncated'],
    ['a LONG4 of a megabyte', [0x80, 2, 0x8b, 0, 0, 0x10, 0, 0x2e], 'bad-header'],
    ['an out-of-band buffer', [0x80, 5, 0x97, 0x2e], 'unsupported'],
    ['the extension registry', [0x80, 2, 0x82, 1, 0x2e], 'unsupported'],
    ['SETITEMS on a list', [0x80, 2, 0x5d, 0x28, 0x4b, 1, 0x4b, 2, 0x75, 0x2e], 'bad-header'],
    ['a pickle without STOP', [0x80, 2, 0x4e], 'truncated'],
    ['a text line that never ends', [0x49, 0x31, 0x32], 'truncated'],
  ];
  for (const [what, bytes, code] of cases) {
    it(`rejects ${what} with a ${code} CheckpointError naming the file`, () => {
      assert.throws(
        () => unpickleBytes(Uint8Array.from(bytes), 'bad.pkl'),
        (error: unknown) => error instanceof CheckpointError && error.code === code && error.message.startsWith('bad.pkl: '),
      );
    });
  }
});

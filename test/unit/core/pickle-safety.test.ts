import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../src/core/errors';
import { refusalReason } from '../../../src/core/pickle/policy';
import { unpickleBytes } from '../../../src/core/pickle/unpickle';
import { PickleGlobal } from '../../../src/core/pickle/values';
import { fixture, seededRandom } from '../helpers';

/** Where every malicious fixture would write if anything ran it (see make_pickles.py). */
const PWNED = '/tmp/embedding-lens-pwned';

function bytesOf(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(fixture(relative)));
}

describe('pickles that ask to run code', () => {
  const cases: [string, string][] = [
    ['pickle-os-system.pkl', 'posix.system'],
    ['pickle-os-system-p0.pkl', 'posix.system'],
    ['pickle-os-system-p4.pkl', 'posix.system'],
    ['pickle-eval.pkl', 'builtins.eval'],
    ['pickle-subprocess.pkl', 'subprocess.Popen'],
    ['pickle-getattr.pkl', 'builtins.getattr'],
    ['pickle-nested-os-system.pkl', 'posix.system'],
  ];
  for (const [file, callee] of cases) {
    it(`refuses ${file}, naming ${callee}, and nothing runs`, () => {
      rmSync(PWNED, { force: true });
      const path = fixture(`corrupt/${file}`);
      assert.throws(
        () => unpickleBytes(bytesOf(`corrupt/${file}`), path),
        (error: unknown) =>
          error instanceof CheckpointError &&
          error.code === 'unsafe' &&
          error.message === `${path}: pickle asks to call ${callee}; refusing (pickles are read as data only)`,
      );
      assert.equal(existsSync(PWNED), false, 'the payload must not have run');
    });
  }

  it('refuses a call whose callee is itself computed (the getattr(...)(...) gadget shape)', () => {
    // GLOBAL builtins.getattr is refused already; a call of a call's result is refused on its own too:
    // MARK, GLOBAL collections.OrderedDict, EMPTY_TUPLE, REDUCE (an OrderedDict), EMPTY_TUPLE, REDUCE (call it).
    const enc = new TextEncoder();
    const bytes = Uint8Array.from([0x80, 2, 0x63, ...enc.encode('collections\nOrderedDict\n'), 0x29, 0x52, 0x29, 0x52, 0x2e]);
    assert.throws(() => unpickleBytes(bytes, 'gadget.pkl'), {
      code: 'unsafe',
      message: /^gadget\.pkl: pickle asks to call a collections\.OrderedDict of 0; refusing/,
    });
  });
});

describe('the call policy', () => {
  const refused = [
    ['posix', 'system'],
    ['nt', 'system'],
    ['os', 'popen'],
    ['builtins', 'exec'],
    ['builtins', 'getattr'],
    ['builtins', '__import__'],
    ['torch', 'hub.load'],
    ['torch.hub', 'load'],
    ['torch', 'load'],
    ['numpy.testing._private.utils', 'runstring'],
    ['operator', 'attrgetter'],
    ['functools', 'partial'],
    ['pickle', 'loads'],
    ['collections', 'OrderedDict.__class__'],
  ];
  for (const [module, name] of refused) {
    it(`refuses ${module}.${name}`, () => assert.ok(refusalReason(new PickleGlobal(module as string, name as string))));
  }
  const allowed = [
    ['collections', 'OrderedDict'],
    ['torch._utils', '_rebuild_tensor_v2'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['numpy.random._pickle', '__randomstate_ctor'],
    ['gensim.models.word2vec', 'Word2Vec'],
    ['builtins', 'set'],
    ['_codecs', 'encode'],
    ['__main__', 'MyModel'],
  ];
  for (const [module, name] of allowed) {
    it(`reads ${module}.${name} as data or an inert record`, () =>
      assert.equal(refusalReason(new PickleGlobal(module as string, name as string)), undefined));
  }
});

describe('the unpickler under seeded corruption', () => {
  it('answers every truncation of a real pickle with a value or a clean CheckpointError', () => {
    for (const protocol of [0, 2, 4, 5]) {
      const bytes = bytesOf(`pickle/sample-p${protocol}.pkl`);
      for (let cut = 0; cut < bytes.byteLength; cut += 7) {
        try {
          unpickleBytes(bytes.subarray(0, cut), 'cut.pkl');
        } catch (error) {
          assert.ok(error instanceof CheckpointError, `cut at ${cut} of p${protocol}: ${String(error)}`);
        }
      }
    }
  });

  it('answers 400 seeded byte flips of real pickles with a value or a clean CheckpointError', () => {
    const random = seededRandom(20240601);
    for (let trial = 0; trial < 400; trial++) {
      const protocol = [0, 2, 3, 4, 5][trial % 5] as number;
      const bytes = bytesOf(`pickle/sample-p${protocol}.pkl`).slice();
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        bytes[Math.floor(random() * bytes.byteLength)] = Math.floor(random() * 256);
      }
      try {
        unpickleBytes(bytes, 'flipped.pkl');
      } catch (error) {
        assert.ok(error instanceof CheckpointError, `trial ${trial}: ${String(error)}`);
        assert.ok(error.message.startsWith('flipped.pkl: '), error.message);
      }
    }
  });
});

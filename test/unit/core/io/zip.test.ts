import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MemorySource } from '../../../../src/core/io/byte-source';
import { openZip } from '../../../../src/core/io/zip';
import { expected, fixture } from '../../helpers';

const truth = expected<Record<string, number[]>>('zip/expected.json');

async function entryBytes(file: string, name: string): Promise<Uint8Array> {
  const zip = await openZip(new MemorySource(file, new Uint8Array(readFileSync(fixture(file)))));
  const entry = zip.find(name);
  assert.ok(entry, `${name} is listed`);
  const source = await zip.open(entry);
  return source.read(0, await source.size());
}

describe('openZip on archives written by Python zipfile', () => {
  it('lists every entry of an archive with a trailing comment', async () => {
    const zip = await openZip(new MemorySource('mixed.zip', new Uint8Array(readFileSync(fixture('zip/mixed.zip')))));
    assert.deepEqual(zip.entries.map((entry) => entry.name).sort(), ['deflated.txt', 'dir/nested.bin', 'stored.txt']);
  });

  for (const name of ['stored.txt', 'deflated.txt', 'dir/nested.bin']) {
    it(`returns the exact bytes of ${name}`, async () => {
      const bytes = await entryBytes('zip/mixed.zip', name);
      const facts = truth[name] as number[];
      assert.equal(bytes.byteLength, facts.at(-1));
      assert.deepEqual(Array.from(bytes.subarray(0, 16)), facts.slice(0, -1));
    });
  }

  it('reads an entry whose headers carry zip64 extra fields', async () => {
    const bytes = await entryBytes('zip/zip64.zip', 'stored.txt');
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 12)), 'stored bytes');
  });

  it('rejects a truncated archive as truncated, naming it', async () => {
    const whole = new Uint8Array(readFileSync(fixture('zip/mixed.zip')));
    await assert.rejects(
      openZip(new MemorySource('cut.zip', whole.subarray(0, whole.length - 200))),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'truncated');
        assert.match(error.message, /^cut\.zip: /);
        return true;
      },
    );
  });

  it('refuses an entry that claims an impossible inflated size instead of allocating it', async () => {
    const whole = new Uint8Array(readFileSync(fixture('zip/mixed.zip')));
    const zip = await openZip(new MemorySource('mixed.zip', whole));
    const entry = zip.find('deflated.txt');
    assert.ok(entry);
    await assert.rejects(zip.open({ ...entry, size: 2 ** 40 }), { code: 'too-large' });
  });
});

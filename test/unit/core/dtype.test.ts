import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeToFloat32, halfToFloat, transpose } from '../../../src/core/dtype';

describe('dtype conversion', () => {
  it('decodes IEEE half floats, including subnormals and infinities', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  });

  it('decodes big-endian float64 and bfloat16 from unaligned bytes', () => {
    const bytes = new Uint8Array(17);
    new DataView(bytes.buffer).setFloat64(1, -1.5, false);
    new DataView(bytes.buffer).setFloat64(9, 0.25, false);
    const out = new Float32Array(2);
    decodeToFloat32(bytes.subarray(1), 'float64', false, 2, out, 0);
    assert.deepEqual(Array.from(out), [-1.5, 0.25]);
    const bf16 = new Uint8Array([0x80, 0x3f, 0x00, 0xc0]); // 1.0 and -2.0, little endian
    decodeToFloat32(bf16, 'bfloat16', true, 2, out, 0);
    assert.deepEqual(Array.from(out), [1, -2]);
  });

  it('refuses to decode from fewer bytes than the count needs', () => {
    assert.throws(() => decodeToFloat32(new Uint8Array(7), 'float32', true, 2, new Float32Array(2), 0), { code: 'truncated' });
  });

  it('transposes a [2, 3] block into [3, 2]', () => {
    assert.deepEqual(Array.from(transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)), [1, 4, 2, 5, 3, 6]);
  });
});

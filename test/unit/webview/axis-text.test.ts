import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axisTitle, parseAxis } from '../../../webview/axis-text';

describe('custom axis expressions', () => {
  it('read words joined by plus and minus, the minus sign included', () => {
    assert.deepEqual(parseAxis('king + woman - man'), { ok: true, axis: { positive: ['king', 'woman'], negative: ['man'] } });
    assert.deepEqual(parseAxis('good \u2212 bad'), { ok: true, axis: { positive: ['good'], negative: ['bad'] } });
  });

  it('take quoted tokens whole, spaces and signs included', () => {
    assert.deepEqual(parseAxis('"new york" - "e-mail"'), { ok: true, axis: { positive: ['new york'], negative: ['e-mail'] } });
  });

  it('say what is wrong with an empty or unclosed expression', () => {
    assert.deepEqual(parseAxis('  '), { ok: false, error: 'type words, e.g. king - queen' });
    assert.equal(parseAxis('"new york').ok, false);
  });

  it('write an axis back so that it parses to the same words', () => {
    for (const text of ['king - queen', '"new york" + city - village', '- cold']) {
      const parsed = parseAxis(text);
      assert.ok(parsed.ok);
      assert.deepEqual(parseAxis(axisTitle(parsed.axis)), parsed);
    }
  });
});

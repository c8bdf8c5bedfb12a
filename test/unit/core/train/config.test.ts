import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { CONFIG_KEYS, configFromObject, defaultsFor, overrideValue, parseTrainConfig, TRAINERS } from '../../../../src/core/train/config';

const schema = JSON.parse(readFileSync(new URL('../../../../schemas/train-config.schema.json', import.meta.url), 'utf8')) as {
  properties: Record<string, { enum?: string[]; minimum?: number; maximum?: number }>;
};
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('training config', () => {
  it('fills in the defaults of the trainer named, GloVe with its wider window and more epochs', () => {
    const { config, warnings } = parseTrainConfig('{"trainer": "glove", "corpus": "text.txt"}', 'glove.lens.json');
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.corpus, ['text.txt']);
    assert.equal(config.window, 10);
    assert.equal(config.epochs, 25);
    assert.equal(config.dim, 100);
    assert.equal(parseTrainConfig('{"trainer": "sgns", "corpus": ["a", "b"], "tied": true}', 'x').config.tied, true);
  });

  it('names the file, the key, what it expected and what it found', () => {
    const bad = (text: string, pattern: RegExp): void => assert.throws(() => parseTrainConfig(text, 'run.lens.json'), pattern);
    bad('{', /run\.lens\.json: expected a JSON training config, found invalid JSON/);
    bad('[1]', /expected a JSON object with "trainer" and "corpus", found a list of 1/);
    bad('{"trainer": "bert", "corpus": "a"}', /"trainer" expected one of sgns, cbow, glove, classifier, lm, found "bert"/);
    bad('{"trainer": "sgns"}', /"corpus" expected a path or a list of paths, found nothing/);
    bad('{"trainer": "sgns", "corpus": "a", "dim": 0}', /"dim" expected an integer 1\.\.4096, found number 0/);
    bad('{"trainer": "sgns", "corpus": "a", "window": 2.5}', /"window" expected an integer/);
    bad('{"trainer": "sgns", "corpus": "a", "tied": "yes"}', /"tied" expected true or false, found "yes"/);
    bad('{"trainer": "sgns", "corpus": []}', /"corpus" expected a path or a non-empty list of paths, found a list of 0/);
    bad('{"trainer": "sgns", "corpus": "a", "eval": {"wordsim": 3}}', /"eval" expected false or an object/);
  });

  it('keeps unknown keys out of the run but names them, in case of a typo', () => {
    const { config, warnings } = parseTrainConfig('{"trainer": "sgns", "corpus": "a", "epoch": 3}', 'x.lens.json');
    assert.equal(config.epochs, 5);
    assert.match(warnings[0] ?? '', /x\.lens\.json: unknown key "epoch" ignored \(known: trainer, corpus, dim, .*epochs/);
  });

  it('reads --set values as the key’s type and checks them like the file', () => {
    const raw: Record<string, unknown> = { trainer: 'sgns', corpus: 'a' };
    raw['epochs'] = overrideValue('epochs', '3', 'x');
    raw['tied'] = overrideValue('tied', 'true', 'x');
    raw['maxVocab'] = overrideValue('maxVocab', 'null', 'x');
    raw['corpus'] = overrideValue('corpus', 'a.txt,b.txt', 'x');
    const { config } = configFromObject(raw, 'x');
    assert.equal(config.epochs, 3);
    assert.equal(config.tied, true);
    assert.equal(config.maxVocab, null);
    assert.deepEqual(config.corpus, ['a.txt', 'b.txt']);
    assert.throws(() => overrideValue('epoch', '3', 'x'), /--set epoch: unknown key/);
    assert.throws(
      () => configFromObject({ trainer: 'sgns', corpus: 'a', epochs: overrideValue('epochs', 'many', 'x') }, 'x'),
      /"epochs" expected an integer 1\.\.1000, found number NaN/,
    );
  });

  it('states in its JSON schema exactly the keys, choices and ranges the parser checks', () => {
    assert.deepEqual(
      Object.keys(schema.properties)
        .filter((key) => key !== '$schema')
        .sort(),
      Object.keys(CONFIG_KEYS).sort(),
    );
    for (const [key, rule] of Object.entries(CONFIG_KEYS)) {
      const property = schema.properties[key];
      assert.ok(property, key);
      if (rule.kind === 'enum') assert.deepEqual(property.enum, [...rule.values], key);
      if (rule.kind === 'integer' || rule.kind === 'nullableInteger') {
        assert.equal(property.minimum, rule.min, `${key} minimum`);
        assert.equal(property.maximum, rule.max, `${key} maximum`);
      }
    }
    for (const trainer of TRAINERS) {
      const full = { ...defaultsFor(trainer), corpus: ['corpus.txt'], eval: { wordsim: 'ws.tsv' } };
      assert.ok(validate(full), `${trainer} defaults pass the schema: ${JSON.stringify(validate.errors)}`);
      assert.doesNotThrow(() => configFromObject(full, trainer));
    }
    assert.equal(validate({ trainer: 'sgns', corpus: 'a', dim: 0 }), false, 'the schema rejects what the parser rejects');
  });
});

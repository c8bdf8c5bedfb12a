import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './run-cli';
import { expected, fixture } from '../helpers';

const run = runCli;

/** numpy's figures (test/fixtures/scripts/make_compare.py), as far as the CLI reports them. */
interface Reference {
  rows: number;
  meanCos: number;
  medianCos: number;
  meanJaccard: number;
  jaccardFragile: number[];
  linearCka: number;
  procrustesResidual: number;
  effectiveRank: { u: number; v: number; a: number; b: number };
  anisotropy: { u: number; v: number; a: number; b: number };
  sharedRows: number;
  meanAlignedCos: number;
  medianAlignedCos: number;
  topDrift: { token: string; drift: number }[];
}
const cases = expected<{ cases: Record<string, Reference> }>('analysis/compare/expected.json').cases;

const UV_KEYS = [
  'schema',
  'rows',
  'k',
  'tied',
  'meanCosUV',
  'medianCosUV',
  'jaccardAtK',
  'linearCKA',
  'procrustesResidual',
  'effectiveRankU',
  'effectiveRankV',
  'anisotropyU',
  'anisotropyV',
  'sampled',
];
/** Float64 figures against numpy; effective ranks carry the Gram route's √ε (see the core's compare tests). */
const FLOAT64 = 1e-9;
const SPECTRUM = 1e-6;

function near(actual: unknown, reference: number, tolerance: number, what: string): void {
  assert.equal(typeof actual, 'number', what);
  assert.ok(
    Math.abs((actual as number) - reference) <= tolerance * Math.max(1, Math.abs(reference)),
    `${what}: ${actual} vs numpy ${reference}`,
  );
}

const gensim = fixture('gensim/side/word2vec.model');
const ckptA = fixture('analysis/compare/ckpt-a/vectors.npy');
const ckptB = fixture('analysis/compare/ckpt-b/vectors.npy');

describe('embedding-lens compare PATH', () => {
  it("prints exactly the schema-1 keys for U vs V, with numpy's figures for a gensim Word2Vec", async () => {
    const result = await run('compare', gensim, '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary), UV_KEYS);
    const c = cases['gensim']!;
    assert.equal(summary['schema'], 1);
    assert.equal(summary['rows'], 929);
    assert.equal(summary['k'], 10);
    assert.equal(summary['tied'], false);
    assert.equal(summary['sampled'], null);
    near(summary['meanCosUV'], c.meanCos, FLOAT64, 'meanCosUV');
    near(summary['medianCosUV'], c.medianCos, FLOAT64, 'medianCosUV');
    near(summary['jaccardAtK'], c.meanJaccard, FLOAT64 + c.jaccardFragile.length / c.rows, 'jaccardAtK');
    near(summary['linearCKA'], c.linearCka, FLOAT64, 'linearCKA');
    near(summary['procrustesResidual'], c.procrustesResidual, FLOAT64, 'procrustesResidual');
    near(summary['effectiveRankU'], c.effectiveRank.u, SPECTRUM, 'effectiveRankU');
    near(summary['effectiveRankV'], c.effectiveRank.v, SPECTRUM, 'effectiveRankV');
    near(summary['anisotropyU'], c.anisotropy.u, FLOAT64, 'anisotropyU');
    near(summary['anisotropyV'], c.anisotropy.v, FLOAT64, 'anisotropyV');
  });

  it('takes --k and prints a readable table without --json', async () => {
    const json = JSON.parse((await run('compare', gensim, '--k', '3', '--json')).stdout) as Record<string, unknown>;
    assert.equal(json['k'], 3);
    const result = await run('compare', gensim, '--k', '3');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /U \(wv\.vectors\) vs V \(syn1neg\) of .*word2vec\.model: 929 rows × 16, k = 3/);
    assert.match(result.stdout, /mean cos\(uᵢ, vᵢ\)\s+-?\d\.\d{4}/);
    assert.match(result.stdout, /Jaccard@3\s+\d\.\d{4}\s+\(all rows\)/);
    assert.match(result.stdout, /^highest cos\(uᵢ, vᵢ\): /m);
  });

  it('says a tied model is tied and reports what tying implies', async () => {
    const result = await run('compare', fixture('pytorch/lm-tied.pt'), '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary), UV_KEYS);
    assert.equal(summary['tied'], true);
    assert.equal(summary['meanCosUV'], 1);
    assert.equal(summary['jaccardAtK'], 1);
    assert.equal(summary['linearCKA'], 1);
    assert.equal(summary['procrustesResidual'], 0);
    assert.equal(summary['effectiveRankU'], summary['effectiveRankV']);
    assert.match((await run('compare', fixture('pytorch/lm-tied.pt'))).stdout, /tied: U and V are one matrix/);
  });

  it('exits 2 with one line naming what the file has when it has no V', async () => {
    const result = await run('compare', fixture('word2vec/vectors.bin'));
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n').length, 1);
    assert.match(result.stderr, /vectors\.bin: compare needs an output matrix V beside U; the file has vectors \(input\)/);
  });

  it('rejects a bad --k as a usage error', async () => {
    const result = await run('compare', gensim, '--k', '0');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--k expects an integer 1\.\.1000, got "0"/);
  });
});

describe('embedding-lens compare PATH --against PATH2', () => {
  it("prints the schema-1 keys plus sharedRows and topDrift, with numpy's figures", async () => {
    const result = await run('compare', ckptA, '--against', ckptB, '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary), [...UV_KEYS, 'sharedRows', 'topDrift']);
    const c = cases['checkpoints']!;
    assert.equal(summary['rows'], 600);
    assert.equal(summary['sharedRows'], c.sharedRows);
    assert.equal(summary['tied'], false);
    near(summary['meanCosUV'], c.meanAlignedCos, FLOAT64, 'meanCosUV (after alignment)');
    near(summary['medianCosUV'], c.medianAlignedCos, FLOAT64, 'medianCosUV (after alignment)');
    near(summary['jaccardAtK'], c.meanJaccard, FLOAT64, 'jaccardAtK');
    near(summary['linearCKA'], c.linearCka, FLOAT64, 'linearCKA');
    near(summary['procrustesResidual'], c.procrustesResidual, FLOAT64, 'procrustesResidual');
    near(summary['effectiveRankU'], c.effectiveRank.a, SPECTRUM, 'effectiveRankU');
    near(summary['effectiveRankV'], c.effectiveRank.b, SPECTRUM, 'effectiveRankV');
    near(summary['anisotropyU'], c.anisotropy.a, FLOAT64, 'anisotropyU');
    near(summary['anisotropyV'], c.anisotropy.b, FLOAT64, 'anisotropyV');
    const top = summary['topDrift'] as { token: string; drift: number }[];
    assert.deepEqual(
      top.map((entry) => entry.token),
      c.topDrift.map((entry) => entry.token),
    );
    top.forEach((entry, i) => near(entry.drift, c.topDrift[i]!.drift, FLOAT64, `topDrift ${i}`));
  });

  it('prints drift and neighbour changes as text, with control characters in tokens escaped', async () => {
    const result = await run('compare', ckptA, '--against', ckptB);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /500 shared tokens \(of 600 and 540\), 12 columns, k = 10/);
    assert.match(result.stdout, /^ {3}1\. \\u\{1b\}\[31mred\s+1\.\d{4}$/m);
    assert.match(result.stdout, /^ {2}\\u\{1b\}\[31mred: \+ .+; − .+$/m);
    assert.ok(!result.stdout.includes('\u001b'), 'no raw escape reaches the terminal');
  });

  it('says the checkpoints are identical when compared with themselves', async () => {
    const summary = JSON.parse((await run('compare', ckptA, '--against', ckptA, '--json')).stdout) as Record<string, unknown>;
    assert.equal(summary['tied'], true);
    assert.equal(summary['procrustesResidual'], 0);
    assert.equal((summary['topDrift'] as { drift: number }[])[0]?.drift, 0);
  });

  it('exits 2 naming both files when the widths differ or no token is shared', async () => {
    const widths = await run('compare', gensim, '--against', fixture('gensim/inline.model'));
    assert.equal(widths.code, 2);
    assert.equal(widths.stderr.split('\n').length, 1);
    assert.match(
      widths.stderr,
      /word2vec\.model against .*inline\.model: the checkpoints have 16 and 8 columns; aligning them .* needs equal dimensions/,
    );
    const disjoint = await run('compare', ckptA, '--against', fixture('analysis/compare/disjoint/vectors.npy'));
    assert.equal(disjoint.code, 2);
    assert.match(disjoint.stderr, /vectors\.npy against .*disjoint\/vectors\.npy: the checkpoints share no token/);
  });

  it('exits 2 when the second path does not exist', async () => {
    const result = await run('compare', ckptA, '--against', fixture('analysis/compare/nope.npy'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /nope\.npy/);
  });
});

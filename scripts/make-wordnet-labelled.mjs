// Builds a labelled corpus (`label<TAB>text`, one document per line; see src/core/train/classifier-corpus.ts) from
// WordNet's glosses, as installed by the Debian package wordnet-base (apt-get install -y wordnet-base):
// every synset of /usr/share/wordnet/data.{noun,verb,adj,adv} is one document, its text the definition part of
// the gloss (the quoted examples dropped unless --examples), its label the part of speech (default) or the
// lexicographer file (noun.animal, verb.motion, …).
//
//   node scripts/make-wordnet-labelled.mjs [--label pos|lexname] [--examples] [--out FILE] [--wordnet DIR] [--seed N]
//
// Writes bench/data/wordnet-<label>.tsv by default (git-ignored: the data is built, never committed). Lines are
// shuffled with a seeded generator so any prefix or suffix mixes all labels.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const labelKind = option('label', 'pos');
if (labelKind !== 'pos' && labelKind !== 'lexname') throw new Error(`--label: expected pos or lexname, found ${labelKind}`);
const withExamples = args.includes('--examples');
const wordnet = option('wordnet', '/usr/share/wordnet');
const out = option('out', join('bench', 'data', `wordnet-${labelKind}${withExamples ? '-examples' : ''}.tsv`));
const seed = Number(option('seed', '1'));

// Lexicographer files by number, as lexnames(5WN) lists them (WordNet 3.0).
const LEXNAMES = [
  'adj.all',
  'adj.pert',
  'adv.all',
  'noun.Tops',
  'noun.act',
  'noun.animal',
  'noun.artifact',
  'noun.attribute',
  'noun.body',
  'noun.cognition',
  'noun.communication',
  'noun.event',
  'noun.feeling',
  'noun.food',
  'noun.group',
  'noun.location',
  'noun.motive',
  'noun.object',
  'noun.person',
  'noun.phenomenon',
  'noun.plant',
  'noun.possession',
  'noun.process',
  'noun.quantity',
  'noun.relation',
  'noun.shape',
  'noun.state',
  'noun.substance',
  'noun.time',
  'verb.body',
  'verb.change',
  'verb.cognition',
  'verb.communication',
  'verb.competition',
  'verb.consumption',
  'verb.contact',
  'verb.creation',
  'verb.emotion',
  'verb.motion',
  'verb.perception',
  'verb.possession',
  'verb.social',
  'verb.stative',
  'verb.weather',
  'adj.ppl',
];
// Synset types: 's' (adjective satellite) is an adjective.
const POS = { n: 'noun', v: 'verb', a: 'adjective', s: 'adjective', r: 'adverb' };

/** Lower-case words: letters, digits, apostrophes and inner hyphens; everything else separates. */
function tokens(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9'-]+/g, ' ')
    .split(' ')
    .map((token) => token.replace(/^[-']+|[-']+$/g, ''))
    .filter((token) => token !== '');
}

const documents = [];
for (const file of ['data.noun', 'data.verb', 'data.adj', 'data.adv']) {
  const path = join(wordnet, file);
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: expected WordNet's data file (Debian package wordnet-base), found ${error.code ?? error.message}`);
  }
  for (const line of text.split('\n')) {
    // The license header lines start with two spaces; every synset line starts with its 8-digit offset.
    if (!/^\d{8} /.test(line)) continue;
    const bar = line.indexOf(' | ');
    if (bar < 0) continue;
    const [, lexFile, type] = line.slice(0, bar).split(' ');
    const label = labelKind === 'pos' ? POS[type] : LEXNAMES[Number(lexFile)];
    if (label === undefined) throw new Error(`${path}: synset type ${type} / lexicographer file ${lexFile} is not one we know`);
    const parts = line
      .slice(bar + 3)
      .split(';')
      .map((part) => part.trim());
    const kept = withExamples ? parts : parts.filter((part) => !part.startsWith('"'));
    const words = tokens(kept.join(' '));
    if (words.length > 0) documents.push(`${label}\t${words.join(' ')}`);
  }
}

// mulberry32, the generator the project uses everywhere (src/core/analysis/seeded-random.ts).
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = documents.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [documents[i], documents[j]] = [documents[j], documents[i]];
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${documents.join('\n')}\n`);
const counts = new Map();
for (const doc of documents) counts.set(doc.slice(0, doc.indexOf('\t')), (counts.get(doc.slice(0, doc.indexOf('\t'))) ?? 0) + 1);
console.log(
  `${out}: ${documents.length} documents, ${counts.size} labels (${[...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([l, c]) => `${l} ${c}`)
    .join(', ')}${counts.size > 6 ? ', …' : ''})`,
);

import type { Vocabulary } from './checkpoint';
import { CheckpointError } from './errors';
import { readText } from './io/byte-source';
import { basename, dirname, joinInside, type FileAccess } from './io/files';

/** Largest vocabulary side file we read whole (a 3M-word vocab is ~50 MB). */
export const MAX_VOCAB_FILE_BYTES = 512 << 20;

/**
 * Side files that name a matrix's rows, in the order we try them, for a checkpoint called `<stem>.<ext>`:
 * `<stem>.vocab`, `<stem>.vocab.txt`, `<stem>.tsv` metadata, then the folder-wide names.
 */
function candidateNames(checkpointName: string): string[] {
  const stem = checkpointName.replace(/\.[^.]+$/, '');
  return [`${stem}.vocab`, `${stem}.vocab.txt`, `${stem}.metadata.tsv`, 'vocab.txt', 'metadata.tsv', 'tokenizer.json', 'vocab.json'];
}

/** Finds and parses the vocabulary file beside a checkpoint; undefined when there is none. */
export async function findSiblingVocabulary(files: FileAccess, checkpointPath: string): Promise<Vocabulary | undefined> {
  const folder = dirname(checkpointPath);
  const present = new Set(await files.list(folder));
  for (const name of candidateNames(basename(checkpointPath))) {
    if (!present.has(name) || name === basename(checkpointPath)) continue;
    const path = joinInside(folder, name);
    if (path === undefined) continue;
    return readVocabularyFile(files, path);
  }
  return undefined;
}

/** Reads a vocabulary file, choosing the parser by its name (tokenizer.json, vocab.json, *.tsv, plain lines). */
export async function readVocabularyFile(files: FileAccess, path: string): Promise<Vocabulary> {
  const source = await files.open(path);
  try {
    const text = await readText(source, MAX_VOCAB_FILE_BYTES, 'vocabulary file');
    const name = basename(path);
    if (name.endsWith('.json')) return parseJsonVocabulary(text, path);
    if (name.endsWith('.tsv')) return parseMetadataTsv(text, path);
    return parseVocabLines(text, path);
  } finally {
    await source.close();
  }
}

/** Splits text into lines, dropping one final empty line (the file's trailing newline) and any '\r'. */
function lines(text: string): string[] {
  const all = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

/**
 * One token per line, optionally followed by a count ("word 1234", as GloVe's vocab_count and word2vec's
 * -save-vocab write). Counts are taken only when every line has one, so a token that ends in a number stays whole.
 */
export function parseVocabLines(text: string, source: string): Vocabulary {
  const rows = lines(text);
  const withCount = /^(.*\S)[ \t]+(\d+)$/;
  const matches = rows.map((line) => withCount.exec(line));
  if (rows.length > 0 && matches.every((match) => match !== null)) {
    return {
      tokens: matches.map((match) => (match as RegExpExecArray)[1] as string),
      counts: matches.map((match) => Number((match as RegExpExecArray)[2])),
      source,
    };
  }
  return { tokens: rows, source };
}

/**
 * TensorBoard projector metadata: one column without a header, or several columns with a header row whose
 * first column is the label (the projector's own rule).
 */
export function parseMetadataTsv(text: string, source: string): Vocabulary {
  const rows = lines(text);
  const first = rows[0];
  if (first === undefined || !first.includes('\t')) return { tokens: rows, source };
  const header = first.split('\t').map((cell) => cell.trim().toLowerCase());
  const body = rows.slice(1).map((line) => line.split('\t'));
  const countColumn = header.findIndex((name) => name === 'count' || name === 'frequency' || name === 'freq');
  const tokens = body.map((cells) => cells[0] ?? '');
  if (countColumn > 0 && body.every((cells) => /^\d+$/.test(cells[countColumn] ?? ''))) {
    return { tokens, counts: body.map((cells) => Number(cells[countColumn])), source };
  }
  return { tokens, source };
}

/** tokenizer.json (Hugging Face tokenizers) or vocab.json ({token: id}), ordered by id. */
export function parseJsonVocabulary(text: string, source: string): Vocabulary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new CheckpointError('bad-header', `${source}: expected a JSON vocabulary, ${(error as Error).message}`);
  }
  const byId = new Map<number, string>();
  const record = parsed as { model?: { vocab?: unknown }; added_tokens?: unknown };
  const vocab = record.model !== undefined ? record.model.vocab : parsed;
  if (Array.isArray(vocab)) {
    // Unigram: [[token, score], …] in id order.
    vocab.forEach((entry, id) => {
      if (Array.isArray(entry) && typeof entry[0] === 'string') byId.set(id, entry[0]);
    });
  } else if (vocab !== null && typeof vocab === 'object') {
    for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) byId.set(id, token);
    }
  }
  if (Array.isArray(record.added_tokens)) {
    for (const added of record.added_tokens as { id?: unknown; content?: unknown }[]) {
      if (typeof added.id === 'number' && typeof added.content === 'string') byId.set(added.id, added.content);
    }
  }
  if (byId.size === 0) throw new CheckpointError('bad-header', `${source}: expected a token→id vocabulary, found none`);
  const size = Math.max(...byId.keys()) + 1;
  if (size > byId.size * 2 + 1024) {
    throw new CheckpointError('bad-header', `${source}: ids reach ${size - 1} for ${byId.size} tokens, expected dense ids`);
  }
  return { tokens: Array.from({ length: size }, (_, id) => byId.get(id) ?? `<unused ${id}>`), source };
}

/**
 * Fits a vocabulary to a matrix of `rows` rows: extra matrix rows (padded embedding tables) get `<row N>`,
 * extra tokens are dropped. The note says what happened, so a mismatch is never silent.
 */
export function fitVocabulary(vocab: Vocabulary, rows: number): { vocab: Vocabulary; note?: string } {
  const count = vocab.tokens.length;
  if (count === rows) return { vocab };
  const tokens =
    count > rows ? vocab.tokens.slice(0, rows) : [...vocab.tokens, ...Array.from({ length: rows - count }, (_, i) => `<row ${count + i}>`)];
  const counts = vocab.counts
    ? count > rows
      ? vocab.counts.slice(0, rows)
      : [...vocab.counts, ...new Array<number>(rows - count).fill(0)]
    : undefined;
  return {
    vocab: { tokens, ...(counts ? { counts } : {}), source: vocab.source },
    note: `${vocab.source} lists ${count} tokens for ${rows} matrix rows: ${count > rows ? 'extra tokens dropped' : 'extra rows named <row N>'}`,
  };
}

import { eagerMatrix, rowNumberVocabulary, type Vocabulary } from '../checkpoint';
import { ensure } from '../errors';
import type { CheckpointFormat, Probe } from '../format';
import { basename } from '../io/files';
import { countLines, headLines, parseVectorLine, readVectorLines } from '../text/vector-lines';
import { findSiblingVocabulary, fitVocabulary } from '../vocab-files';

/**
 * TensorBoard projector TSV: the tensor file (tensors.tsv as `SummaryWriter.add_embedding` writes it, vectors.tsv in
 * the TensorFlow tutorials) holds one vector per line as tab-separated numbers and nothing else; the labels are in
 * metadata.tsv beside it (one column without a header, or a header row and several columns; see vocab-files.ts).
 */

/** Lines of the head that must all be numbers-only for the sniff to claim the file. */
const SNIFF_LINES = 64;
/** The projector refuses 1-D vectors ("Found a vector with only one dimension?"), and so do we. */
const MIN_COLS = 2;
/** Bytes of the head read to find the first line's width. */
const HEAD_BYTES = 1 << 20;
const SPACE = 0x20;

/** Tab-separated numbers only, at least MIN_COLS of them: the number of columns, or -1. */
function numericTsvWidth(line: Uint8Array): number {
  let end = line.length;
  if (end > 0 && line[end - 1] === 0x0d) end--; // a CRLF file
  if (line.subarray(0, end).includes(SPACE)) return -1; // the projector splits on tabs only
  const width = parseVectorLine(line.subarray(0, end), false)?.values.length ?? -1;
  return width >= MIN_COLS ? width : -1;
}

/** Every sampled line is the same number (≥ 2) of tab-separated numbers, with no token column. */
function sniffProjector(probe: Probe): boolean {
  const lines = headLines(probe.head, 0, probe.size <= probe.head.length, SNIFF_LINES);
  const width = lines[0] ? numericTsvWidth(lines[0]) : -1;
  return width >= MIN_COLS && lines.every((line) => numericTsvWidth(line) === width);
}

/** TensorBoard projector vectors (tensors.tsv / vectors.tsv) with labels from metadata.tsv beside them. */
export const projectorTsv: CheckpointFormat = {
  id: 'projector-tsv',
  description: 'TensorBoard projector TSV (tab-separated numbers per line; labels from metadata.tsv beside it)',
  sniff: sniffProjector,
  async read(context) {
    const { source, path, files } = context;
    const size = await source.size();
    const head = await source.read(0, Math.min(size, HEAD_BYTES));
    const first = headLines(head, 0, head.length >= size, 1)[0];
    const cols = first ? numericTsvWidth(first) : -1;
    ensure(cols >= MIN_COLS, 'bad-header', () => `${path}: expected ${MIN_COLS} or more tab-separated numbers on the first line`);
    const rows = await countLines(source, 0, context.signal);
    const lines = await readVectorLines(source, { start: 0, rows, valuesPerLine: cols, hasToken: false, signal: context.signal });
    const notes = ['a projector tensor file holds one matrix; it is taken as U'];
    const sourceFiles: string[] = [path];
    let vocab: Vocabulary = rowNumberVocabulary(rows);
    const found = await findSiblingVocabulary(files, path);
    if (found) {
      const fitted = fitVocabulary(found, rows);
      vocab = fitted.vocab;
      sourceFiles.push(found.source);
      notes.push(`labels${found.counts ? ' and counts' : ''} from ${basename(found.source)}`);
      if (fitted.note) notes.push(fitted.note);
    } else {
      notes.push('no metadata.tsv beside it: rows are named by number');
    }
    return {
      format: 'projector-tsv',
      path,
      vocab,
      matrices: [eagerMatrix({ name: basename(path), role: 'input', rows, cols, dtype: 'float32', tensorNames: [] }, lines.values)],
      tied: false,
      provenance: { files: sourceFiles, notes },
      close: () => source.close(),
    };
  },
};

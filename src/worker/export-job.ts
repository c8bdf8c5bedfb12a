import { vocabularySize } from '../core/checkpoint';
import { topRows } from '../core/analysis/row-selection';
import { CheckpointError } from '../core/errors';
import { projectorMetadataTsv, writeProjectorTensors } from '../core/export/projector';
import { openAtomicFile, writeFileAtomic } from '../node/atomic-write';
import type { ProjectorExport, ProjectorExportResult } from '../protocol/worker';
import type { OpenedCheckpoint } from './open-checkpoints';

/**
 * Writes the TensorBoard Projector's two files for U or V: the tensors TSV (streamed, then renamed into place) and
 * the metadata TSV (token, and count when the file has counts), over the `limit` most frequent rows. A cancelled
 * or failed export leaves neither file behind.
 */
export async function exportProjector(
  opened: OpenedCheckpoint,
  request: ProjectorExport,
  signal: AbortSignal,
  progress: (message: string, fraction?: number) => void,
): Promise<ProjectorExportResult> {
  const { checkpoint } = opened;
  const loaded = request.space === 'input' ? await opened.input(signal) : await opened.output(signal);
  if (!loaded) throw new CheckpointError('no-embedding', `${checkpoint.path}: expected an output matrix V to export, the file has none`);
  const { matrix, data } = loaded;
  const counts = checkpoint.vocab.counts;
  const rows = topRows(Math.min(matrix.rows, vocabularySize(checkpoint.vocab)), request.limit ?? undefined, counts);
  const metadata = projectorMetadataTsv({
    tokens: checkpoint.vocab.tokens,
    count: matrix.rows,
    rows,
    ...(counts ? { columns: [{ name: 'count', text: (row: number) => String(counts[row] ?? '') }] } : {}),
  });
  const file = await openAtomicFile(request.tensorsPath);
  try {
    const written = await writeProjectorTensors({
      data,
      cols: matrix.cols,
      rows,
      write: (chunk) => file.write(chunk),
      signal,
      onProgress: (fraction) => progress(`Writing ${matrix.name} for the Projector`, fraction),
    });
    await writeFileAtomic(request.metadataPath, metadata.text);
    await file.commit();
    return {
      rows: written.rows,
      cols: written.cols,
      nonFinite: written.nonFinite,
      matrix: matrix.name,
      metadataColumns: [...metadata.columns],
    };
  } finally {
    await file.abort();
  }
}

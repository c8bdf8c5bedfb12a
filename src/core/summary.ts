import { vocabularySize, type Checkpoint, type Role, type SourceDType } from './checkpoint';

/** The `inspect --json` document (schema 1; a stable contract other tools build on). */
export interface InspectSummary {
  readonly schema: 1;
  readonly format: string;
  readonly path: string;
  readonly vocabSize: number;
  readonly tied: boolean;
  readonly matrices: readonly { name: string; role: Role; rows: number; cols: number; dtype: SourceDType }[];
}

/** The summary plus what people want to read beside it (not part of the JSON contract). */
export interface CheckpointDescription {
  readonly summary: InspectSummary;
  readonly vocabSource: string;
  readonly hasCounts: boolean;
  /** Per matrix, in summary order: subword rows beyond the vocabulary, and whether the file stores it transposed. */
  readonly details: readonly { extraRows: number; transposed: boolean }[];
  readonly notes: readonly string[];
}

/** Builds the inspect summary from a checkpoint's header facts (no matrix is loaded). */
export function inspectSummary(checkpoint: Checkpoint): InspectSummary {
  return {
    schema: 1,
    format: checkpoint.format,
    path: checkpoint.path,
    vocabSize: vocabularySize(checkpoint.vocab),
    tied: checkpoint.tied,
    matrices: checkpoint.matrices.map(({ name, role, rows, cols, dtype }) => ({ name, role, rows, cols, dtype })),
  };
}

/** The summary and its human-facing details, as sent from the worker to the host. */
export function describeCheckpoint(checkpoint: Checkpoint): CheckpointDescription {
  return {
    summary: inspectSummary(checkpoint),
    vocabSource: checkpoint.vocab.source,
    hasCounts: checkpoint.vocab.counts !== undefined,
    details: checkpoint.matrices.map((m) => ({ extraRows: m.extraRows ?? 0, transposed: m.transposed ?? false })),
    notes: checkpoint.provenance.notes,
  };
}

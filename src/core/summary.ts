import type { Checkpoint, Role, SourceDType } from './checkpoint';

/** The `inspect --json` document (schema 1; a stable contract other tools build on). */
export interface InspectSummary {
  readonly schema: 1;
  readonly format: string;
  readonly path: string;
  readonly vocabSize: number;
  readonly tied: boolean;
  readonly matrices: readonly { name: string; role: Role; rows: number; cols: number; dtype: SourceDType }[];
}

/** Builds the inspect summary from a checkpoint's header facts (no matrix is loaded). */
export function inspectSummary(checkpoint: Checkpoint): InspectSummary {
  return {
    schema: 1,
    format: checkpoint.format,
    path: checkpoint.path,
    vocabSize: checkpoint.vocab.tokens.length,
    tied: checkpoint.tied,
    matrices: checkpoint.matrices.map(({ name, role, rows, cols, dtype }) => ({ name, role, rows, cols, dtype })),
  };
}

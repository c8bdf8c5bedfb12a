import type { Checkpoint } from './checkpoint';
import type { ByteSource } from './io/byte-source';
import type { FileAccess } from './io/files';
import type { ZipArchive } from './io/zip';

/** Bytes handed to `sniff`: enough for every magic number and a text header line. */
export const SNIFF_BYTES = 64 * 1024;

/** What a reader may look at to decide whether a file is its own. */
export interface Probe {
  /** The first SNIFF_BYTES bytes (fewer for a small file). */
  readonly head: Uint8Array;
  readonly path: string;
  readonly size: number;
  /** The archive's directory when the file is a zip (npz, .keras, torch zip). */
  readonly zip?: ZipArchive;
  /** For formats recognised by their side files (GloVe's vectors.bin has no magic; its vocab file tells). */
  readonly files: FileAccess;
}

/** Everything a reader gets. */
export interface ReadContext {
  readonly source: ByteSource;
  readonly path: string;
  readonly files: FileAccess;
  readonly zip?: ZipArchive;
  readonly signal?: AbortSignal;
}

/** A checkpoint format: a cheap sniff by content, then a reader. */
export interface CheckpointFormat {
  readonly id: string;
  /** One line for `--format` help and error messages. */
  readonly description: string;
  /** Cheap look at the first bytes (and a zip's entry names); never throws. */
  sniff(probe: Probe): boolean | Promise<boolean>;
  read(context: ReadContext): Promise<Checkpoint>;
}

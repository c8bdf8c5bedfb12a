import { open, readdir, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { CheckpointError } from '../core/errors';
import type { ByteSource } from '../core/io/byte-source';
import type { FileAccess, FileStat } from '../core/io/files';

/** A random-access ByteSource over a file handle: reads what is asked, never the whole file. */
export class FileByteSource implements ByteSource {
  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    private readonly bytes: number,
  ) {}

  /** Opens `path` for reading; a missing file becomes CheckpointError('not-found'). */
  static async open(path: string): Promise<FileByteSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw fileError(path, error);
    }
    const { size } = await handle.stat();
    return new FileByteSource(path, handle, size);
  }

  size(): Promise<number> {
    return Promise.resolve(this.bytes);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(Math.max(0, Math.min(length, this.bytes - offset)));
    const filled = await this.readInto(offset, buffer);
    return filled === buffer.length ? buffer : buffer.subarray(0, filled);
  }

  async readInto(offset: number, target: Uint8Array): Promise<number> {
    const wanted = Math.max(0, Math.min(target.length, this.bytes - offset));
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(target, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break; // the file shrank under us
      filled += bytesRead;
    }
    return filled;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** A one-line CheckpointError for a file that cannot be opened. */
export function fileError(path: string, error: unknown): CheckpointError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CheckpointError('not-found', `${path}: expected a file, found nothing there`);
  if (code === 'EISDIR') return new CheckpointError('not-found', `${path}: expected a file, found a folder`);
  return new CheckpointError('not-found', `${path}: cannot be opened (${code ?? (error as Error).message})`);
}

/** Node's file system as the core's FileAccess; paths with '\\' are used as given (Windows). */
export const nodeFiles: FileAccess = {
  open: (path) => FileByteSource.open(path),
  async stat(path): Promise<FileStat | undefined> {
    try {
      const info = await stat(path);
      return { size: info.size, isDirectory: info.isDirectory() };
    } catch {
      return undefined;
    }
  },
  async list(directory) {
    try {
      return await readdir(directory === '' ? '.' : directory);
    } catch {
      return [];
    }
  },
};

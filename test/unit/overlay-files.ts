import type { ByteSource } from '../../src/core/io/byte-source';
import { MemorySource } from '../../src/core/io/byte-source';
import { CheckpointError } from '../../src/core/errors';
import { basename, dirname, type FileAccess } from '../../src/core/io/files';
import { nodeFiles } from '../../src/node/node-files';

/** The real file system, except that `path` holds `bytes` (a mutated or truncated copy of a fixture). */
export function overlayFiles(path: string, bytes: Uint8Array, base: FileAccess = nodeFiles): FileAccess {
  return {
    open: (candidate): Promise<ByteSource> => (candidate === path ? Promise.resolve(new MemorySource(path, bytes)) : base.open(candidate)),
    stat: (candidate) => (candidate === path ? Promise.resolve({ size: bytes.byteLength, isDirectory: false }) : base.stat(candidate)),
    list: (directory) => base.list(directory),
  };
}

/** A FileAccess over files held in memory (corrupted or incomplete copies of the real fixtures), keyed by path. */
export function memoryFiles(files: Record<string, Uint8Array>): FileAccess {
  return {
    open: (path) => {
      const bytes = files[path];
      if (!bytes) throw new CheckpointError('not-found', `${path}: not found`);
      return Promise.resolve(new MemorySource(path, bytes));
    },
    stat: (path) => Promise.resolve(files[path] ? { size: files[path].byteLength, isDirectory: false } : undefined),
    list: (folder) =>
      Promise.resolve(
        Object.keys(files)
          .filter((p) => dirname(p) === folder)
          .map((p) => basename(p)),
      ),
  };
}

/** Node's files, recording every read (to prove matrices load lazily). */
export function recordingFiles(only: string): { files: FileAccess; reads: [offset: number, length: number][] } {
  const reads: [number, number][] = [];
  const files: FileAccess = {
    ...nodeFiles,
    open: async (path) => {
      const inner: ByteSource = await nodeFiles.open(path);
      return {
        name: inner.name,
        size: () => inner.size(),
        read: async (offset, length) => {
          const bytes = await inner.read(offset, length);
          if (path === only) reads.push([offset, bytes.byteLength]);
          return bytes;
        },
        close: () => inner.close(),
      };
    },
  };
  return { files, reads };
}

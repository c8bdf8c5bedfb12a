import type { ByteSource } from '../../src/core/io/byte-source';
import { MemorySource } from '../../src/core/io/byte-source';
import type { FileAccess } from '../../src/core/io/files';
import { nodeFiles } from '../../src/node/node-files';

/** The real file system, except that `path` holds `bytes` (a mutated or truncated copy of a fixture). */
export function overlayFiles(path: string, bytes: Uint8Array, base: FileAccess = nodeFiles): FileAccess {
  return {
    open: (candidate): Promise<ByteSource> => (candidate === path ? Promise.resolve(new MemorySource(path, bytes)) : base.open(candidate)),
    stat: (candidate) => (candidate === path ? Promise.resolve({ size: bytes.byteLength, isDirectory: false }) : base.stat(candidate)),
    list: (directory) => base.list(directory),
  };
}

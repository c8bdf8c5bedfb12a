import { MemorySource, type ByteSource } from '../../../../src/core/io/byte-source';
import type { FileAccess } from '../../../../src/core/io/files';
import { nodeFiles } from '../../../../src/node/node-files';

/** A FileAccess that records which files were opened, how many bytes were read from each, and what is still open. */
export function countingFiles(base: FileAccess = nodeFiles): {
  files: FileAccess;
  opened: string[];
  bytesRead: Map<string, number>;
  stillOpen: () => number;
} {
  const opened: string[] = [];
  const bytesRead = new Map<string, number>();
  let open = 0;
  const files: FileAccess = {
    async open(path) {
      const source = await base.open(path);
      opened.push(path);
      open++;
      let closed = false;
      const counted: ByteSource = {
        name: source.name,
        size: () => source.size(),
        async read(offset, length) {
          const bytes = await source.read(offset, length);
          bytesRead.set(path, (bytesRead.get(path) ?? 0) + bytes.byteLength);
          return bytes;
        },
        async close() {
          if (!closed) open--;
          closed = true;
          await source.close();
        },
      };
      return counted;
    },
    stat: (path) => base.stat(path),
    list: (directory) => base.list(directory),
  };
  return { files, opened, bytesRead, stillOpen: () => open };
}

/**
 * A file of `size` bytes that exist only on demand: `head` at offset 0, zeros after it. Lets a test open a
 * "1 GB" checkpoint without the disk or the memory, and count what the reader asked for.
 */
export function sparseFile(path: string, head: Uint8Array, size: number): { files: FileAccess; bytesRead: () => number } {
  let read = 0;
  const source: ByteSource = {
    name: path,
    size: () => Promise.resolve(size),
    read(offset, length) {
      const end = Math.min(size, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset));
      if (offset < head.byteLength) out.set(head.subarray(offset, Math.min(end, head.byteLength)), 0);
      read += out.byteLength;
      return Promise.resolve(out);
    },
    close: () => Promise.resolve(),
  };
  const files: FileAccess = {
    open: (candidate) => (candidate === path ? Promise.resolve(source) : nodeFiles.open(candidate)),
    stat: (candidate) => (candidate === path ? Promise.resolve({ size, isDirectory: false }) : nodeFiles.stat(candidate)),
    list: () => Promise.resolve([path.slice(path.lastIndexOf('/') + 1)]),
  };
  return { files, bytesRead: () => read };
}

/** The real file system with some files replaced by bytes and others hidden (deleted), for derived cases. */
export function patchedFiles(replace: Record<string, Uint8Array | string>, hide: readonly string[] = []): FileAccess {
  const bytesOf = (path: string): Uint8Array | undefined => {
    const value = replace[path];
    return typeof value === 'string' ? new TextEncoder().encode(value) : value;
  };
  const name = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  return {
    async open(path) {
      const bytes = bytesOf(path);
      if (bytes !== undefined) return new MemorySource(path, bytes);
      if (hide.includes(path)) return nodeFiles.open(`${path}.hidden-by-test`);
      return nodeFiles.open(path);
    },
    stat(path) {
      const bytes = bytesOf(path);
      if (bytes !== undefined) return Promise.resolve({ size: bytes.byteLength, isDirectory: false });
      if (hide.includes(path)) return Promise.resolve(undefined);
      return nodeFiles.stat(path);
    },
    async list(directory) {
      const names = new Set(await nodeFiles.list(directory));
      for (const path of Object.keys(replace)) if (path.startsWith(`${directory}/`)) names.add(name(path));
      for (const path of hide) if (path.startsWith(`${directory}/`)) names.delete(name(path));
      return [...names];
    },
  };
}

/**
 * Replaces `from` with `to` inside the first `within` bytes, keeping the total length: a shorter `to` is padded
 * with spaces, a longer one eats spaces before the next line break (the padding numpy puts after its header dict).
 */
export function patchText(bytes: Uint8Array, from: string, to: string, within = 4096): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(within, bytes.byteLength)));
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" not found in the first ${within} bytes`);
  let patched = text.slice(0, at) + to.padEnd(from.length, ' ') + text.slice(at + from.length);
  const grow = to.length - from.length;
  if (grow > 0) {
    const lineEnd = patched.indexOf('\n', at + to.length);
    if (lineEnd < 0 || patched.slice(lineEnd - grow, lineEnd) !== ' '.repeat(grow)) throw new Error(`no room for "${to}"`);
    patched = patched.slice(0, lineEnd - grow) + patched.slice(lineEnd);
  }
  const copy = bytes.slice();
  for (let i = 0; i < patched.length; i++) copy[i] = patched.charCodeAt(i);
  return copy;
}

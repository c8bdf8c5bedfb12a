import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never half of it: the text goes to a temporary
 * file beside the target, which is then renamed over it (a rename within one folder is atomic on POSIX and NTFS).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A file written in pieces that appears at its path only on `commit` (temporary file + rename). */
export interface AtomicFile {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Closes and renames the file into place. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is untouched. Safe to call after commit (does nothing). */
  abort(): Promise<void>;
}

/** Opens a temporary file beside `path` for streaming writes; nothing is visible at `path` until `commit`. */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  let done = false;
  return {
    async write(chunk) {
      await (typeof chunk === 'string' ? handle.write(chunk) : handle.write(chunk));
    },
    async commit() {
      await handle.close();
      await rename(temporary, path);
      done = true;
    },
    async abort() {
      if (done) return;
      done = true;
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    },
  };
}

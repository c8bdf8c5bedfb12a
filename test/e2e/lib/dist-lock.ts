// A cross-process lock around dist/: `npm run package` rewrites dist/ with the production build, and an extension
// host loading dist/extension.js at that moment would see half-written files. node --test runs test files in
// parallel on machines with more than two cores, so e2e tests that build or load dist/ take this lock.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { E2E_RUN_DIR } from './paths';

/** The lock is a directory: mkdir is atomic, and it holds the owner's pid for stale-lock detection. */
const LOCK_DIR = join(E2E_RUN_DIR, 'dist.lock');
const POLL_MS = 200;
/** Longer than the slowest holder (a full extension-host run, ~4 min with every timeout hit). */
const WAIT_MS = 600_000;

function ownerAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; anything else (no pid file, ESRCH): stale.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function release(): void {
  rmSync(LOCK_DIR, { recursive: true, force: true });
}

/** Takes the dist/ lock, waiting while another live process holds it; resolves to the function that releases it. */
export async function acquireDistLock(): Promise<() => void> {
  mkdirSync(E2E_RUN_DIR, { recursive: true });
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder that has just made the directory has not written its pid yet: only a second look decides stale.
      if (!ownerAlive()) {
        await sleep(POLL_MS);
        if (!ownerAlive()) release();
        continue;
      }
      if (performance.now() > deadline) throw new Error(`waited ${WAIT_MS} ms for ${LOCK_DIR}`);
      await sleep(POLL_MS);
    }
  }
  process.on('exit', release);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    release();
  };
}

/** Runs `use` while holding the dist/ lock. */
export async function withDistLock<T>(use: () => Promise<T>): Promise<T> {
  const unlock = await acquireDistLock();
  try {
    return await use();
  } finally {
    unlock();
  }
}

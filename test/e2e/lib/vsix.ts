// Packs embedding-lens.vsix (`npm run package`) for the tests and benchmarks that install it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withDistLock } from './dist-lock';
import { REPO_ROOT } from './paths';

/** Where `npm run package` writes the extension. */
export const VSIX = join(REPO_ROOT, 'embedding-lens.vsix');
/** Production build + vsce take ~10 s here; slack for a loaded machine. */
const PACKAGE_TIMEOUT_MS = 300_000;

/**
 * Packs the .vsix (only when it is missing, with `onlyIfMissing`) and runs `use` with its path, all while holding
 * the dist/ lock: the production build rewrites dist/, and an install must not read a half-written .vsix.
 */
export function withVsix<T>(use: (vsix: string) => Promise<T>, options: { onlyIfMissing?: boolean } = {}): Promise<T> {
  return withDistLock(async () => {
    if (!options.onlyIfMissing || !existsSync(VSIX)) {
      const result = spawnSync('npm', ['run', 'package'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: PACKAGE_TIMEOUT_MS,
      });
      assert.equal(
        result.status,
        0,
        `npm run package failed (${String(result.status ?? result.signal)}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    return use(VSIX);
  });
}

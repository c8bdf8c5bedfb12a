// Folders shared by the end-to-end helpers and tests.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (holds package.json). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Per-run state of the end-to-end tests (gitignored): servers' run dirs, bundles, artifacts. */
export const E2E_RUN_DIR = join(REPO_ROOT, 'test', 'e2e', '.run');
/** Screenshots, logs and results that a human (or CI) looks at after a run. */
export const ARTIFACTS_DIR = join(E2E_RUN_DIR, 'artifacts');

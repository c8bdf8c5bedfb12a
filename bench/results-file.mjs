// bench/RESULTS.md holds one section per benchmark, each between its own markers, so every benchmark rewrites only
// its own part: <!-- bench:NAME --> ... <!-- /bench:NAME -->. Sections keep their order; a new one is appended.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

/** The results file. */
export const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

/** Replaces (or appends) the section `name` of bench/RESULTS.md with `markdown`, formatted as `npm run lint` expects. */
export async function writeResultsSection(name, markdown) {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n\n${markdown.trim()}\n\n${close}`;
  const text = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const next =
    start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + close.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  const config = (await prettier.resolveConfig(RESULTS_PATH)) ?? {};
  writeFileSync(RESULTS_PATH, await prettier.format(next, { ...config, parser: 'markdown' }));
}

// Our side of the evaluation benchmark (bench/eval.mjs runs it with tsx), one measurement per process:
//   node --import tsx bench/eval-ours.ts VEC EVAL_DIR
// Prints one JSON line: seconds (wall and CPU) to read the .vec with our reader, and to run each evaluation set on U
// (analogies restricted to the 30,000 most frequent rows), with the scores.
import { openCheckpoint } from '../src/core/open';
import { nodeFiles } from '../src/node/node-files';
import { readEvalSets, standardEvalPaths } from '../src/core/eval/eval-sets';
import { evaluateEmbedding, loadEvalMatrix } from '../src/core/eval/evaluate';

const [vec, evalDir] = process.argv.slice(2);
if (vec === undefined || evalDir === undefined) throw new Error('usage: eval-ours.ts VEC EVAL_DIR');

function clock(): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}
function since(start: { wall: number; cpu: number }): { wall: number; cpu: number } {
  const now = clock();
  return { wall: now.wall - start.wall, cpu: now.cpu - start.cpu };
}

const sets = await readEvalSets(nodeFiles, standardEvalPaths(evalDir));
let start = clock();
const checkpoint = await openCheckpoint(vec, nodeFiles);
const embedding = await loadEvalMatrix(checkpoint, 'input');
const load = since(start);
start = clock();
const pairs = await evaluateEmbedding(embedding, 'input', { wordsim: sets.wordsim!, simlex: sets.simlex! });
const pairTime = since(start);
start = clock();
const analogies = await evaluateEmbedding(embedding, 'input', { analogies: sets.analogies! });
const analogyTime = since(start);
await checkpoint.close();
console.log(JSON.stringify({ load, pairs: pairTime, analogies: analogyTime, scores: { ...pairs, ...analogies } }));

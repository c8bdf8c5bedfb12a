import { CheckpointError, ensure } from '../errors';
import type { CheckpointFormat } from '../format';
import { readJson, type ByteSource } from '../io/byte-source';
import { dirname, joinInside } from '../io/files';
import { looksLikeEmbeddingName, type TensorEntry } from '../pairing';
import { readSafetensorsHeader, safetensorsEntries, type SafetensorsTensor } from './safetensors-header';
import { tensorFilesCheckpoint } from './safetensors-checkpoint';

/** An index lists every tensor once (a 400B model: ~100k names, a few MB); past this it is not an index. */
const MAX_INDEX_BYTES = 64 << 20;

/** Recognises model.safetensors.index.json by content: a JSON object with a weight_map naming .safetensors shards. */
function looksLikeIndex(head: Uint8Array): boolean {
  let at = 0;
  while (at < head.length && (head[at] === 0x20 || head[at] === 0x0a || head[at] === 0x0d || head[at] === 0x09)) at++;
  if (head[at] !== 0x7b) return false;
  const text = new TextDecoder('utf-8').decode(head);
  return text.includes('"weight_map"') && /\.safetensors"/.test(text);
}

/** Reads and checks the index's weight_map: tensor name → shard file name. */
function weightMap(index: unknown, path: string): Map<string, string> {
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  ensure(
    map !== null && typeof map === 'object' && !Array.isArray(map),
    'bad-header',
    () => `${path}: expected {"weight_map": {tensor: shard}}, found ${map === undefined ? 'no weight_map' : typeof map}`,
  );
  const out = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
    ensure(
      typeof shard === 'string',
      'bad-header',
      () => `${path}: weight_map["${tensor}"] should name a shard file, found ${JSON.stringify(shard)}`,
    );
    out.set(tensor, shard);
  }
  ensure(out.size > 0, 'no-embedding', () => `${path}: weight_map lists no tensors`);
  return out;
}

/**
 * Sharded safetensors (`model.safetensors.index.json`): reads the index, then only the headers of the shards that
 * hold embedding-like tensors (embed_tokens, lm_head, wte …); a model whose names say nothing gets every shard's
 * header read. Shard names must stay inside the index's folder.
 */
export const safetensorsIndex: CheckpointFormat = {
  id: 'safetensors-sharded',
  description: 'sharded safetensors: model.safetensors.index.json and its shards (only the embedding shards are opened)',
  sniff: (probe) => looksLikeIndex(probe.head),
  async read({ source, path, files }) {
    const map = weightMap(await readJson(source, MAX_INDEX_BYTES, 'a safetensors index'), path);
    const folder = dirname(path);
    const wanted = [...map.keys()].filter(looksLikeEmbeddingName);
    const shardNames = [...new Set((wanted.length > 0 ? wanted : [...map.keys()]).map((tensor) => map.get(tensor) as string))];
    const opened: ByteSource[] = [];
    const closeAll = async (): Promise<void> => {
      await Promise.all(opened.splice(0).map((shard) => shard.close()));
    };
    try {
      const entries: TensorEntry[] = [];
      const unreadable: SafetensorsTensor[] = [];
      const shardPaths: string[] = [];
      for (const shardName of shardNames) {
        const shardPath = joinInside(folder, shardName);
        if (shardPath === undefined) {
          throw new CheckpointError(
            'unsafe',
            `${path}: shard "${shardName}" points outside the model folder; expected a file name beside the index`,
          );
        }
        const stat = await files.stat(shardPath);
        ensure(
          stat && !stat.isDirectory,
          'not-found',
          () => `${path}: weight_map names shard ${shardName}, which is missing from ${folder || '.'}`,
        );
        const shard = await files.open(shardPath);
        opened.push(shard);
        shardPaths.push(shardPath);
        const header = await readSafetensorsHeader(shard);
        const inShard = new Set(header.tensors.map((tensor) => tensor.name));
        for (const [tensor, owner] of map) {
          ensure(
            owner !== shardName || inShard.has(tensor),
            'bad-header',
            () => `${path}: weight_map puts ${tensor} in ${shardName}, which has no such tensor`,
          );
        }
        const assigned = (name: string): boolean => map.get(name) === shardName;
        const parts = safetensorsEntries(shard, header);
        entries.push(...parts.entries.filter((entry) => assigned(entry.name)));
        unreadable.push(...parts.unreadable.filter((tensor) => assigned(tensor.name)));
      }
      const allShards = new Set(map.values()).size;
      return await tensorFilesCheckpoint({
        format: 'safetensors-sharded',
        path,
        files,
        entries,
        unreadable,
        filesRead: [path, ...shardPaths],
        notes: [
          `${map.size} tensors in ${allShards} shards; opened ${shardNames.length} (${shardNames.join(', ')})` +
            (wanted.length > 0 ? ' holding the embedding-like tensors' : ': no tensor name says embedding, so every shard'),
        ],
        close: async () => {
          await closeAll();
          await source.close();
        },
      });
    } catch (error) {
      await closeAll(); // the index itself is closed by the caller on failure
      throw error;
    }
  },
};

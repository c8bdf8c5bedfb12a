import { MemorySource } from '../../src/core/io/byte-source';
import type { FillingByteSource } from '../../src/core/io/chunk-stream';

/** An in-memory source that can also fill a caller's buffer, as Node's file adapter would. */
export class FillingMemorySource extends MemorySource implements FillingByteSource {
  reads = 0;
  async readInto(offset: number, target: Uint8Array): Promise<number> {
    this.reads++;
    const bytes = await this.read(offset, target.length);
    target.set(bytes);
    return bytes.length;
  }
}

/** Both kinds of source over the same bytes: fresh arrays per read, and one reused buffer. */
export function bothSources(name: string, bytes: Uint8Array): [string, MemorySource][] {
  return [
    ['fresh arrays per read', new MemorySource(name, bytes)],
    ['one reused read buffer', new FillingMemorySource(name, bytes)],
  ];
}

import type { SourceDType } from '../checkpoint';
import { CheckpointError, ensure } from '../errors';
import { readExact, type ByteSource } from '../io/byte-source';
import type { TensorEntry } from '../pairing';
import { readTensorAsFloat32 } from './tensor-bytes';

/** The safetensors library refuses headers over 100 MB (its MAX_HEADER_SIZE); so do we, before allocating. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;
/** The header length is a little-endian u64 before the JSON. */
const LENGTH_BYTES = 8;

/** Bits per element of every dtype the safetensors format defines (F4 and F6 are packed below a byte). */
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

/** Float dtypes we convert to float32 for display. */
const FLOAT_DTYPES: Readonly<Record<string, SourceDType>> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64' };
/** Integer dtypes we can name but do not show: converting quantised weights by value would mislead. */
const INTEGER_DTYPES: Readonly<Record<string, SourceDType>> = { I8: 'int8', U8: 'uint8', I16: 'int16', U16: 'uint16', I32: 'int32' };

/** One tensor as the header describes it. */
export interface SafetensorsTensor {
  readonly name: string;
  /** The dtype string as written ("F32", "BF16", "I64" …). */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte offsets relative to the start of the data section, [begin, end). */
  readonly begin: number;
  readonly end: number;
}

/** A parsed safetensors header. */
export interface SafetensorsHeader {
  readonly tensors: readonly SafetensorsTensor[];
  /** The `__metadata__` string map, if any. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Absolute file offset of the data section (8 + header length). */
  readonly dataStart: number;
}

/** Cheap check on the first bytes: a sane u64 header length followed by '{'. */
export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.byteLength < LENGTH_BYTES + 2) return false;
  const view = new DataView(head.buffer, head.byteOffset, LENGTH_BYTES);
  const length = view.getUint32(0, true);
  return (
    view.getUint32(4, true) === 0 &&
    length >= 2 &&
    length <= MAX_SAFETENSORS_HEADER_BYTES &&
    LENGTH_BYTES + length <= size &&
    head[8] === 0x7b
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Reads and validates the header: every tensor's dtype, shape and byte range, against the file's real size. */
export async function readSafetensorsHeader(source: ByteSource): Promise<SafetensorsHeader> {
  const name = source.name;
  const size = await source.size();
  const prefix = await readExact(source, 0, LENGTH_BYTES, 'safetensors header length');
  const view = new DataView(prefix.buffer, prefix.byteOffset, LENGTH_BYTES);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + view.getUint32(0, true);
  ensure(
    high === 0 && length <= MAX_SAFETENSORS_HEADER_BYTES,
    'bad-header',
    () => `${name}: safetensors header length ${length} bytes, expected at most ${MAX_SAFETENSORS_HEADER_BYTES}`,
  );
  ensure(
    LENGTH_BYTES + length <= size,
    'truncated',
    () => `${name}: safetensors header says ${length} bytes of JSON, file has ${size - LENGTH_BYTES} after the length`,
  );
  const text = new TextDecoder('utf-8').decode(await readExact(source, LENGTH_BYTES, length, 'safetensors header'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new CheckpointError('bad-header', `${name}: expected a JSON safetensors header, ${(error as Error).message}`);
  }
  ensure(
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed),
    'bad-header',
    () => `${name}: expected a JSON object as the safetensors header, found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`,
  );
  const dataStart = LENGTH_BYTES + length;
  const dataLength = size - dataStart;
  const tensors: SafetensorsTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key === '__metadata__') {
      metadata = stringMap(value);
      continue;
    }
    tensors.push(parseTensor(name, key, value, dataLength));
  }
  return { tensors, metadata, dataStart };
}

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function parseTensor(file: string, key: string, value: unknown, dataLength: number): SafetensorsTensor {
  const record = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  const { dtype, shape, data_offsets: offsets } = record;
  ensure(
    typeof dtype === 'string' && Array.isArray(shape) && shape.every(isCount) && Array.isArray(offsets) && offsets.length === 2,
    'bad-header',
    () => `${file}: tensor ${key}: expected {dtype, shape, data_offsets}, found ${JSON.stringify(value)?.slice(0, 80)}`,
  );
  const [begin, end] = offsets as unknown[];
  ensure(
    isCount(begin) && isCount(end) && begin <= end,
    'bad-header',
    () => `${file}: tensor ${key}: data_offsets ${JSON.stringify(offsets)}, expected [begin, end] with begin ≤ end`,
  );
  ensure(
    end <= dataLength,
    'truncated',
    () => `${file}: tensor ${key} needs bytes ${begin}..${end} of the data section, file has ${dataLength}`,
  );
  const bits = DTYPE_BITS[dtype];
  if (bits !== undefined) {
    const elements = (shape as number[]).reduce((product, dim) => product * dim, 1);
    ensure(
      (elements * bits) / 8 === end - begin,
      'bad-header',
      () => `${file}: tensor ${key} is [${shape.join(', ')}] ${dtype} = ${(elements * bits) / 8} bytes, data_offsets span ${end - begin}`,
    );
  }
  return { name: key, dtype, shape: shape as number[], begin, end };
}

/** What the reader can offer pairing: tensors it can name a dtype for, and the ones it cannot (I64, F8, BOOL …). */
export interface SafetensorsEntries {
  readonly entries: TensorEntry[];
  readonly unreadable: SafetensorsTensor[];
}

/**
 * Turns header tensors into lazy TensorEntries. Float tensors load as float32; integer tensors are offered
 * (a quantised embedding should be recognised by name) but refuse to load with `unsupported`; other dtypes are
 * set aside, so an int64 position_ids buffer never fails the file.
 */
export function safetensorsEntries(source: ByteSource, header: SafetensorsHeader): SafetensorsEntries {
  const entries: TensorEntry[] = [];
  const unreadable: SafetensorsTensor[] = [];
  for (const tensor of header.tensors) {
    const float = FLOAT_DTYPES[tensor.dtype];
    const integer = INTEGER_DTYPES[tensor.dtype];
    if (float !== undefined) {
      entries.push({
        name: tensor.name,
        shape: tensor.shape,
        dtype: float,
        load: (signal) =>
          readTensorAsFloat32(
            source,
            {
              offset: header.dataStart + tensor.begin,
              count: tensor.shape.reduce((product, dim) => product * dim, 1),
              dtype: float,
              littleEndian: true,
              what: `tensor ${tensor.name}`,
            },
            signal,
          ),
      });
    } else if (integer !== undefined) {
      entries.push({
        name: tensor.name,
        shape: tensor.shape,
        dtype: integer,
        load: () => Promise.reject(unsupportedDtype(source.name, tensor)),
      });
    } else {
      unreadable.push(tensor);
    }
  }
  return { entries, unreadable };
}

/** The error for a matrix stored in a type we do not convert. */
export function unsupportedDtype(file: string, tensor: SafetensorsTensor): CheckpointError {
  return new CheckpointError(
    'unsupported',
    `${file}: tensor ${tensor.name} is ${tensor.dtype} [${tensor.shape.join(', ')}], expected F32, F16, BF16 or F64 (quantised tables are not converted)`,
  );
}

/**
 * Torch storages and tensors as the unpickler sees them, the allow-list of globals a MASS checkpoint
 * (or a reference data file) may name, and the reading of tensor values out of storage bytes with
 * every index checked against the bytes actually present.
 */
import { UserError } from '../errors.js';
import { Callable, type GlobalHandler } from './pickleReader.js';
import { PyObject, PyTuple } from './pyValues.js';
import { f16ToF32 } from '../util/float16.js';

export type TorchDType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** torch.<Name>Storage → element type and size. */
export const STORAGE_TYPES: Record<string, { dtype: TorchDType; size: number }> = {
  FloatStorage: { dtype: 'float32', size: 4 },
  DoubleStorage: { dtype: 'float64', size: 8 },
  HalfStorage: { dtype: 'float16', size: 2 },
  BFloat16Storage: { dtype: 'bfloat16', size: 2 },
  LongStorage: { dtype: 'int64', size: 8 },
  IntStorage: { dtype: 'int32', size: 4 },
  ShortStorage: { dtype: 'int16', size: 2 },
  CharStorage: { dtype: 'int8', size: 1 },
  ByteStorage: { dtype: 'uint8', size: 1 },
  BoolStorage: { dtype: 'bool', size: 1 },
};

export function storageTypeName(dtype: TorchDType): string {
  const e = Object.entries(STORAGE_TYPES).find(([, v]) => v.dtype === dtype);
  if (!e) throw new Error(`no torch storage type for ${dtype}`);
  return e[0];
}

/** A storage type named by a persistent id (a class reference, not a call). */
export class StorageType {
  constructor(readonly name: string) {}
}

/** One storage: its bytes arrive after the pickle (legacy) or from its own zip entry. */
export class TorchStorage {
  bytes?: Uint8Array;
  /** Reads the bytes from the file when they are not held (fresh memory each call; nothing kept). */
  load?: () => Uint8Array;
  constructor(
    readonly key: string,
    readonly dtype: TorchDType,
    readonly elementSize: number,
    /** Elements the pickle announced. */
    readonly numel: number,
    /** A view into a root storage (legacy files of old torch versions): element offset into it. */
    readonly view?: { root: TorchStorage; offset: number },
  ) {}
}

export class TorchTensor {
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
  get dtype(): TorchDType {
    return this.storage.dtype;
  }
}

const ints = (v: unknown, what: string): number[] => {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : undefined;
  if (!items || !items.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0))
    throw new UserError(`_rebuild_tensor_v2: ${what} is not a tuple of sizes`);
  return items as number[];
};

function rebuildTensor(args: unknown[]): TorchTensor {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof TorchStorage)) throw new UserError('_rebuild_tensor_v2: first argument is not a storage');
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new UserError('_rebuild_tensor_v2: bad storage offset');
  const shape = ints(size, 'size');
  const strides = ints(stride, 'stride');
  if (shape.length !== strides.length) throw new UserError('_rebuild_tensor_v2: size and stride differ in length');
  return new TorchTensor(storage, offset, shape, strides);
}

const record = (className: string): GlobalHandler => ({ call: (args) => new PyObject(className, args) });

/** numpy scalar: `scalar(dtype, bytes)`, bytes little-endian per the dtype string. */
function numpyScalar(args: unknown[]): number | boolean {
  const [dtype, raw] = args;
  if (!(dtype instanceof PyObject) || dtype.className !== 'numpy.dtype' || !(raw instanceof Uint8Array))
    throw new UserError('numpy scalar: unexpected arguments');
  const code = String(dtype.args[0]);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const need = (n: number) => {
    if (raw.length !== n) throw new UserError(`numpy scalar of type ${code}: ${raw.length} bytes`);
  };
  switch (code) {
    case 'f8':
      return (need(8), v.getFloat64(0, true));
    case 'f4':
      return (need(4), v.getFloat32(0, true));
    case 'i8':
      return (need(8), Number(v.getBigInt64(0, true)));
    case 'i4':
      return (need(4), v.getInt32(0, true));
    case 'u8':
      return (need(8), Number(v.getBigUint64(0, true)));
    case 'u4':
      return (need(4), v.getUint32(0, true));
    case 'b1':
      return (need(1), raw[0] !== 0);
    default:
      throw new UserError(`numpy scalar of type '${code}' is not supported`);
  }
}

/** Globals a MASS checkpoint contains; every one builds data, none runs anything. */
export function checkpointGlobals(): Map<string, GlobalHandler> {
  const g = new Map<string, GlobalHandler>();
  for (const name of Object.keys(STORAGE_TYPES)) g.set(`torch.${name}`, { call: () => new StorageType(name) });
  g.set('torch._utils._rebuild_tensor_v2', { call: rebuildTensor });
  // A Parameter saved directly (not through state_dict): its data is the tensor.
  g.set('torch._utils._rebuild_parameter', {
    call: ([t]) => {
      if (!(t instanceof TorchTensor)) throw new UserError('_rebuild_parameter: not a tensor');
      return t;
    },
  });
  g.set('collections.OrderedDict', {
    call: (args) => {
      if (args.length) throw new UserError('collections.OrderedDict: only the empty constructor is allowed');
      return new Map();
    },
  });
  g.set('argparse.Namespace', record('argparse.Namespace'));
  g.set('numpy.dtype', record('numpy.dtype'));
  g.set('numpy.core.multiarray.scalar', { call: numpyScalar });
  // Protocol 2 stores bytes as _codecs.encode(text, 'latin1'): a pure conversion.
  g.set('_codecs.encode', {
    call: ([text, enc]) => {
      if (typeof text !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new UserError("_codecs.encode: only (str, 'latin1') is allowed");
      return Uint8Array.from(Buffer.from(text, 'latin1'));
    },
  });
  return g;
}

/** Globals of a reference data file (Dictionary.index_data): the checkpoint's plus numpy arrays and the Dictionary class. */
export function dataGlobals(): Map<string, GlobalHandler> {
  const g = checkpointGlobals();
  g.set('numpy.core.multiarray._reconstruct', record('numpy.ndarray'));
  g.set('numpy.ndarray', record('numpy.ndarray.type'));
  g.set('src.data.dictionary.Dictionary', record('src.data.dictionary.Dictionary'));
  return g;
}

/** Parses a persistent id ('storage', type, key, location, numel[, view]) into a storage, one per key. */
export function storageLoader(storages: Map<string, TorchStorage>, source: string): (pid: unknown) => TorchStorage {
  return (pid) => {
    const items = pid instanceof PyTuple ? pid.items : undefined;
    if (!items || items[0] !== 'storage' || items.length < 5) throw new UserError(`${source}: unexpected persistent id (not a torch storage)`);
    const [, typeRef, key, , numel, view] = items;
    // The storage class arrives as a bare (uncalled) global; its handler just names the type.
    const type = typeRef instanceof Callable ? typeRef.handler.call([]) : typeRef;
    if (!(type instanceof StorageType)) throw new UserError(`${source}: storage ${String(key)} has no storage type`);
    if (typeof key !== 'string' || typeof numel !== 'number' || !Number.isInteger(numel) || numel < 0)
      throw new UserError(`${source}: malformed storage reference`);
    const info = STORAGE_TYPES[type.name]!;
    let root = storages.get(key);
    if (!root) {
      root = new TorchStorage(key, info.dtype, info.size, numel);
      storages.set(key, root);
    }
    if (view instanceof PyTuple) {
      // (view_key, offset, view_size): a slice of the root storage, stored under its own key.
      const [viewKey, offset, size] = view.items;
      if (typeof viewKey !== 'string' || typeof offset !== 'number' || typeof size !== 'number') throw new UserError(`${source}: malformed storage view`);
      let v = storages.get(viewKey);
      if (!v) {
        v = new TorchStorage(viewKey, info.dtype, info.size, size, { root, offset });
        storages.set(viewKey, v);
      }
      return v;
    }
    return root;
  };
}

/**
 * The bytes of a storage (a view resolved into its root), checked to be present. `fresh`: read from
 * the file just now (memory nobody else holds), so it need not be copied again.
 */
function storageBytes(s: TorchStorage, where: string): { bytes: Uint8Array; numel: number; fresh: boolean } {
  if (s.view) {
    const root = storageBytes(s.view.root, where);
    const start = s.view.offset * s.elementSize;
    const end = start + s.numel * s.elementSize;
    if (end > root.bytes.length) throw new UserError(`${where}: storage view ${s.key} runs past its root storage`);
    return { bytes: root.bytes.subarray(start, end), numel: s.numel, fresh: root.fresh };
  }
  const bytes = s.bytes ?? s.load?.();
  if (!bytes) throw new UserError(`${where}: storage ${s.key} has no data in the file`);
  return { bytes, numel: bytes.length / s.elementSize, fresh: s.bytes === undefined };
}

export type TensorValues = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array | Uint16Array;

/**
 * A tensor's elements in row-major order, as a fresh typed array of its dtype (float16/bfloat16
 * widened to float32). Refuses a tensor whose indices reach past its storage, naming `where`.
 */
export function tensorValues(t: TorchTensor, where: string): TensorValues {
  const { bytes, numel, fresh } = storageBytes(t.storage, where);
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (n > 0) {
    let last = t.offset;
    for (let i = 0; i < t.shape.length; i++) last += (t.shape[i]! - 1) * t.stride[i]!;
    if (last >= numel) {
      throw new UserError(
        `${where}: tensor of shape [${t.shape}] needs ${last + 1} elements of storage ${t.storage.key}, which holds ${numel} (truncated or damaged file)`,
      );
    }
  }
  // Aligned copy of the whole storage (unless just read, aligned, into memory of its own), then a
  // strided gather when the tensor is not contiguous.
  const own = fresh && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const aligned = own ? bytes : new Uint8Array(bytes.length);
  if (!own) aligned.set(bytes);
  const all = ((): TensorValues => {
    switch (t.dtype) {
      case 'float32':
        return new Float32Array(aligned.buffer);
      case 'float64':
        return new Float64Array(aligned.buffer);
      case 'int64':
        return new BigInt64Array(aligned.buffer);
      case 'int32':
        return new Int32Array(aligned.buffer);
      case 'int16':
        return new Int16Array(aligned.buffer);
      case 'int8':
        return new Int8Array(aligned.buffer);
      case 'uint8':
      case 'bool':
        return aligned;
      case 'float16':
      case 'bfloat16':
        return new Uint16Array(aligned.buffer);
    }
  })();
  let contiguous = true;
  for (let i = t.shape.length - 1, expect = 1; i >= 0; i--) {
    if (t.shape[i]! > 1 && t.stride[i] !== expect) contiguous = false;
    expect *= t.shape[i]!;
  }
  let out: TensorValues;
  if (contiguous) out = all.slice(t.offset, t.offset + n) as TensorValues;
  else {
    out = new (all.constructor as new (n: number) => TensorValues)(n);
    const idx = new Array<number>(t.shape.length).fill(0);
    for (let k = 0; k < n; k++) {
      let at = t.offset;
      for (let d = 0; d < idx.length; d++) at += idx[d]! * t.stride[d]!;
      (out as unknown as number[])[k] = (all as unknown as number[])[at]!;
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d]! < t.shape[d]!) break;
        idx[d] = 0;
      }
    }
  }
  if (t.dtype === 'float16') return Float32Array.from(out as Uint16Array, f16ToF32);
  if (t.dtype === 'bfloat16') return new Float32Array(Uint32Array.from(out as Uint16Array, (h) => h << 16).buffer);
  return out;
}

/** Float values of a tensor (any dtype). */
export function tensorFloat32(t: TorchTensor, where: string): Float32Array {
  const v = tensorValues(t, where);
  if (v instanceof Float32Array) return v;
  if (v instanceof BigInt64Array) return Float32Array.from(v, (x) => Number(x));
  return Float32Array.from(v as ArrayLike<number>);
}

/** A tensor to write: contiguous values of one dtype. Tensors sharing `data` share one storage. */
export class HostTensor {
  constructor(
    readonly dtype: TorchDType,
    readonly shape: number[],
    readonly data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array,
  ) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`HostTensor: ${data.length} values for shape [${shape}]`);
  }
}

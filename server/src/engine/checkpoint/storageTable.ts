/**
 * The saving side of torch's storage scheme: replaces each HostTensor in a value tree by the call
 * torch.load rebuilds it with (`_rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())`,
 * the storage as a persistent id) and collects the storages to write after (legacy) or beside (zip)
 * the pickle. Tensors sharing one data array (tied weights) share one storage, as in torch.
 */
import { PyCall, PyGlobalRef, PyPersistent } from './pickleWriter.js';
import { PyTuple } from './pyValues.js';
import { HostTensor, storageTypeName } from './torchTensors.js';

export interface SavedStorage {
  key: string;
  numel: number;
  bytes: Uint8Array;
}

/**
 * `legacy`: persistent ids carry a sixth element (view metadata, None), as torch's legacy writer does.
 */
export function tensorsToPickle(value: unknown, format: 'legacy' | 'zip'): { tree: unknown; storages: SavedStorage[] } {
  const keys = new Map<HostTensor['data'], string>();
  const storages: SavedStorage[] = [];
  const walk = (v: unknown): unknown => {
    if (v instanceof HostTensor) {
      let key = keys.get(v.data);
      if (key === undefined) {
        key = String(storages.length);
        keys.set(v.data, key);
        storages.push({ key, numel: v.data.length, bytes: new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength) });
      }
      const stride: number[] = [];
      for (let i = v.shape.length - 1, s = 1; i >= 0; i--) {
        stride.unshift(s);
        s *= v.shape[i]!;
      }
      const pid: unknown[] = ['storage', new PyGlobalRef('torch', storageTypeName(v.dtype)), key, 'cpu', v.data.length];
      if (format === 'legacy') pid.push(null);
      return new PyCall('torch._utils', '_rebuild_tensor_v2', [
        new PyPersistent(new PyTuple(pid)),
        0,
        new PyTuple(v.shape),
        new PyTuple(stride),
        false,
        new PyCall('collections', 'OrderedDict', []),
      ]);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof PyTuple) return new PyTuple(v.items.map(walk));
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { tree: walk(value), storages };
}

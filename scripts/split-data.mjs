// Moves the static data only the second half uses into the second half (after scripts/split-wasm.mjs
// has split the functions): wasm-split moves functions, and every string, table and constant of the
// program stayed in the first half, about a third of what a first visit downloads.
//
// Which data the first half may read is found from its code, not from a profile:
// - every address its functions and globals name (an `i32.const`, or a load's or store's offset,
//   that falls inside the data), widened by 64 bytes each way (a compiler may name an object by an
//   address just before or after it, e.g. `&table[i - 1]`);
// - every object such an address falls in, whole: the objects are the data segments of the module
//   as the linker wrote them (`--no-merge-data-segments`, web/build.rs: one segment per static), read
//   before wasm-opt packs them;
// - then, again and again, every object a kept object points to (each aligned word of a kept object
//   whose value falls inside the data counts as a pointer, which may keep a little too much, never
//   too little).
// Every other object moves into the second half, as active data segments of its own: the second
// half writes them into the shared memory when it is instantiated, which happens before any of its
// functions runs, and only its functions name them. Objects the first half may read stay where
// they are, so the first decision never waits for the second half and never reads what is not
// there yet (tests/e2e checks the page with the second half blocked).
import { execFileSync } from 'node:child_process';

/** How far around an address its code names an object may lie (see the top of the file). */
const NEAR = 64;

/** Reads an unsigned LEB128 at `pos`: `[value, next position]`. */
function uleb(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, pos];
  }
}

/** Reads a signed LEB128 (32 bits) at `pos`: `[value, next position]`. */
function sleb(bytes, pos) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[pos++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && byte & 0x40) value |= -1 << shift;
  return [value, pos];
}

/** Encodes `n` as unsigned LEB128. */
function ulebBytes(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** Encodes `n` as signed LEB128 (32 bits). */
function slebBytes(n) {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return Buffer.from(out);
    }
    out.push(byte | 0x80);
  }
}

/** The module's sections, in order: `{ id, start, end }` (the payload), with the bytes. */
function sections(bytes) {
  const out = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = uleb(bytes, pos + 1);
    out.push({ id, head: pos, start, end: start + size });
    pos = start + size;
  }
  return out;
}

/** A section with its id and payload. */
const section = (id, payload) => Buffer.concat([Buffer.from([id]), ulebBytes(payload.length), payload]);

/**
 * The module's data segments: `{ at, bytes }`, each active in memory 0 at a constant address.
 * Anything else (a passive segment, an address from a global) is refused: the split would not
 * know where it lies.
 */
function segments(bytes, what) {
  const data = sections(bytes).find((s) => s.id === 11);
  if (!data) return [];
  let [count, pos] = uleb(bytes, data.start);
  const out = [];
  while (count-- > 0) {
    let flags;
    [flags, pos] = uleb(bytes, pos);
    if (flags === 2) [, pos] = uleb(bytes, pos);
    if ((flags !== 0 && flags !== 2) || bytes[pos] !== 0x41) {
      throw new Error(`split-data: ${what} has a data segment that is not active at a constant address (flags ${flags})`);
    }
    let at;
    [at, pos] = sleb(bytes, pos + 1);
    if (bytes[pos] !== 0x0b) throw new Error(`split-data: ${what} has a data segment address that is not one constant`);
    let size;
    [size, pos] = uleb(bytes, pos + 1);
    out.push({ at: at >>> 0, bytes: bytes.subarray(pos, pos + size) });
    pos += size;
  }
  return out;
}

/**
 * Data segments for the bytes of `image` (from address `base`) that `wanted` marks: one segment per
 * run, zeros inside a run included when shorter than 32 bytes (memory starts zeroed).
 */
function encodeSegments(image, base, wanted) {
  const runs = [];
  let i = 0;
  while (i < image.length) {
    if (!wanted[i] || image[i] === 0) {
      i++;
      continue;
    }
    let end = i;
    let j = i;
    while (j < image.length && wanted[j] && j - end < 32) {
      if (image[j] !== 0) end = j + 1;
      j++;
    }
    runs.push([i, end]);
    i = end;
  }
  const parts = [ulebBytes(runs.length)];
  for (const [from, to] of runs) {
    parts.push(Buffer.from([0x00, 0x41]), slebBytes((base + from) | 0), Buffer.from([0x0b]),
      ulebBytes(to - from), image.subarray(from, to));
  }
  return { count: runs.length, payload: Buffer.concat(parts) };
}

/** Every constant in `wasm`'s text (code and globals, data excluded) that falls in [lo, hi). */
function namedAddresses(text, lo, hi) {
  const found = new Set();
  for (const line of text.split('\n')) {
    if (line.startsWith(' (data ')) continue;
    for (const m of line.matchAll(/i32\.const (-?\d+)|offset=(\d+)/g)) {
      const v = Number(m[1] ?? m[2]) >>> 0;
      if (v >= lo && v < hi) found.add(v);
    }
  }
  return found;
}

/**
 * Moves the data only the secondary module names from `primary` into `secondary` (both bytes, as
 * wasm-split wrote them), given `objects`, the module's data segments before wasm-opt. Returns the
 * new `{ primary, secondary, kept, moved }` (kept and moved in bytes).
 */
export function splitData({ primary, secondary, objects, dis }) {
  const segs = segments(primary, 'the primary module');
  if (segs.length === 0) return { primary, secondary, kept: 0, moved: 0 };
  const lo = Math.min(...objects.map((o) => o.at));
  const hi = Math.max(...objects.map((o) => o.at + o.size));
  for (const s of segs) {
    if (s.at < lo || s.at + s.bytes.length > hi) throw new Error('split-data: a data segment lies outside the linker\'s objects');
  }
  const image = Buffer.alloc(hi - lo);
  for (const s of segs) s.bytes.copy(image, s.at - lo);
  // Objects by address, for "which object holds this address".
  const starts = objects.map((o) => o.at).sort((a, b) => a - b);
  const sized = new Map(objects.map((o) => [o.at, o.size]));
  // The objects overlapping [address - w, address + w].
  const objectsNear = (address, w) => {
    const out = [];
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] <= address - w) low = mid + 1;
      else high = mid;
    }
    for (let k = Math.max(0, low - 1); k < starts.length && starts[k] <= address + w; k++) {
      if (starts[k] + sized.get(starts[k]) > address - w) out.push(starts[k]);
    }
    return out;
  };
  const keep = new Uint8Array(image.length);
  const kept = new Set();
  const work = [...namedAddresses(dis, lo, hi)].map((a) => [a, NEAR]);
  while (work.length) {
    const [address, w] = work.pop();
    for (const at of objectsNear(address, w)) {
      if (kept.has(at)) continue;
      kept.add(at);
      const end = at + sized.get(at);
      keep.fill(1, at - lo, end - lo);
      for (let a = (at + 3) & ~3; a + 4 <= end; a += 4) {
        const v = image.readUInt32LE(a - lo);
        if (v >= lo && v < hi) work.push([v, 0]);
      }
    }
  }
  const move = keep.map((k) => 1 - k);
  // Bytes outside every object (alignment padding) stay.
  const inObject = new Uint8Array(image.length);
  for (const o of objects) inObject.fill(1, o.at - lo, o.at + o.size - lo);
  for (let i = 0; i < image.length; i++) if (!inObject[i]) move[i] = 0;
  const stay = move.map((m) => 1 - m);
  const first = encodeSegments(image, lo, stay);
  const second = encodeSegments(image, lo, move);
  const count = (mask) => mask.reduce((n, m, i) => n + (m && image[i] !== 0 ? 1 : 0), 0);

  // The primary: its data section replaced, its data count (if any) updated.
  const out1 = [primary.subarray(0, 8)];
  for (const s of sections(primary)) {
    if (s.id === 11) out1.push(section(11, first.payload));
    else if (s.id === 12) out1.push(section(12, ulebBytes(first.count)));
    else out1.push(primary.subarray(s.head, s.end));
  }
  // The secondary: a data section after its code (it imports the primary's memory, index 0).
  const secs2 = sections(secondary);
  if (secs2.some((s) => s.id === 11 || s.id === 12)) throw new Error('split-data: the secondary module already has data');
  const out2 = [secondary.subarray(0, 8)];
  for (const s of secs2) {
    out2.push(secondary.subarray(s.head, s.end));
    if (s.id === 10) out2.push(section(11, second.payload));
  }
  return { primary: Buffer.concat(out1), secondary: Buffer.concat(out2), kept: count(stay), moved: count(move) };
}

/**
 * The data segments of the module as linked (`bytes`, before wasm-opt): one object each, since
 * web/build.rs links with `--no-merge-data-segments`.
 */
export function linkerObjects(bytes) {
  const objects = segments(bytes, 'the linked module').map((s) => ({ at: s.at, size: s.bytes.length }));
  if (objects.length < 100) {
    throw new Error(`split-data: the linked module has ${objects.length} data segments, not one per object: web/build.rs links the app with --no-merge-data-segments`);
  }
  return objects;
}

/** The text form of the module at `path` (binaryen's `wasm-dis`, beside `wasm-opt` on PATH), read
 *  with the wasm `features` the module uses. */
export function disassemble(path, tool, features) {
  return execFileSync(tool, [path, ...features], { maxBuffer: 1 << 30, encoding: 'utf8' });
}

// Mastodon-style snowflake ids: the millisecond timestamp shifted left 16 bits, plus 16 low bits.
// They are strings in JSON and sort by time. In SQLite they are stored as 19-digit zero-padded text:
// exact (no 2^53 float loss), and text order equals numeric order, so range queries stay index-only.

const MAX_ID = (1n << 63n) - 1n;
const STORED_WIDTH = 19;

let lastMs = 0;
let sequence = 0;

/** A new id for something created now. Strictly increasing within this process. */
export function newId(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    sequence++;
    if (sequence > 0xffff) {
      // More than 65,536 ids in one millisecond: borrow the next millisecond.
      ms++;
      sequence = 0;
    }
  } else {
    sequence = Math.floor(Math.random() * 0x400); // small random start; leaves room to count up
  }
  lastMs = ms;
  return ((BigInt(ms) << 16n) | BigInt(sequence)).toString();
}

/**
 * An id for something created at `ms` (a remote post's published time), so it sorts by that time.
 * With a `seed` (the object's URI) the low bits are derived from it, so the same object gets the same id.
 */
export function idAt(ms: number, seed?: string): string {
  const clamped = Math.max(0, Math.min(Math.floor(ms), Number(MAX_ID >> 16n)));
  const low = seed === undefined ? Math.floor(Math.random() * 0x10000) : Number(Bun.hash.wyhash(seed) & 0xffffn);
  return ((BigInt(clamped) << 16n) | BigInt(low)).toString();
}

/** The millisecond timestamp an id was minted for. */
export function timeOfId(id: string): number {
  return Number(BigInt(id) >> 16n);
}

/** The smallest id for a given time: `id < idFloor(t)` means "created before t". */
export function idFloor(ms: number): string {
  return (BigInt(Math.max(0, Math.floor(ms))) << 16n).toString();
}

const MAX_ID_TEXT = MAX_ID.toString();

/** A value used as an id that cannot be one. Faces answer it as "not found": no such record can exist. */
export class InvalidIdError extends TypeError {
  override name = "InvalidIdError";
}
const DIGITS = /^\d{1,19}$/;

export function isId(value: string): boolean {
  // Only a 19-digit value can exceed the maximum; compare those as fixed-width text.
  return DIGITS.test(value) && (value.length < STORED_WIDTH || value <= MAX_ID_TEXT);
}

// These two run for every id column of every row read or written, so they stay plain string work.
/** Numeric order of two ids without BigInt: for canonical decimals, shorter is smaller, then text order. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function toStoredId(id: string): string {
  if (!isId(id)) throw new InvalidIdError(`not an id: ${JSON.stringify(String(id)).slice(0, 60)}`);
  const canonical = id.length > 1 && id.charCodeAt(0) === 48 ? id.replace(/^0+(?=\d)/, "") : id;
  return canonical.padStart(STORED_WIDTH, "0");
}

export function fromStoredId(stored: string): string {
  let i = 0;
  while (i < stored.length - 1 && stored.charCodeAt(i) === 48) i++;
  return i === 0 ? stored : stored.slice(i);
}

/**
 * BSON-aware value semantics that mingo gets wrong: MongoDB's cross-type comparison order, numeric equality across
 * number/Long/Decimal128, order-sensitive subdocument equality, `$type` names, canonical index keys and cloning.
 * Documents are held as bson deserializes them with `promoteLongs: false`: int32/double become JS numbers, int64
 * stays `Long`, Decimal128/ObjectId/Binary/Timestamp stay bson objects.
 */
import {
  calculateObjectSize,
  ObjectId,
  serialize,
  setInternalBufferSize,
  type Binary,
  type Long,
  type Timestamp,
} from 'bson';

export type Doc = Record<string, unknown>;

/** How every BSON buffer is read: int32/double as numbers, int64 kept as Long, regexes as RegExp. */
export const BSON_READ = {
  promoteLongs: false,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

const bsonType = (v: object): string | undefined => (v as { _bsontype?: string })._bsontype;

export const isPlainObject = (v: unknown): v is Doc =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
    ? bsonType(v) === undefined
    : false;

export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number') return true;
  if (typeof v !== 'object' || v === null) return false;
  const t = bsonType(v);
  return t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double';
}

/** MongoDB's comparison order of BSON types (missing sorts with null everywhere but expressions). */
export function typeRank(v: unknown): number {
  if (v === undefined) return 1;
  if (v === null) return 2;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    case 'object':
      break;
    default:
      return 5;
  }
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  switch (bsonType(v)) {
    case undefined:
    case 'DBRef':
      return 5;
    case 'MinKey':
      return 0;
    case 'MaxKey':
      return 99;
    case 'Long':
    case 'Decimal128':
    case 'Int32':
    case 'Double':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    default:
      return 13;
  }
}

/** A number as exact decimal parts: sign, significant digits (no trailing zeros) and exponent. */
interface DecParts {
  special?: 'nan' | 'inf' | '-inf';
  neg: boolean;
  digits: string;
  exp: number;
}

function parseDecimal(text: string): DecParts {
  const s = text.trim();
  if (/nan/i.test(s)) return { special: 'nan', neg: false, digits: '0', exp: 0 };
  if (/inf/i.test(s)) return { special: s.startsWith('-') ? '-inf' : 'inf', neg: false, digits: '0', exp: 0 };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) throw new Error(`not a number: ${text}`);
  const frac = m[3] ?? '';
  let digits = ((m[2] ?? '') + frac).replace(/^0+/, '');
  let exp = Number(m[4] ?? 0) - frac.length;
  if (!digits) return { neg: false, digits: '0', exp: 0 };
  const trimmed = digits.replace(/0+$/, '');
  exp += digits.length - trimmed.length;
  digits = trimmed;
  return { neg: m[1] === '-', digits, exp };
}

function decParts(v: unknown): DecParts {
  if (typeof v === 'number') return parseDecimal(String(v));
  return parseDecimal(String((v as { toString(): string }).toString()));
}

function compareDec(a: DecParts, b: DecParts): number {
  const rank = (p: DecParts): number =>
    p.special === 'nan'
      ? -3
      : p.special === '-inf'
        ? -2
        : p.special === 'inf'
          ? 2
          : p.digits === '0'
            ? 0
            : p.neg
              ? -1
              : 1;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || Math.abs(ra) !== 1) return Math.sign(ra - rb);
  const scale = Math.min(a.exp, b.exp);
  const ba = BigInt(a.digits) * 10n ** BigInt(a.exp - scale);
  const bb = BigInt(b.digits) * 10n ** BigInt(b.exp - scale);
  const c = ba < bb ? -1 : ba > bb ? 1 : 0;
  return a.neg ? -c : c;
}

export function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareDec(decParts(a), decParts(b));
}

/** A JS number view of any BSON number (lossy for huge Long/Decimal128; used for arithmetic and geo only). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isNumeric(v)) return Number(String((v as { toString(): string }).toString()));
  return NaN;
}

const cmpPrimitive = <T extends string | number | boolean>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** The class, read once: compiled to CommonJS, each mention of an imported name is a property read. */
const OBJECT_ID = ObjectId;

interface PackedObjectId {
  i0: number;
  i1: number;
  i2: number;
  i3: number;
}

/**
 * An ObjectId's 12 bytes as two 48-bit numbers that compare like the bytes. bson 7 keeps ObjectIds as four 24-bit
 * integers, read directly when present.
 */
export function objectIdNumbers(v: ObjectId): [number, number] {
  const x = v as unknown as PackedObjectId;
  if (typeof x.i0 === 'number') return [x.i0 * 2 ** 24 + x.i1, x.i2 * 2 ** 24 + x.i3];
  const b = v.id;
  const num = (from: number): number => b.slice(from, from + 6).reduce((n, byte) => n * 256 + byte, 0);
  return [num(0), num(6)];
}

function compareObjectIds(a: ObjectId, b: ObjectId): number {
  const x = a as unknown as PackedObjectId;
  const y = b as unknown as PackedObjectId;
  if (typeof x.i0 === 'number' && typeof y.i0 === 'number')
    return x.i0 - y.i0 || x.i1 - y.i1 || x.i2 - y.i2 || x.i3 - y.i3;
  return compareBytes(a.id, b.id);
}

/** A collation's string order (collation.ts): a comparison, and a key equal exactly for strings it calls equal. */
export interface StringOrder {
  compare(a: string, b: string): number;
  key(s: string): string;
}

/** The string order of the query running now; null: binary (the simple collation). */
let stringOrder: StringOrder | null = null;

/**
 * Runs `fn` (a whole query: matching, sorting, grouping; never index maintenance) with strings compared by
 * `order`. Commands run synchronously, so no other command sees it.
 */
export function withStringOrder<T>(order: StringOrder | null, fn: () => T): T {
  const previous = stringOrder;
  stringOrder = order;
  try {
    return fn();
  } finally {
    stringOrder = previous;
  }
}

const compareStrings = (a: string, b: string): number =>
  stringOrder ? Math.sign(stringOrder.compare(a, b)) : a < b ? -1 : a > b ? 1 : 0;

/** Total order of BSON values as MongoDB defines it (missing < null unless the caller maps missing to null). */
export function compareValues(a: unknown, b: unknown): number {
  // Index keys and sorts compare mostly strings, numbers, dates and ObjectIds: skip the type dispatch for them.
  if (typeof a === 'string' && typeof b === 'string')
    return stringOrder === null ? (a < b ? -1 : a > b ? 1 : 0) : Math.sign(stringOrder.compare(a, b));
  if (typeof a === 'number' && typeof b === 'number' && !Number.isNaN(a) && !Number.isNaN(b))
    return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof OBJECT_ID && b instanceof OBJECT_ID) return compareObjectIds(a, b);
  if (a instanceof Date && b instanceof Date) return cmpPrimitive(a.getTime(), b.getTime());
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3:
      return compareNumbers(a, b);
    case 4:
      return compareStrings(String(a), String(b));
    case 5:
      return compareObjects(a as Doc, b as Doc);
    case 6: {
      const xs = a as unknown[];
      const ys = b as unknown[];
      for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
        const c = compareValues(xs[i], ys[i]);
        if (c) return c;
      }
      return xs.length - ys.length;
    }
    case 7: {
      const x = a as Binary;
      const y = b as Binary;
      return x.position - y.position || x.sub_type - y.sub_type || compareBytes(x.value(), y.value());
    }
    case 8:
      return compareObjectIds(a as ObjectId, b as ObjectId);
    case 9:
      return cmpPrimitive(a as boolean, b as boolean);
    case 10:
      return cmpPrimitive((a as Date).getTime(), (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Long);
    case 12: {
      const x = a as RegExp;
      const y = b as RegExp;
      return cmpPrimitive(x.source, y.source) || cmpPrimitive(x.flags, y.flags);
    }
    default:
      return 0;
  }
}

function compareObjects(a: Doc, b: Doc): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const fa = ka[i] as string;
    const fb = kb[i] as string;
    const c = typeRank(a[fa]) - typeRank(b[fb]) || cmpPrimitive(fa, fb) || compareValues(a[fa], b[fb]);
    if (c) return c;
  }
  return ka.length - kb.length;
}

/** MongoDB equality: numbers across types by value, subdocuments field-order sensitive, missing equals null. */
/** The comparison operators, as tests of compareValues' answer. */
export const COMPARISONS: Record<'$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte', (c: number) => boolean> = {
  $eq: (c) => c === 0,
  $ne: (c) => c !== 0,
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
};

/** MongoDB's truthiness in expressions: false, null, missing and numeric zero of any type are false; "" and [] are true. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'object' && v !== null && isNumeric(v)) return toNumber(v) !== 0;
  return v === '' || Boolean(v);
}

/** `$min`/`$max` step: the better of the best so far and `v` in MongoDB's value order; null and missing never win. */
export function extremeOf(best: unknown, v: unknown, better: (c: number) => boolean): unknown {
  return v === null || v === undefined || (best !== null && !better(compareValues(v, best))) ? best : v;
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra <= 2 && rb <= 2 && ra >= 1 && rb >= 1) return true;
  return ra === rb && compareValues(a, b) === 0;
}

/** The `$type` names a value answers to. Integral JS numbers in int32 range count as int, the rest as double. */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (typeof v !== 'object') return 'object';
  const names: Record<string, string> = {
    Long: 'long',
    Decimal128: 'decimal',
    Int32: 'int',
    Double: 'double',
    ObjectId: 'objectId',
    Binary: 'binData',
    Timestamp: 'timestamp',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
    BSONRegExp: 'regex',
    BSONSymbol: 'symbol',
    Code: 'javascript',
  };
  return names[bsonType(v) ?? ''] ?? 'object';
}

const TYPE_ALIASES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

export function matchesType(v: unknown, type: unknown): boolean {
  const name = typeof type === 'string' ? type : TYPE_ALIASES[toNumber(type)];
  if (name === undefined) throw new Error(`Invalid numerical type code: ${String(type)}`);
  if (name === 'number') return isNumeric(v);
  return bsonTypeName(v) === name;
}

/**
 * Canonical string of a value such that two values get the same key exactly when MongoDB calls them equal
 * (used for index keys, `$in` sets, `distinct` and `$group`-like deduplication). Missing and null share a key.
 */
export function valueKey(v: unknown): string {
  switch (typeRank(v)) {
    case 1:
    case 2:
      return 'N';
    case 3:
      return 'n' + numberKey(v);
    case 4:
      return 's' + (stringOrder ? stringOrder.key(String(v)) : String(v));
    case 5:
      return '{' + Object.entries(v as Doc).map(([k, x]) => JSON.stringify(k) + ':' + valueKey(x)) + '}';
    case 6:
      return '[' + (v as unknown[]).map(valueKey).join(',') + ']';
    case 7:
      return 'b' + (v as Binary).sub_type + ':' + Buffer.from((v as Binary).value()).toString('base64');
    case 8:
      return 'o' + (v as ObjectId).toHexString();
    case 9:
      return v ? 'T' : 'F';
    case 10:
      return 'd' + (v as Date).getTime();
    case 11:
      return 't' + (v as Timestamp).toString();
    case 12:
      return 'r' + String(v);
    default:
      return 'x' + typeRank(v);
  }
}

function numberKey(v: unknown): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v === 0 ? 0 : v);
  const p = decParts(v);
  if (p.special) return p.special;
  if (p.digits === '0') return '0';
  return (p.neg ? '-' : '') + p.digits + (p.exp ? 'e' + p.exp : '');
}

/** Deep copy of plain objects, arrays and dates; other BSON values are immutable and shared. */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

/** Every value reached by a dotted path, descending into arrays as MongoDB does (array leaves are not expanded). */
export function pathValues(v: unknown, parts: readonly string[], i = 0): unknown[] {
  if (i === parts.length) return [v];
  if (Array.isArray(v)) {
    const part = parts[i] as string;
    if (/^\d+$/.test(part)) {
      const direct = pathValues(v[Number(part)], parts, i + 1);
      return direct.concat(v.flatMap((el) => (isPlainObject(el) ? pathValues(el, parts, i) : [])));
    }
    return v.flatMap((el) => (isPlainObject(el) ? pathValues(el, parts, i) : []));
  }
  if (isPlainObject(v)) return pathValues(v[parts[i] as string], parts, i + 1);
  return [undefined];
}

/** The single value at a dotted path without array traversal (used for `_id` and upsert seeds). */
export function getPath(doc: Doc, path: string): unknown {
  let v: unknown = doc;
  for (const p of path.split('.')) {
    if (!isPlainObject(v) && !Array.isArray(v)) return undefined;
    v = (v as Doc)[p];
  }
  return v;
}

export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Doc;
  }
  cur[parts[parts.length - 1] as string] = value;
}

/**
 * BSON bytes of a whole document, whatever its size. bson serialises into a 17 MB buffer unless told otherwise and
 * silently cuts a larger document short; a journal record (a transaction) or a reply batch can be larger.
 */
export function serializeWhole(doc: Doc): Uint8Array {
  // Grows bson's shared buffer when needed; it never shrinks, so a large record costs its size in memory once.
  setInternalBufferSize(calculateObjectSize(doc, { ignoreUndefined: true }));
  return serialize(doc, { ignoreUndefined: true });
}

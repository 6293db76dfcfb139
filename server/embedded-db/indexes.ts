/**
 * Indexes. Every index but 2dsphere keeps its entries (key, document id) sorted in MongoDB's cross-type value order
 * (ordered.ts), so one index serves equality, `$in`, ranges and sorts, forwards and backwards; `_id` has one too.
 * Unique/compound/multikey/sparse/partial indexes are enforced on every write. 2dsphere indexes hold no keys (geo
 * queries scan) but validate points and are required by `$near`, like MongoDB's.
 */
import type { ObjectId } from 'bson';
import {
  compareValues,
  isPlainObject,
  objectIdNumbers,
  pathValues,
  toNumber,
  typeRank,
  valueKey,
  type Doc,
} from './bson-values';
import { compareToEdge, type Interval } from './bounds';
import { collationOrder } from './collation';
import { badValue, MongoError, unsupported } from './errors';
import { toPoint } from './geo';
import { SortedEntries, type Position, type Probe } from './ordered';
import { compileFilter } from './query';

export interface IndexSpec {
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  '2dsphereIndexVersion'?: number;
  collation?: Doc;
}

const OPTION_NAMES = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  '2dsphereIndexVersion',
  'collation',
];
const IGNORED_OPTIONS = new Set(['key', 'name', 'v', 'background', 'ns', 'hidden']);

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Validates a createIndexes entry and returns the spec listIndexes will show. */
export function normalizeSpec(raw: Doc): IndexSpec {
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0)
    throw badValue('index key pattern must be an object');
  const key: Doc = {};
  for (const [field, dir] of Object.entries(raw.key)) {
    if (dir === '2dsphere' || dir === 'hashed') key[field] = dir;
    else if (typeof dir === 'string') throw unsupported(`'${dir}' indexes`);
    else if (toNumber(dir) === 1 || toNumber(dir) === -1) key[field] = toNumber(dir);
    else
      throw new MongoError(67, `bad index key pattern ${JSON.stringify(raw.key)}: values must be 1, -1 or '2dsphere'`);
  }
  for (const opt of Object.keys(raw)) {
    if (!OPTION_NAMES.includes(opt) && !IGNORED_OPTIONS.has(opt)) throw unsupported(`the index option '${opt}'`);
  }
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${String(d)}`)
          .join('_');
  const spec: IndexSpec = { v: 2, key, name };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression)) throw badValue('partialFilterExpression must be an object');
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    if (Object.keys(key).length !== 1) throw new MongoError(67, 'TTL indexes are single-field indexes');
    spec.expireAfterSeconds = toNumber(raw.expireAfterSeconds);
  }
  if (Object.values(key).includes('2dsphere')) spec['2dsphereIndexVersion'] = 3;
  // Kept for listIndexes and for the planner, which leaves such indexes out (its entries stay in binary order).
  if (collationOrder(raw.collation)) spec.collation = { ...(raw.collation as Doc) };
  return spec;
}

/** Whether two specs describe the same index apart from its name. */
export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return (
    valueKey(a.key) === valueKey(b.key) &&
    OPTION_NAMES.every((o) => valueKey(a[o as 'unique']) === valueKey(b[o as 'unique']))
  );
}

export interface IndexField {
  path: string;
  parts: string[];
  dir: 1 | -1;
  geo: boolean;
}

/**
 * An index key. Single-field indexes store the value (missing as null). Compound indexes store the document itself
 * when each field has one value reached without crossing an array (most documents: the key costs nothing), else
 * an array of the values, one per field.
 */
type Key = unknown;

/**
 * One contiguous run of an index in its stored order: equality on the first `points.length` fields, then,
 * optionally, an interval of the next field; later fields are unbounded.
 */
export interface ScanRange {
  points: unknown[];
  range: Interval | null;
}

/** Start and end (exclusive) of a scan range. */
export type Span = [Position, Position];

/** What `plainValue` answers when the path meets an array. */
const ARRAY = Symbol('array');

/** The value at a dotted path when no array lies on the way or at its end (ARRAY otherwise). */
function plainValue(doc: Doc, parts: string[]): unknown {
  let v: unknown = doc[parts[0] as string];
  for (let i = 1; i < parts.length; i++) {
    if (Array.isArray(v)) return ARRAY;
    if (!isPlainObject(v)) return undefined;
    v = v[parts[i] as string];
  }
  return Array.isArray(v) ? ARRAY : v;
}

/** Values of a dotted path, descending into arrays of subdocuments as the matcher does. */
function collectValues(v: unknown, parts: string[], i: number, out: { raw: unknown[]; nested: boolean }): void {
  if (i === parts.length) out.raw.push(v);
  else if (Array.isArray(v)) {
    for (const el of v) {
      if (isPlainObject(el)) collectValues(el, parts, i, out);
      else if (Array.isArray(el)) out.nested = true;
    }
  } else if (isPlainObject(v)) collectValues(v[parts[i] as string], parts, i + 1, out);
  else out.raw.push(undefined);
}

export class Index {
  readonly fields: IndexField[];
  readonly geo: boolean;
  /** Per field, sticky: some document had several values there, so bounds and sorts on it need care. */
  readonly multikey: boolean[];
  /**
   * Sticky: some document had an array inside an array on an indexed path (or a path has a numeric step), where
   * the matcher's array traversal and the index keys could disagree. The planner does not use such an index.
   */
  nested: boolean;
  /** Documents with at least one entry; equal to the collection's size when the index holds every document. */
  docCount = 0;
  private readonly numericStep: boolean;
  /** Per field, its value in a document stored as a compound key (a plain path, one value). */
  private readonly readers: Array<(doc: Doc) => unknown>;
  private readonly entries: SortedEntries<Key>;
  private readonly partial: ((doc: Doc) => boolean) | null;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.entries(spec.key).map(([path, dir]) => ({
      path,
      parts: path.split('.'),
      dir: dir === -1 ? -1 : 1,
      geo: dir === '2dsphere',
    }));
    this.geo = this.fields.some((f) => f.geo);
    this.multikey = this.fields.map(() => false);
    this.numericStep = this.fields.some((f) => f.parts.some((p) => /^\d+$/.test(p)));
    this.readers = this.fields.map(({ path, parts }) =>
      parts.length === 1 ? (doc: Doc) => doc[path] ?? null : (doc: Doc) => plainValue(doc, parts) ?? null,
    );
    this.nested = this.numericStep;
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
    const dirs = this.fields.map((f) => f.dir);
    // A local binding: compiled to CommonJS, calling an imported function goes through a getter each time.
    const compare = compareValues;
    this.entries = new SortedEntries(
      dirs.length === 1
        ? dirs[0] === 1
          ? compare
          : (a, b) => compare(b, a)
        : (a, b) => {
            for (let j = 0; j < dirs.length; j++) {
              const c = compare(this.component(a, j), this.component(b, j));
              if (c) return c * (dirs[j] as number);
            }
            return 0;
          },
      (key) => this.probeKey(key),
    );
  }

  get isId(): boolean {
    return this.spec.name === '_id_';
  }

  /** Field `j` of a key. */
  private component(key: Key, j: number): unknown {
    if (this.fields.length === 1) return key;
    if (Array.isArray(key)) return key[j];
    return (this.readers[j] as (doc: Doc) => unknown)(key as Doc);
  }

  /** A key the entries compare cheaply: a compound key's values rather than the document holding them. */
  private probeKey(key: Key): Key {
    return this.fields.length === 1 || Array.isArray(key) ? key : this.valuesOf(key);
  }

  /** The indexed values of a key, one per field. */
  private valuesOf(key: Key): unknown[] {
    return this.fields.map((_, j) => this.component(key, j));
  }

  /** The keys of a document (one per distinct value of a multikey field); null when it is not indexed. */
  private keysOf(doc: Doc): Key[] | null {
    if (this.isId) return [doc._id ?? null];
    if (this.partial && !this.partial(doc)) return null;
    if (!this.numericStep) {
      const single = this.fields.length === 1;
      const values = this.fields.map((f) => plainValue(doc, f.parts));
      if (!values.includes(ARRAY)) {
        if (this.spec.sparse && values.every((v) => v === undefined)) return null;
        return [single ? (values[0] ?? null) : doc];
      }
    }
    return this.arrayKeys(doc);
  }

  /** Keys of a document with arrays on indexed paths; notes multikey and nested fields. */
  private arrayKeys(doc: Doc): Key[] | null {
    const perField = this.fields.map((f) => {
      const out = { raw: [] as unknown[], nested: false };
      if (this.numericStep) out.raw = pathValues(doc, f.parts);
      else collectValues(doc, f.parts, 0, out);
      const values: unknown[] = [];
      for (const v of out.raw) {
        if (!Array.isArray(v)) values.push(v ?? null);
        else if (v.length === 0) values.push(null);
        else
          for (const el of v) {
            if (Array.isArray(el)) out.nested = true;
            values.push(el ?? null);
          }
      }
      if (out.nested) this.nested = true;
      return {
        values: values.length > 1 ? dedupe(values, valueKey) : values.length ? values : [null],
        parallel: values.length > 1 || out.raw.some(Array.isArray),
        missing: out.raw.every((v) => v === undefined),
      };
    });
    if (this.spec.sparse && perField.every((f) => f.missing)) return null;
    if (perField.filter((f) => f.parallel).length > 1) {
      const arrays = this.fields.filter((_, i) => perField[i]?.parallel).map((f) => `[${f.path}]`);
      throw new MongoError(171, `cannot index parallel arrays ${arrays.join(' ')}`);
    }
    // At most one field has several values: one key per value of that field.
    const multi = perField.findIndex((f) => f.values.length > 1);
    if (multi >= 0) this.multikey[multi] = true;
    const spread = perField[Math.max(0, multi)]?.values ?? [];
    if (this.fields.length === 1) return spread;
    return spread.map((v) => perField.map((f, j) => (j === multi ? v : f.values[0])));
  }

  /** Throws if `doc` (with id `id`) cannot be indexed or collides with another document of a unique index. */
  /** Validates `doc`'s keys; a unique key held by another document fails unless `ignore` says to skip that holder. */
  check(doc: Doc, id: string, ns: string, ignore?: (other: string) => boolean): void {
    if (this.isId) return;
    if (this.geo) {
      this.validatePoints(doc);
      return;
    }
    const keys = this.keysOf(doc);
    if (!this.spec.unique || !keys) return;
    for (const key of keys) if (this.heldByOther(key, id, ignore)) throw this.duplicateError(ns, this.valuesOf(key));
  }

  private validatePoints(doc: Doc): void {
    for (const f of this.fields.filter((x) => x.geo)) {
      for (const v of pathValues(doc, f.parts)) {
        if (v !== undefined && v !== null && toPoint(v) === null)
          throw new MongoError(16755, `Can't extract geo keys: ${f.path} is not a valid point`);
      }
    }
  }

  /** Whether a document other than `id` has an entry with this key. */
  private heldByOther(key: Key, id: string, ignore?: (other: string) => boolean): boolean {
    const probe = this.probeKey(key);
    let found = false;
    const from = this.entries.seek((k) => this.entries.compareKeys(k, probe) || 1);
    this.entries.walk(from, this.entries.end, false, (k, other) => {
      if (this.entries.compareKeys(k, probe) !== 0) return false;
      found = other !== id && !ignore?.(other);
      return !found;
    });
    return found;
  }

  duplicateError(ns: string, values: unknown[]): MongoError {
    const keyValue: Doc = {};
    this.fields.forEach((f, i) => (keyValue[f.path] = values[i] ?? null));
    const shown = Object.entries(keyValue)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
    return new MongoError(
      11000,
      `E11000 duplicate key error collection: ${ns} index: ${this.spec.name} dup key: { ${shown} }`,
      {
        keyPattern: this.spec.key,
        keyValue,
      },
    );
  }

  add(doc: Doc, id: string): void {
    if (this.geo) return;
    const keys = this.keysOf(doc);
    if (!keys) return;
    this.docCount++;
    for (const key of keys) this.entries.insert(key, id, this.probeKey(key));
  }

  remove(doc: Doc, id: string): void {
    if (this.geo) return;
    const keys = this.keysOf(doc);
    if (!keys) return;
    this.docCount--;
    for (const key of keys) this.entries.delete(key, id, this.probeKey(key));
  }

  /**
   * Indexes all of `docs` at once (one sort beats one insert per entry when loading or building). With `ns`, a
   * unique index refuses duplicates with the error an insert would get.
   */
  build(docs: Iterable<[string, Doc]>, ns?: string): void {
    const keys: Key[] = [];
    const ids: string[] = [];
    for (const [id, doc] of docs) {
      if (this.geo) {
        this.validatePoints(doc);
        continue;
      }
      const docKeys = this.keysOf(doc);
      if (!docKeys) continue;
      this.docCount++;
      for (const key of docKeys) {
        keys.push(key);
        ids.push(id);
      }
    }
    const columns = this.fields.map((_, j) => sortColumn(keys.map((k) => this.component(k, j))));
    const dirs = this.fields.map((f) => f.dir);
    const order = keys.map((_, i) => i);
    order.sort((a, b) => {
      for (let j = 0; j < columns.length; j++) {
        const c = (columns[j] as (a: number, b: number) => number)(a, b);
        if (c) return c * (dirs[j] as number);
      }
      return (ids[a] as string) < (ids[b] as string) ? -1 : 1;
    });
    this.entries.fill(
      order.map((i) => keys[i]),
      order.map((i) => ids[i] as string),
    );
    if (!ns || !this.spec.unique) return;
    let prev: { key: Key; id: string } | null = null;
    this.entries.walk(this.entries.start, this.entries.end, false, (key, id) => {
      if (prev && prev.id !== id && this.entries.compareKeys(prev.key, key) === 0)
        throw this.duplicateError(ns, this.valuesOf(key));
      prev = { key, id };
    });
  }

  /** Where each scan range (in stored order) starts and ends. */
  spans(ranges: ScanRange[]): Span[] {
    return ranges.map((r) => [
      this.entries.seek(this.rangeProbe(r, false)),
      this.entries.seek(this.rangeProbe(r, true)),
    ]);
  }

  /** About how many entries the spans hold. */
  count(spans: Span[]): number {
    return spans.reduce((n, [from, to]) => n + this.entries.distance(from, to), 0);
  }

  /** Visits the document ids of the spans in stored order (or reversed) until `visit` returns false. */
  walk(spans: Span[], reverse: boolean, visit: (id: string) => boolean | void): void {
    let stopped = false;
    const each = (_: Key, id: string): boolean => {
      stopped = visit(id) === false;
      return !stopped;
    };
    for (let s = 0; s < spans.length && !stopped; s++) {
      const [from, to] = spans[reverse ? spans.length - 1 - s : s] as Span;
      this.entries.walk(from, to, reverse, each);
    }
  }

  /** Where an entry lies relative to the start (or end) of a scan range; never 0. */
  private rangeProbe(r: ScanRange, end: boolean): Probe<Key> {
    const { points, range } = r;
    const n = points.length;
    const dirs = this.fields.map((f) => f.dir);
    const edgeDir = dirs[n] ?? 1;
    // In stored order an ascending field's range starts at its low edge, a descending field's at its high edge.
    const edge = range ? ((edgeDir === 1) !== end ? range.lo : range.hi) : null;
    return (key) => {
      for (let j = 0; j < n; j++) {
        const c = compareValues(this.component(key, j), points[j]);
        if (c) return c * (dirs[j] as number);
      }
      if (edge) return compareToEdge(this.component(key, n), edge) * edgeDir;
      return end ? -1 : 1;
    };
  }

  /** Rough memory use, reported by the stats commands. */
  get sizeEstimate(): number {
    return this.entries.size * 48;
  }
}

/**
 * How a bulk build orders entries by one field's values: through a primitive per entry when all values are of one
 * kind (numbers, strings, dates, ObjectIds), which sorts several times faster than comparing BSON values.
 */
function sortColumn(values: unknown[]): (a: number, b: number) => number {
  const by =
    <T extends number | string>(x: T[]) =>
    (a: number, b: number) =>
      (x[a] as T) < (x[b] as T) ? -1 : (x[a] as T) > (x[b] as T) ? 1 : 0;
  if (values.every((v) => typeof v === 'number' && !Number.isNaN(v))) return by(values as number[]);
  if (values.every((v) => typeof v === 'string')) return by(values as string[]);
  const times = values.map((v) => (v instanceof Date ? v.getTime() : NaN));
  if (!times.some(Number.isNaN)) return by(times);
  if (values.every((v) => typeRank(v) === 8)) {
    const parts = values.map((v) => objectIdNumbers(v as ObjectId));
    const high = by(parts.map((p) => p[0]));
    const low = by(parts.map((p) => p[1]));
    return (a, b) => high(a, b) || low(a, b);
  }
  return (a, b) => compareValues(values[a], values[b]);
}

function dedupe<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = keyOf(item);
    return !seen.has(k) && Boolean(seen.add(k));
  });
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'ObjectId')
    return `ObjectId('${String(v)}')`;
  if (isPlainObject(v) || Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

/**
 * Secondary indexes as hash maps from canonical keys to document ids: unique/compound/multikey/sparse/partial
 * indexes are enforced on every write and used for equality and `$in` lookups on their first field. 2dsphere
 * indexes hold no keys (geo queries scan) but validate points and are required by `$near`, like MongoDB's.
 */
import { isPlainObject, pathValues, toNumber, valueKey, type Doc } from './bson-values';
import { badValue, MongoError, unsupported } from './errors';
import { toPoint } from './geo';
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
}

const OPTION_NAMES = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', '2dsphereIndexVersion'];
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
    if (opt === 'collation') throw unsupported('index collations');
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
  return spec;
}

/** Whether two specs describe the same index apart from its name. */
export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return (
    valueKey(a.key) === valueKey(b.key) &&
    OPTION_NAMES.every((o) => valueKey(a[o as 'unique']) === valueKey(b[o as 'unique']))
  );
}

interface IndexEntry {
  key: string;
  values: unknown[];
}

export class Index {
  readonly fields: Array<{ path: string; parts: string[]; geo: boolean }>;
  readonly geo: boolean;
  private readonly entries = new Map<string, Set<string>>();
  private readonly byFirst: Map<string, Set<string>>;
  private readonly partial: ((doc: Doc) => boolean) | null;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.entries(spec.key).map(([path, dir]) => ({
      path,
      parts: path.split('.'),
      geo: dir === '2dsphere',
    }));
    this.geo = this.fields.some((f) => f.geo);
    this.byFirst = this.fields.length === 1 ? this.entries : new Map();
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
  }

  get isId(): boolean {
    return this.spec.name === '_id_';
  }

  /** Whether equality lookups on the first field may use this index for `filter`. */
  usableFor(filter: Doc, valuesAreNull: boolean): boolean {
    if (this.geo || this.isId) return false;
    if (this.spec.sparse && valuesAreNull) return false;
    const partial = this.spec.partialFilterExpression;
    return !partial || Object.entries(partial).every(([k, v]) => valueKey(filter[k]) === valueKey(v));
  }

  /** Index entries of a document (one per array element for multikey indexes); null when not indexed. */
  private entriesOf(doc: Doc): IndexEntry[] | null {
    if (this.partial && !this.partial(doc)) return null;
    const perField = this.fields.map((f) => {
      const raw = pathValues(doc, f.parts);
      if (f.geo) {
        for (const v of raw) {
          if (v !== undefined && v !== null && toPoint(v) === null)
            throw new MongoError(16755, `Can't extract geo keys: ${f.path} is not a valid point`);
        }
      }
      const expanded = raw.flatMap((v) => (Array.isArray(v) && !f.geo ? (v.length ? v : [undefined]) : [v]));
      return {
        values: expanded,
        multi: expanded.length > 1 || raw.some(Array.isArray),
        missing: raw.every((v) => v === undefined),
      };
    });
    if (this.spec.sparse && perField.every((f) => f.missing)) return null;
    if (perField.filter((f) => f.multi).length > 1) {
      const arrays = this.fields.filter((_, i) => perField[i]?.multi).map((f) => `[${f.path}]`);
      throw new MongoError(171, `cannot index parallel arrays ${arrays.join(' ')}`);
    }
    let combos: unknown[][] = [[]];
    for (const f of perField) combos = combos.flatMap((c) => f.values.map((v) => [...c, v]));
    const seen = new Set<string>();
    const out: IndexEntry[] = [];
    for (const values of combos) {
      const key = values.map(valueKey).join('\u0000');
      if (!seen.has(key)) out.push({ key, values });
      seen.add(key);
    }
    return out;
  }

  /** Throws if `doc` (with id `id`) cannot be indexed or collides with another document of a unique index. */
  check(doc: Doc, id: string, ns: string): void {
    if (this.isId) return;
    const entries = this.entriesOf(doc);
    if (!this.spec.unique) return;
    for (const e of entries ?? []) {
      const holders = this.entries.get(e.key);
      if (holders && (holders.size > 1 || !holders.has(id))) throw this.duplicateError(ns, e.values);
    }
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
    if (this.geo || this.isId) return;
    for (const e of this.entriesOf(doc) ?? []) {
      addTo(this.entries, e.key, id);
      if (this.byFirst !== this.entries) addTo(this.byFirst, valueKeyOfFirst(e), id);
    }
  }

  remove(doc: Doc, id: string): void {
    if (this.geo || this.isId) return;
    for (const e of this.entriesOf(doc) ?? []) {
      removeFrom(this.entries, e.key, id);
      if (this.byFirst !== this.entries) removeFrom(this.byFirst, valueKeyOfFirst(e), id);
    }
  }

  /** Ids of documents whose first indexed field equals one of the given canonical keys. */
  lookup(keys: string[]): Set<string> {
    if (keys.length === 1) return this.byFirst.get(keys[0] as string) ?? new Set();
    const out = new Set<string>();
    for (const k of keys) for (const id of this.byFirst.get(k) ?? []) out.add(id);
    return out;
  }

  /** Rough memory use, reported by the stats commands. */
  get sizeEstimate(): number {
    return this.entries.size * 64;
  }
}

const valueKeyOfFirst = (e: IndexEntry): string => valueKey(e.values[0]);

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'ObjectId')
    return `ObjectId('${String(v)}')`;
  if (isPlainObject(v) || Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

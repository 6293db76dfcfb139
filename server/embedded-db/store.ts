/**
 * The in-memory catalog and documents. Every mutation goes through here: it is validated (duplicate keys, index
 * keys), applied, described as an idempotent journal op and, inside a transaction, paired with an undo step.
 * Documents are never mutated in place (updates store a new object), so open cursors keep a stable view.
 */
import { calculateObjectSize, UUID } from 'bson';
import { isPlainObject, valueKey, type Doc } from './bson-values';
import { MongoError } from './errors';
import { ID_INDEX, Index, type IndexSpec } from './indexes';
import { checkWrite } from './validation';

/** Physical, idempotent changes: replaying a suffix that a snapshot already contains gives the same state. */
export type JournalOp =
  | { o: 'put'; ns: string; d: Doc }
  | { o: 'del'; ns: string; id: unknown }
  | { o: 'cc'; ns: string; opts: Doc }
  | { o: 'co'; ns: string; opts: Doc }
  | { o: 'dc'; ns: string }
  | { o: 'dd'; db: string }
  | { o: 'ci'; ns: string; spec: IndexSpec }
  | { o: 'di'; ns: string; name: string }
  | { o: 'rn'; ns: string; to: string };

/** Collects one command's (or one transaction's) journal ops and, in a transaction, how to undo them. */
export interface WriteContext {
  ops: JournalOp[];
  undo: Array<() => void> | null;
  /** In a transaction: each touched document as it was before (null: it did not exist), for readers outside it. */
  before?: Map<Collection, Map<string, Doc | null>>;
  /** The command asked for `bypassDocumentValidation`. */
  bypassValidation?: boolean;
}

/**
 * The committed documents of a collection while a transaction has changed some of them: the current documents with
 * the transaction's changes replaced by their previous versions.
 */
export function* committedDocs(coll: Collection, before: Map<string, Doc | null>): Iterable<Doc> {
  for (const [id, doc] of coll.docs) {
    const old = before.get(id);
    if (old === undefined) yield doc;
    else if (old) yield old;
  }
  for (const [id, old] of before) if (old && !coll.docs.has(id)) yield old;
}

export const idKey = (id: unknown): string => valueKey(id);

export function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>([['_id_', new Index(ID_INDEX)]]);
  readonly uuid = new UUID();

  constructor(
    readonly db: string,
    public name: string,
    public options: Doc,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get idIndex(): Index {
    return this.indexes.get('_id_') as Index;
  }

  dataSize(): number {
    let size = 0;
    for (const d of this.docs.values()) size += calculateObjectSize(d);
    return size;
  }
}

export function validateNames(db: string, coll?: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new MongoError(73, `Invalid database name: '${db}'`);
  if (coll !== undefined && (!coll || coll.includes('$') || coll.includes('\0') || coll.startsWith('.')))
    throw new MongoError(73, `Invalid collection name: ${db}.${coll}`);
}

export class Store {
  readonly dbs = new Map<string, Map<string, Collection>>();

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  all(): Collection[] {
    return [...this.dbs.values()].flatMap((m) => [...m.values()]);
  }

  private record(ctx: WriteContext | null, op: JournalOp, undo: () => void): void {
    if (!ctx) return;
    ctx.ops.push(op);
    ctx.undo?.push(undo);
  }

  createCollection(ctx: WriteContext | null, db: string, name: string, options: Doc = {}): Collection {
    validateNames(db, name);
    if (this.get(db, name)) throw new MongoError(48, `Collection ${db}.${name} already exists.`);
    const coll = new Collection(db, name, options);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    colls.set(name, coll);
    this.record(ctx, { o: 'cc', ns: coll.ns, opts: options }, () => this.detach(coll));
    return coll;
  }

  /** The collection, created implicitly as MongoDB does on first write. */
  ensure(ctx: WriteContext | null, db: string, name: string): Collection {
    return this.get(db, name) ?? this.createCollection(ctx, db, name);
  }

  private detach(coll: Collection): void {
    const colls = this.dbs.get(coll.db);
    colls?.delete(coll.name);
    if (colls?.size === 0) this.dbs.delete(coll.db);
  }

  dropCollection(ctx: WriteContext | null, db: string, name: string): Collection | undefined {
    const coll = this.get(db, name);
    if (!coll) return undefined;
    this.detach(coll);
    this.record(ctx, { o: 'dc', ns: coll.ns }, () => this.attach(coll));
    return coll;
  }

  private attach(coll: Collection): void {
    let colls = this.dbs.get(coll.db);
    if (!colls) this.dbs.set(coll.db, (colls = new Map()));
    colls.set(coll.name, coll);
  }

  dropDatabase(ctx: WriteContext | null, db: string): void {
    const colls = this.dbs.get(db);
    if (!colls) return;
    this.dbs.delete(db);
    this.record(ctx, { o: 'dd', db }, () => this.dbs.set(db, colls));
  }

  renameCollection(ctx: WriteContext | null, coll: Collection, toName: string): void {
    validateNames(coll.db, toName);
    const from = coll.ns;
    this.detach(coll);
    coll.name = toName;
    this.attach(coll);
    this.record(ctx, { o: 'rn', ns: from, to: toName }, () => undefined);
  }

  private remember(ctx: WriteContext | null, coll: Collection, id: string): void {
    if (!ctx?.before) return;
    let docs = ctx.before.get(coll);
    if (!docs) ctx.before.set(coll, (docs = new Map()));
    if (!docs.has(id)) docs.set(id, coll.docs.get(id) ?? null);
  }

  insert(ctx: WriteContext | null, coll: Collection, doc: Doc): void {
    const id = idKey(doc._id);
    if (coll.docs.has(id)) throw coll.idIndex.duplicateError(coll.ns, [doc._id]);
    checkWrite(ctx, coll, doc, null);
    for (const idx of coll.indexes.values()) idx.check(doc, id, coll.ns);
    this.remember(ctx, coll, id);
    this.put(coll, id, doc);
    this.record(ctx, { o: 'put', ns: coll.ns, d: doc }, () => this.delete(coll, id));
  }

  replace(ctx: WriteContext | null, coll: Collection, oldDoc: Doc, newDoc: Doc): void {
    const id = idKey(oldDoc._id);
    checkWrite(ctx, coll, newDoc, oldDoc);
    for (const idx of coll.indexes.values()) idx.check(newDoc, id, coll.ns);
    this.remember(ctx, coll, id);
    this.put(coll, id, newDoc);
    this.record(ctx, { o: 'put', ns: coll.ns, d: newDoc }, () => this.put(coll, id, oldDoc));
  }

  remove(ctx: WriteContext | null, coll: Collection, doc: Doc): void {
    const id = idKey(doc._id);
    this.remember(ctx, coll, id);
    this.delete(coll, id);
    this.record(ctx, { o: 'del', ns: coll.ns, id: doc._id }, () => this.put(coll, id, doc));
  }

  /** Sets a document by id, keeping indexes in step; no validation (replay and undo use it directly). */
  private put(coll: Collection, id: string, doc: Doc): void {
    const old = coll.docs.get(id);
    for (const idx of coll.indexes.values()) {
      if (old) idx.remove(old, id);
      idx.add(doc, id);
    }
    coll.docs.set(id, doc);
  }

  private delete(coll: Collection, id: string): void {
    const old = coll.docs.get(id);
    if (!old) return;
    for (const idx of coll.indexes.values()) idx.remove(old, id);
    coll.docs.delete(id);
  }

  /** Replaces a collection's options (collMod). */
  setOptions(ctx: WriteContext | null, coll: Collection, options: Doc): void {
    const previous = coll.options;
    coll.options = options;
    this.record(ctx, { o: 'co', ns: coll.ns, opts: options }, () => (coll.options = previous));
  }

  /** Builds an index over existing documents; fails (adding nothing) on a duplicate key or unindexable value. */
  createIndex(ctx: WriteContext | null, coll: Collection, spec: IndexSpec): void {
    const idx = new Index(spec);
    idx.build(coll.docs, ctx ? coll.ns : undefined);
    coll.indexes.set(spec.name, idx);
    this.record(ctx, { o: 'ci', ns: coll.ns, spec }, () => coll.indexes.delete(spec.name));
  }

  /** Adds a document without touching indexes, while loading a snapshot; `reindex` follows. */
  load(coll: Collection, doc: Doc): void {
    coll.docs.set(idKey(doc._id), doc);
  }

  /** Indexes a collection's loaded documents: `_id`, then each of `specs`, each built in one sort. */
  reindex(coll: Collection, specs: IndexSpec[]): void {
    const idIndex = new Index(ID_INDEX);
    idIndex.build(coll.docs);
    coll.indexes.set(ID_INDEX.name, idIndex);
    for (const spec of specs) this.createIndex(null, coll, spec);
  }

  dropIndex(ctx: WriteContext | null, coll: Collection, name: string): void {
    const idx = coll.indexes.get(name);
    if (!idx) return;
    coll.indexes.delete(name);
    this.record(ctx, { o: 'di', ns: coll.ns, name }, () => coll.indexes.set(name, idx));
  }

  /** Replays one journal op; ops are idempotent so a replay may overlap what a snapshot already holds. */
  apply(op: JournalOp): void {
    if (op.o === 'dd') {
      this.dropDatabase(null, op.db);
      return;
    }
    const [db, name] = splitNs(op.ns);
    switch (op.o) {
      case 'cc':
        if (!this.get(db, name)) this.createCollection(null, db, name, isPlainObject(op.opts) ? op.opts : {});
        return;
      case 'dc':
        this.dropCollection(null, db, name);
        return;
      case 'co': {
        const coll = this.get(db, name);
        if (coll) this.setOptions(null, coll, op.opts);
        return;
      }
      case 'rn': {
        const coll = this.get(db, name);
        if (coll) {
          this.dropCollection(null, db, op.to);
          this.renameCollection(null, coll, op.to);
        }
        return;
      }
      case 'put':
        this.put(this.ensure(null, db, name), idKey(op.d._id), op.d);
        return;
      case 'del': {
        const coll = this.get(db, name);
        if (coll) this.delete(coll, idKey(op.id));
        return;
      }
      case 'ci': {
        const coll = this.ensure(null, db, name);
        if (!coll.indexes.has(op.spec.name)) this.createIndex(null, coll, op.spec);
        return;
      }
      case 'di': {
        const coll = this.get(db, name);
        if (coll) this.dropIndex(null, coll, op.name);
        return;
      }
    }
  }
}

/**
 * The in-memory catalog and documents. Every mutation goes through here: it is validated (duplicate keys, index
 * keys), applied and described as an idempotent journal op. Documents are never mutated in place (updates store a
 * new object), so open cursors keep a stable view. A transaction's writes are not applied here until it commits:
 * they are staged in its `TxnState`, which readers inside it overlay on the store (see sessions.ts).
 */
import { calculateObjectSize, UUID } from 'bson';
import { isPlainObject, valueKey, type Doc } from './bson-values';
import { MongoError, writeConflict } from './errors';
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

/**
 * A running transaction as the store sees it. Its reads see the store overlaid with `view`: its own writes, and the
 * versions as of its snapshot of the documents others changed since (kept by every committed change while it runs).
 */
export class TxnState {
  /** Per collection, by document id: the version this transaction sees where it differs from the store (null: absent). */
  readonly view = new Map<Collection, Map<string, Doc | null>>();
  /** The documents it wrote (a subset of `view`): others writing them conflict or wait. */
  readonly own = new Map<Collection, Set<string>>();
  /** Collections it created: invisible to others until it commits. */
  readonly created = new Map<string, Collection>();
  /** Resolves when it commits or aborts: writes outside transactions blocked by it then retry. */
  readonly ended: Promise<void>;
  end!: () => void;

  constructor() {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  /** Per collection and unique index name: the keys of the view's documents (built when first needed). */
  private readonly keys = new Map<Collection, Map<string, Index>>();

  viewOf(coll: Collection): Map<string, Doc | null> {
    let view = this.view.get(coll);
    if (!view) this.view.set(coll, (view = new Map()));
    return view;
  }

  /** Sets the version of a document this transaction sees, keeping the keys of its view in step. */
  see(coll: Collection, id: string, doc: Doc | null): void {
    const view = this.viewOf(coll);
    const old = view.get(id);
    view.set(id, doc);
    for (const keys of this.keys.get(coll)?.values() ?? []) {
      if (old) keys.remove(old, id);
      if (doc) keys.add(doc, id);
    }
  }

  /**
   * Fails with DuplicateKey when a document of the view other than `id` (and, with `only`, one it accepts) holds one
   * of `doc`'s keys in the unique index `idx`.
   */
  checkKeys(coll: Collection, idx: Index, doc: Doc, id: string, only?: (holder: string) => boolean): void {
    if (!idx.spec.unique || idx.isId || idx.geo) return;
    let byName = this.keys.get(coll);
    if (!byName) this.keys.set(coll, (byName = new Map()));
    let keys = byName.get(idx.spec.name);
    if (!keys) {
      byName.set(idx.spec.name, (keys = new Index(idx.spec)));
      for (const [holder, d] of this.viewOf(coll)) if (d) keys.add(d, holder);
    }
    keys.check(doc, id, coll.ns, only && ((holder) => !only(holder)));
  }
}

/** Collects one command's (or one transaction's) journal ops; `txn` routes writes into a transaction. */
export interface WriteContext {
  ops: JournalOp[];
  txn?: TxnState;
  /** The command asked for `bypassDocumentValidation`. */
  bypassValidation?: boolean;
}

/** A write outside transactions met a document a running transaction wrote: it retries once that one ends. */
export class Blocked extends Error {
  constructor(readonly until: Promise<void>) {
    super('blocked by a running transaction');
  }
}

/**
 * The documents of a collection as a reader with `overlay` sees them: the store's, with the overlaid ids replaced
 * by the overlay's versions (null: absent).
 */
export function* committedDocs(coll: Collection, overlay: Map<string, Doc | null>): Iterable<Doc> {
  for (const [id, doc] of coll.docs) {
    const old = overlay.get(id);
    if (old === undefined) yield doc;
    else if (old) yield old;
  }
  for (const [id, old] of overlay) if (old && !coll.docs.has(id)) yield old;
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
  /** The transaction that created it, until that commits: the collection is private to it. */
  owner: TxnState | null = null;

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
  /** Running transactions: every committed change keeps the previous version of a document for their snapshots. */
  readonly txns = new Set<TxnState>();
  /** The transaction whose command is running (synchronously): its private collections resolve by name. */
  current: TxnState | null = null;

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name) ?? this.current?.created.get(`${db}.${name}`);
  }

  collections(db: string): Collection[] {
    const own = [...(this.current?.created.values() ?? [])].filter((c) => c.db === db);
    return [...(this.dbs.get(db)?.values() ?? []), ...own];
  }

  all(): Collection[] {
    return [...this.dbs.values()].flatMap((m) => [...m.values()]);
  }

  private record(ctx: WriteContext | null, op: JournalOp): void {
    ctx?.ops.push(op);
  }

  /** Creates a collection; inside a transaction it stays private to it until commit. */
  createCollection(ctx: WriteContext | null, db: string, name: string, options: Doc = {}): Collection {
    validateNames(db, name);
    if (this.get(db, name)) throw new MongoError(48, `Collection ${db}.${name} already exists.`);
    const coll = new Collection(db, name, options);
    if (ctx?.txn) {
      coll.owner = ctx.txn;
      ctx.txn.created.set(coll.ns, coll);
    } else {
      this.attach(coll);
    }
    this.record(ctx, { o: 'cc', ns: coll.ns, opts: options });
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
    this.record(ctx, { o: 'dc', ns: coll.ns });
    return coll;
  }

  private attach(coll: Collection): void {
    let colls = this.dbs.get(coll.db);
    if (!colls) this.dbs.set(coll.db, (colls = new Map()));
    colls.set(coll.name, coll);
  }

  dropDatabase(ctx: WriteContext | null, db: string): void {
    if (!this.dbs.delete(db)) return;
    this.record(ctx, { o: 'dd', db });
  }

  renameCollection(ctx: WriteContext | null, coll: Collection, toName: string): void {
    validateNames(coll.db, toName);
    const from = coll.ns;
    this.detach(coll);
    coll.name = toName;
    this.attach(coll);
    this.record(ctx, { o: 'rn', ns: from, to: toName });
  }

  insert(ctx: WriteContext | null, coll: Collection, doc: Doc): void {
    const id = idKey(doc._id);
    checkWrite(ctx, coll, doc, null);
    if (ctx?.txn && coll.owner !== ctx.txn) {
      this.stage(ctx.txn, coll, id, doc, true);
    } else {
      if (coll.docs.has(id)) throw coll.idIndex.duplicateError(coll.ns, [doc._id]);
      this.guard(coll, id, doc);
      for (const idx of coll.indexes.values()) idx.check(doc, id, coll.ns);
      this.put(coll, id, doc);
    }
    this.record(ctx, { o: 'put', ns: coll.ns, d: doc });
  }

  replace(ctx: WriteContext | null, coll: Collection, oldDoc: Doc, newDoc: Doc): void {
    const id = idKey(oldDoc._id);
    checkWrite(ctx, coll, newDoc, oldDoc);
    if (ctx?.txn && coll.owner !== ctx.txn) {
      this.stage(ctx.txn, coll, id, newDoc, false);
    } else {
      this.guard(coll, id, newDoc);
      for (const idx of coll.indexes.values()) idx.check(newDoc, id, coll.ns);
      this.put(coll, id, newDoc);
    }
    this.record(ctx, { o: 'put', ns: coll.ns, d: newDoc });
  }

  remove(ctx: WriteContext | null, coll: Collection, doc: Doc): void {
    const id = idKey(doc._id);
    if (ctx?.txn && coll.owner !== ctx.txn) {
      this.stage(ctx.txn, coll, id, null, false);
    } else {
      this.guard(coll, id, null);
      this.delete(coll, id);
    }
    this.record(ctx, { o: 'del', ns: coll.ns, id: doc._id });
  }

  /**
   * Outside transactions: throws Blocked when a running transaction wrote this document, or holds one of the new
   * version's unique keys (MongoDB makes such writes wait for the transaction to end).
   */
  private guard(coll: Collection, id: string, doc: Doc | null): void {
    if (this.txns.size === 0 || coll.owner) return;
    for (const txn of this.txns) {
      const own = txn.own.get(coll);
      if (!own) continue;
      if (own.has(id)) throw new Blocked(txn.ended);
      if (!doc) continue;
      try {
        for (const idx of coll.indexes.values()) txn.checkKeys(coll, idx, doc, id, (holder) => own.has(holder));
      } catch (err) {
        if (err instanceof MongoError && err.code === 11000) throw new Blocked(txn.ended);
        throw err;
      }
    }
  }

  /** Outside transactions: the check above for every document a statement will change, before it changes any. */
  guardDocs(ctx: WriteContext, coll: Collection | undefined, docs: Doc[]): void {
    if (ctx.txn || !coll || this.txns.size === 0) return;
    for (const doc of docs) this.guard(coll, idKey(doc._id), null);
  }

  /**
   * Stages a transaction's write (doc null: delete). First writer wins: a document another running transaction
   * wrote, or that changed since this one's snapshot, is a WriteConflict. Unique keys are checked against what the
   * transaction sees (the store overlaid with its view) and against other transactions' staged writes.
   */
  private stage(txn: TxnState, coll: Collection, id: string, doc: Doc | null, inserting: boolean): void {
    const view = txn.viewOf(coll);
    let own = txn.own.get(coll);
    if (view.has(id) && !own?.has(id)) throw writeConflict();
    for (const other of this.txns) if (other !== txn && other.own.get(coll)?.has(id)) throw writeConflict();
    const seen = view.has(id) ? view.get(id) : coll.docs.get(id);
    if (inserting && seen) throw coll.idIndex.duplicateError(coll.ns, [doc?._id]);
    if (doc) {
      for (const idx of coll.indexes.values()) {
        // A committed holder of the key that this transaction rewrote does not count; one changed since its
        // snapshot is a conflict.
        idx.check(doc, id, coll.ns, (holder) => {
          if (!view.has(holder)) return false;
          if (own?.has(holder)) return true;
          throw writeConflict();
        });
        txn.checkKeys(coll, idx, doc, id);
        for (const other of this.txns) {
          const theirs = other === txn ? undefined : other.own.get(coll);
          if (!theirs) continue;
          try {
            other.checkKeys(coll, idx, doc, id, (holder) => theirs.has(holder));
          } catch (err) {
            if (err instanceof MongoError && err.code === 11000) throw writeConflict();
            throw err;
          }
        }
      }
    }
    if (!own) txn.own.set(coll, (own = new Set()));
    own.add(id);
    txn.see(coll, id, doc);
  }

  /** Starts a transaction's snapshot. */
  begin(): TxnState {
    const txn = new TxnState();
    this.txns.add(txn);
    return txn;
  }

  /**
   * Applies a transaction's writes and publishes its collections at once (commands run one at a time, so nobody
   * sees half of it). Fails with WriteConflict, changing nothing, if a collection it created now exists or one it
   * wrote was dropped.
   */
  publish(txn: TxnState): void {
    for (const coll of txn.created.values()) if (this.dbs.get(coll.db)?.has(coll.name)) throw writeConflict();
    for (const coll of txn.own.keys())
      if (!coll.owner && this.dbs.get(coll.db)?.get(coll.name) !== coll) throw writeConflict();
    this.txns.delete(txn);
    for (const coll of txn.created.values()) {
      coll.owner = null;
      this.attach(coll);
    }
    for (const [coll, ids] of txn.own) {
      const view = txn.viewOf(coll);
      for (const id of ids) {
        const doc = view.get(id);
        if (doc) this.put(coll, id, doc);
        else this.delete(coll, id);
      }
    }
    txn.end();
  }

  /** Forgets a transaction's writes (abort). */
  discard(txn: TxnState): void {
    this.txns.delete(txn);
    txn.end();
  }

  /** Running transactions keep the version of a document their snapshot saw, before a committed change. */
  private preserve(coll: Collection, id: string, old: Doc | undefined): void {
    for (const txn of this.txns) {
      if (!txn.viewOf(coll).has(id)) txn.see(coll, id, old ?? null);
    }
  }

  /** Sets a document by id, keeping indexes in step; no validation (replay uses it directly). */
  private put(coll: Collection, id: string, doc: Doc): void {
    const old = coll.docs.get(id);
    if (this.txns.size && !coll.owner) this.preserve(coll, id, old);
    for (const idx of coll.indexes.values()) {
      if (old) idx.remove(old, id);
      idx.add(doc, id);
    }
    coll.docs.set(id, doc);
  }

  private delete(coll: Collection, id: string): void {
    const old = coll.docs.get(id);
    if (!old) return;
    if (this.txns.size && !coll.owner) this.preserve(coll, id, old);
    for (const idx of coll.indexes.values()) idx.remove(old, id);
    coll.docs.delete(id);
  }

  /** Replaces a collection's options (collMod). */
  setOptions(ctx: WriteContext | null, coll: Collection, options: Doc): void {
    coll.options = options;
    this.record(ctx, { o: 'co', ns: coll.ns, opts: options });
  }

  /** Builds an index over existing documents; fails (adding nothing) on a duplicate key or unindexable value. */
  createIndex(ctx: WriteContext | null, coll: Collection, spec: IndexSpec): void {
    const idx = new Index(spec);
    idx.build(coll.docs, ctx ? coll.ns : undefined);
    coll.indexes.set(spec.name, idx);
    this.record(ctx, { o: 'ci', ns: coll.ns, spec });
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
    if (!coll.indexes.delete(name)) return;
    this.record(ctx, { o: 'di', ns: coll.ns, name });
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

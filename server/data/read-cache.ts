import { Query, type ClientSession, type Connection, type Document, type Model, type Schema } from 'mongoose';
import { QUERY_WRITES } from './tenant-scope';

/**
 * How long an answer is kept at most: the bound within which a write made through another instance, or straight
 * into the database, is seen. Writes through this instance's models are seen at once.
 */
export const READ_CACHE_MS = 1_000;
/** Answers kept per instance; past this the oldest is dropped. */
const MAX_ANSWERS = 500;

interface Kept {
  models: readonly string[];
  /** The write counts of those models when the read began: any write since makes the answer stale. */
  epochs: number[];
  at: number;
  value: Promise<unknown>;
}

/**
 * Answers of reads that many requests share — a page of reports with the names, places and photos it shows —
 * kept per instance until a write to a model they were read from. The models that use `observeWrites` report
 * every write made through them, as it happens; a write inside a transaction again when its session ends, since
 * a read in between saw the state before the commit.
 */
export function createReadCache(now: () => number = () => performance.now()) {
  const epochs = new Map<string, number>();
  const kept = new Map<string, Kept>();
  const epochOf = (model: string) => epochs.get(model) ?? 0;

  function bump(model: string): void {
    epochs.set(model, epochOf(model) + 1);
  }

  /** A write to `model` happened (in `session`, if given). */
  function wrote(model: string, session?: ClientSession | null): void {
    bump(model);
    if (session?.inTransaction()) session.once('ended', () => bump(model));
  }

  /** The answer `build` gives for `key`, read again once any of `models` was written or after READ_CACHE_MS. */
  function get<T>(key: string, models: readonly string[], build: () => Promise<T>): Promise<T> {
    const at = now();
    const found = kept.get(key);
    if (found && at - found.at < READ_CACHE_MS && found.models.every((m, i) => epochOf(m) === found.epochs[i])) {
      return found.value as Promise<T>;
    }
    const value = build();
    kept.delete(key);
    if (kept.size >= MAX_ANSWERS) kept.delete(kept.keys().next().value!);
    kept.set(key, { models, epochs: models.map(epochOf), at, value });
    value.catch(() => {
      if (kept.get(key)?.value === value) kept.delete(key);
    });
    return value;
  }

  return { get, wrote };
}
export type ReadCache = ReturnType<typeof createReadCache>;

// One cache per connection: the models' hooks find it through the connection they write on.
const caches = new WeakMap<Connection, ReadCache>();

/** The read cache of the app that owns `connection`. */
export function readCacheOf(connection: Connection): ReadCache {
  let cache = caches.get(connection);
  if (!cache) caches.set(connection, (cache = createReadCache()));
  return cache;
}

/** Schema plugin: every write through the model is reported to its connection's read cache. */
export function observeWrites(schema: Schema): void {
  schema.post(
    QUERY_WRITES,
    { document: true, query: true },
    function reportWrite(this: Query<unknown, unknown> | Document) {
      if (this instanceof Query) {
        readCacheOf(this.model.db).wrote(this.model.modelName, this.getOptions().session);
      } else {
        const model = this.constructor as Model<unknown>;
        readCacheOf(model.db).wrote(model.modelName, this.$session());
      }
    },
  );
  schema.post('save', function reportSave(this: Document) {
    const model = this.constructor as Model<unknown>;
    readCacheOf(model.db).wrote(model.modelName, this.$session());
  });
  schema.post('insertMany', function reportInserts(this: Model<unknown>, docs: unknown) {
    // Lean inserts give plain objects, which know no session.
    const first = (docs as Partial<Document>[])[0];
    readCacheOf(this.db).wrote(this.modelName, first?.$session?.());
  });
  // The options (and so the session) are known only before a bulk write; the write is reported after it.
  schema.pre('bulkWrite', function watchBulkSession(this: Model<unknown>, _ops, options) {
    if (options?.session?.inTransaction()) readCacheOf(this.db).wrote(this.modelName, options.session);
  });
  schema.post('bulkWrite', function reportBulkWrite(this: Model<unknown>) {
    readCacheOf(this.db).wrote(this.modelName);
  });
}

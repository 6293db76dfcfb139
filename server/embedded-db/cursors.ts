/**
 * Server-side cursors: results are materialized when the command runs (documents are immutable, so later writes
 * do not disturb them) and handed out in batches by getMore. Idle cursors are reaped after `cursorTimeoutMillis`.
 */
import { calculateObjectSize, Long } from 'bson';
import type { Doc } from './bson-values';
import { MongoError } from './errors';

/** MongoDB's limit on a reply batch. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_FIRST_BATCH = 101;

interface Cursor {
  ns: string;
  docs: Doc[];
  pos: number;
  project: ((docs: Doc[]) => Doc[]) | null;
  lastUsed: number;
  noTimeout: boolean;
}

export interface CursorSource {
  ns: string;
  docs: Doc[];
  project?: ((docs: Doc[]) => Doc[]) | null;
  batchSize?: number;
  singleBatch?: boolean;
  noTimeout?: boolean;
}

/** Documents projected at a time while a batch is filled. */
const PROJECT_CHUNK = 1000;

export class CursorManager {
  private readonly cursors = new Map<string, Cursor>();
  private nextId = BigInt(Math.floor(Math.random() * 2 ** 40)) + 1n;
  timeoutMs = 10 * 60 * 1000;

  /**
   * The next batch: at most `limit` documents and 16 MB of them as returned (projected, as MongoDB counts), projected
   * a chunk at a time so that a batch cut by size projects little more than it returns.
   */
  private take(c: Cursor, limit: number): Doc[] {
    const batch: Doc[] = [];
    let bytes = 0;
    while (c.pos < c.docs.length && batch.length < limit) {
      const chunk = c.docs.slice(c.pos, c.pos + Math.min(limit - batch.length, PROJECT_CHUNK));
      for (const doc of c.project ? c.project(chunk) : chunk) {
        bytes += calculateObjectSize(doc);
        if (batch.length > 0 && bytes > MAX_BATCH_BYTES) return batch;
        batch.push(doc);
        c.pos++;
      }
    }
    return batch;
  }

  /** Runs the first batch; the reply's `cursor` field. */
  open(src: CursorSource): Doc {
    const cursor: Cursor = {
      ns: src.ns,
      docs: src.docs,
      pos: 0,
      project: src.project ?? null,
      lastUsed: Date.now(),
      noTimeout: src.noTimeout ?? false,
    };
    const firstBatch = this.take(cursor, src.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (!src.singleBatch && cursor.pos < cursor.docs.length) {
      id = this.nextId++;
      this.cursors.set(String(id), cursor);
    }
    return { firstBatch, id: Long.fromBigInt(id), ns: src.ns };
  }

  getMore(id: Long, ns: string, batchSize: number | undefined): Doc {
    const key = id.toString();
    const cursor = this.cursors.get(key);
    if (!cursor) throw new MongoError(43, `cursor id ${key} not found`);
    if (cursor.ns !== ns)
      throw new MongoError(13, `Requested getMore on namespace '${ns}', but cursor belongs to '${cursor.ns}'`);
    cursor.lastUsed = Date.now();
    const nextBatch = this.take(cursor, batchSize && batchSize > 0 ? batchSize : Infinity);
    const done = cursor.pos >= cursor.docs.length;
    if (done) this.cursors.delete(key);
    return { nextBatch, id: done ? Long.ZERO : id, ns };
  }

  kill(ids: Long[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id.toString()) ? killed : notFound).push(id);
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  /** Drops cursors idle for longer than the timeout. */
  reap(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (!c.noTimeout && now - c.lastUsed > this.timeoutMs) this.cursors.delete(id);
  }

  get openCount(): number {
    return this.cursors.size;
  }
}

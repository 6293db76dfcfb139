/**
 * The engine: the store, its journal, cursors and sessions, and command dispatch. Commands run synchronously
 * against memory (so each is atomic with respect to the others) and are acknowledged once their journal record
 * is durable. Background work (TTL expiry, cursor and session reaping, snapshots) runs on one unref'd timer.
 */
import { Long } from 'bson';
import { cloneValue, type Doc } from './bson-values';
import { atMost } from './bounds';
import { adminCommands } from './commands/admin';
import { crudCommands } from './commands/crud';
import { ddlCommands } from './commands/ddl';
import { readCommands } from './commands/read';
import type { Command, CommandContext } from './context';
import { MongoError } from './errors';
import { Journal } from './journal';
import { CursorManager } from './cursors';
import { SessionManager, type Txn } from './sessions';
import { committedDocs, Store, type JournalOp, type WriteContext } from './store';
import type { QueryEnv } from './query';

export interface EngineOptions {
  /** Directory for the journal and snapshots; null or undefined keeps everything in memory. */
  dataDir?: string | null;
  /** Journal size after which a snapshot is written (bytes). */
  snapshotBytes?: number;
}

function txnNumberOf(body: Doc): bigint {
  const n = body.txnNumber;
  if (n instanceof Long) return n.toBigInt();
  if (typeof n === 'number' && Number.isInteger(n)) return BigInt(n);
  throw new MongoError(50768, 'a transaction needs an integer txnNumber');
}

const txnControl = (run: (engine: Engine, ctx: CommandContext, txnNumber: bigint) => Promise<Doc>): Command => ({
  txn: true,
  run: (ctx) => {
    const { lsid, txnNumber } = ctx.body;
    if (!lsid || !(txnNumber instanceof Long))
      throw new MongoError(50768, 'Transaction commands need lsid and txnNumber');
    return run(ctx.engine, ctx, txnNumber.toBigInt());
  },
});

const COMMANDS: Record<string, Command> = {
  ...adminCommands,
  ...ddlCommands,
  ...readCommands,
  ...crudCommands,
  commitTransaction: txnControl(async (engine, ctx, n) => {
    const ops = engine.sessions.commit(engine.sessions.session(ctx.body.lsid), n);
    if (ops.length) await engine.persist(ops);
    return { ok: 1 };
  }),
  abortTransaction: txnControl(async (engine, ctx, n) => {
    const s = engine.sessions.session(ctx.body.lsid);
    const txn = engine.sessions.current(s, n);
    if (txn.state === 'committed') throw new MongoError(256, `Transaction ${n} has been committed.`);
    engine.sessions.abort(s);
    return { ok: 1 };
  }),
};

/** Fields of a command body that are envelope, not arguments. */
const TXN_FIELDS = ['commitTransaction', 'abortTransaction'];

export class Engine {
  readonly cursors = new CursorManager();
  readonly sessions = new SessionManager();
  readonly startedAt = Date.now();
  /** host:port (or socket path) reported by hello. */
  address = 'localhost:27017';
  connectionCount = 0;
  private ttlSleepSecs = 60;
  private lastTtlRun = Date.now();
  private readonly timer: NodeJS.Timeout;
  private snapshotting: Promise<void> | null = null;

  private constructor(
    readonly store: Store,
    private readonly journal: Journal | null,
    private readonly snapshotBytes: number,
  ) {
    this.timer = setInterval(() => this.background(), 250).unref();
  }

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    const store = new Store();
    const journal = opts.dataDir ? await Journal.open(opts.dataDir, store) : null;
    // Loading leaves the index builds' sort buffers behind; where the process allows it (the child process does),
    // collect them now rather than carry a heap and resident size well above the live data.
    (globalThis as { gc?: () => void }).gc?.();
    return new Engine(store, journal, opts.snapshotBytes ?? 64 * 1024 * 1024);
  }

  getParameter(name: string): number {
    if (name === 'ttlMonitorSleepSecs') return this.ttlSleepSecs;
    if (name === 'cursorTimeoutMillis') return this.cursors.timeoutMs;
    return this.sessions.transactionLifetimeMs / 1000;
  }

  setParameter(name: string, value: number): void {
    if (name === 'ttlMonitorSleepSecs') this.ttlSleepSecs = value;
    else if (name === 'cursorTimeoutMillis') this.cursors.timeoutMs = value;
    else this.sessions.transactionLifetimeMs = value * 1000;
  }

  /** Copies of a collection's documents, for `$lookup` and friends. */
  readCollection(db: string, name: string, uncommitted?: QueryEnv['uncommitted']): Doc[] {
    const coll = this.store.get(db, name);
    if (!coll) return [];
    const before = uncommitted?.(coll);
    return [...(before ? committedDocs(coll, before) : coll.docs.values())].map(cloneValue);
  }

  /** Makes ops durable (a no-op in memory-only mode). */
  async persist(ops: JournalOp[]): Promise<void> {
    if (this.journal && ops.length) await this.journal.append(ops);
  }

  /** Runs one command and returns its reply; errors become `ok: 0` replies. */
  async execute(body: Doc, db: string, connectionId: number): Promise<Doc> {
    try {
      return await this.dispatch(body, db, connectionId);
    } catch (err) {
      if (err instanceof MongoError) return err.toReply();
      const message = err instanceof Error ? err.message : String(err);
      return new MongoError(1, `embedded-db internal error: ${message}`).toReply();
    }
  }

  private async dispatch(body: Doc, db: string, connectionId: number): Promise<Doc> {
    const name = Object.keys(body)[0] ?? '';
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new MongoError(59, `no such command: '${name}'`);
    let txn: Txn | null = null;
    const session = body.lsid ? this.sessions.session(body.lsid) : null;
    if (session && body.autocommit === false && !TXN_FIELDS.includes(name)) {
      txn = await this.sessions.transaction(session, txnNumberOf(body), body.startTransaction === true);
      if (txn.state === 'committed') throw new MongoError(256, `Transaction ${txn.number} has been committed.`);
      if (!command.txn) {
        throw new MongoError(263, `Cannot run '${name}' in a multi-document transaction.`);
      }
    } else if (command.write) {
      await this.sessions.waitUnlocked();
    }
    const write: WriteContext = txn ? txn.write : { ops: [], undo: null };
    const ctx: CommandContext = { engine: this, db, body, write, inTxn: txn !== null, connectionId };
    let reply: Doc;
    try {
      reply = await command.run(ctx);
    } catch (err) {
      if (txn && session) this.sessions.abort(session);
      throw err;
    }
    if (txn && session && reply.writeErrors) this.sessions.abort(session);
    if (!txn) await this.persist(write.ops);
    return reply;
  }

  private background(): void {
    const now = Date.now();
    this.cursors.reap(now);
    this.sessions.reap(now);
    if (this.sessions.locked) return;
    if (now - this.lastTtlRun >= this.ttlSleepSecs * 1000) {
      this.lastTtlRun = now;
      this.expireTtl(now);
    }
    if (this.journal && !this.snapshotting && this.journal.snapshotDue(this.snapshotBytes)) {
      this.snapshotting = this.journal.snapshot(this.store).finally(() => (this.snapshotting = null));
    }
  }

  /** Deletes documents whose TTL-indexed date is older than the index's expireAfterSeconds. */
  private expireTtl(now: number): void {
    const write: WriteContext = { ops: [], undo: null };
    for (const coll of this.store.all()) {
      for (const idx of coll.indexes.values()) {
        const seconds = idx.spec.expireAfterSeconds;
        if (seconds === undefined) continue;
        // The index holds each date (array elements included): the expired documents have one up to the cutoff.
        const expired = new Map<string, Doc>();
        const spans = idx.spans([{ points: [], range: atMost(new Date(now - seconds * 1000)) }]);
        idx.walk(spans, false, (id) => {
          const doc = coll.docs.get(id);
          if (doc) expired.set(id, doc);
        });
        for (const doc of expired.values()) this.store.remove(write, coll, doc);
      }
    }
    this.persist(write.ops).catch((err) => console.error('embedded-db: TTL journal write failed', err));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.snapshotting;
    if (this.journal) {
      if (!this.sessions.locked) await this.journal.snapshot(this.store);
      await this.journal.close();
    }
  }
}

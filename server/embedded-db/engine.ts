/**
 * The engine: the store, its journal, cursors and sessions, and command dispatch. Commands run synchronously
 * against memory (so each is atomic with respect to the others) and are acknowledged once their journal record
 * is durable. Background work (TTL expiry, cursor and session reaping, snapshots) runs on one unref'd timer.
 */
import { Binary, Long, Timestamp } from 'bson';
import { cloneValue, isPlainObject, type Doc } from './bson-values';
import { atMost } from './bounds';
import { adminCommands } from './commands/admin';
import { crudCommands } from './commands/crud';
import { ddlCommands } from './commands/ddl';
import { readCommands } from './commands/read';
import type { Command, CommandContext } from './context';
import { MongoError } from './errors';
import { FailPoints, type FailCommand } from './failpoints';
import { Journal } from './journal';
import { CursorManager } from './cursors';
import { SessionManager, type Txn } from './sessions';
import { Blocked, committedDocs, Store, type JournalOp, type WriteContext } from './store';
import type { QueryEnv } from './query';

export interface EngineOptions {
  /** Directory for the journal and snapshots; null or undefined keeps everything in memory. */
  dataDir?: string | null;
  /** Journal size after which a snapshot is written (bytes). */
  snapshotBytes?: number;
  /** Enables test-only commands (`configureFailPoint`); never in production. */
  testCommands?: boolean;
}

/** Codes of errors a retryable write (or commit/abort) may retry: the server labels them RetryableWriteError. */
const RETRYABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
/** Codes that make an error inside a transaction transient (the whole transaction may be retried). */
const TRANSIENT_CODES = new Set([24, 112, 251, ...RETRYABLE_CODES]);
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
const TXN_END = new Set(['commitTransaction', 'abortTransaction']);

/** The error labels MongoDB adds to a failed command (`code`) or to a reply with a write concern error (`wceCode`). */
function errorLabels(name: string, body: Doc, code: number | undefined, wceCode: number | undefined): string[] {
  const labels: string[] = [];
  const inTxn = body.autocommit === false;
  const ending = TXN_END.has(name);
  if (code !== undefined && inTxn && (ending ? code === 251 && wceCode === undefined : TRANSIENT_CODES.has(code)))
    labels.push('TransientTransactionError');
  const retryable = ending || (!inTxn && body.txnNumber !== undefined && RETRYABLE_WRITES.has(name));
  if (retryable && [code, wceCode].some((c) => c !== undefined && RETRYABLE_CODES.has(c)))
    labels.push('RetryableWriteError');
  return labels;
}

/** MongoDB's answer to a write concern a one-member replica set cannot satisfy; null when it is fine. */
function writeConcernError(wc: unknown): Doc | null {
  if (!isPlainObject(wc)) return null;
  const w = wc.w;
  if (typeof w === 'number' && w > 1)
    return { code: 100, codeName: 'UnsatisfiableWriteConcern', errmsg: 'Not enough data-bearing nodes' };
  if (typeof w === 'string' && w !== 'majority')
    return {
      code: 79,
      codeName: 'UnknownReplWriteConcern',
      errmsg: `No write concern mode named '${w}' found in replica set configuration`,
    };
  return null;
}

const SIGNATURE = { hash: new Binary(Buffer.alloc(20), 0), keyId: Long.fromNumber(0) };

function txnNumberOf(body: Doc): bigint {
  const n = body.txnNumber;
  if (n instanceof Long) return n.toBigInt();
  if (typeof n === 'number' && Number.isInteger(n)) return BigInt(n);
  throw new MongoError(50768, 'a transaction needs an integer txnNumber');
}

/** What MongoDB refuses inside a transaction, beyond commands that cannot run in one at all. */
function checkInTransaction(name: string, command: Command, body: Doc, start: boolean): void {
  if (name === 'count')
    throw new MongoError(
      263,
      "Cannot run 'count' in a multi-document transaction. Please see http://dochub.mongodb.org/core/transaction-count for a recommended alternative.",
    );
  if (!command.txn) throw new MongoError(263, `Cannot run '${name}' in a multi-document transaction.`);
  if (body.writeConcern !== undefined)
    throw new MongoError(72, 'writeConcern is not allowed within a multi-statement transaction');
  if (!start && body.readConcern !== undefined)
    throw new MongoError(72, 'Only the first command in a transaction may specify a readConcern');
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
  configureFailPoint: {
    run(ctx) {
      const failPoints = ctx.engine.failPoints;
      if (!failPoints) throw new MongoError(59, "no such command: 'configureFailPoint'");
      return failPoints.configure(ctx.body);
    },
  },
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

export class Engine {
  readonly cursors = new CursorManager();
  readonly sessions: SessionManager;
  /** Set only with the `testCommands` option. */
  readonly failPoints: FailPoints | null;
  /** Each connection's client application name (from its handshake), which fail points may select. */
  private readonly appNames = new Map<number, string>();
  /** Advances with every durable write; replies carry it so drivers can ask for causally consistent reads. */
  private clusterTime = new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 });
  /** The `$clusterTime` every reply carries, rebuilt only when the time advances. */
  private gossip = { clusterTime: this.clusterTime, signature: SIGNATURE };
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
    testCommands: boolean,
  ) {
    this.sessions = new SessionManager(store);
    this.failPoints = testCommands ? new FailPoints() : null;
    this.timer = setInterval(() => this.background(), 250).unref();
  }

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    const store = new Store();
    const journal = opts.dataDir ? await Journal.open(opts.dataDir, store) : null;
    // Loading leaves the index builds' sort buffers behind; where the process allows it (the child process does),
    // collect them now rather than carry a heap and resident size well above the live data.
    (globalThis as { gc?: () => void }).gc?.();
    return new Engine(store, journal, opts.snapshotBytes ?? 64 * 1024 * 1024, opts.testCommands === true);
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

  /** Makes ops durable (a no-op in memory-only mode) and advances the cluster time. */
  async persist(ops: JournalOp[]): Promise<void> {
    if (!ops.length) return;
    const now = Math.floor(Date.now() / 1000);
    const last = this.clusterTime;
    this.clusterTime = new Timestamp(now > last.high ? { t: now, i: 1 } : { t: last.high, i: last.low + 1 });
    this.gossip = { clusterTime: this.clusterTime, signature: SIGNATURE };
    if (this.journal) await this.journal.append(ops);
  }

  /**
   * Runs one command and returns its reply; errors become `ok: 0` replies with MongoDB's error labels. Null: an
   * armed fail point says to close the connection instead.
   */
  async execute(body: Doc, db: string, connectionId: number): Promise<Doc | null> {
    const name = Object.keys(body)[0] ?? '';
    const fail = this.failPoints ? await this.failPoint(name, body, connectionId) : null;
    if (fail?.closeConnection) return null;
    let reply: Doc;
    if (fail?.errorCode !== undefined) {
      reply = new MongoError(fail.errorCode, `Failing command ${name} due to failCommand failpoint`).toReply();
    } else {
      try {
        reply = await this.dispatch(name, body, db, connectionId);
      } catch (err) {
        if (err instanceof MongoError) reply = err.toReply();
        else {
          const message = err instanceof Error ? err.message : String(err);
          reply = new MongoError(1, `embedded-db internal error: ${message}`).toReply();
        }
      }
      if (fail?.writeConcernError) reply.writeConcernError = fail.writeConcernError;
    }
    if (fail?.errorLabels) reply.errorLabels = fail.errorLabels;
    const wce = reply.writeConcernError as Doc | undefined;
    if ((reply.ok !== 1 || wce) && reply.errorLabels === undefined) {
      const labels = errorLabels(name, body, reply.ok === 1 ? undefined : (reply.code as number), wce?.code as number);
      if (labels.length) reply.errorLabels = labels;
    }
    reply.operationTime = this.clusterTime;
    reply.$clusterTime = this.gossip;
    return reply;
  }

  /** The `failCommand` fail point's action for this command, once its delay (blockConnection) has passed. */
  private async failPoint(name: string, body: Doc, connectionId: number): Promise<FailCommand | null> {
    const app = (body.client as { application?: { name?: unknown } } | undefined)?.application?.name;
    if (typeof app === 'string') this.appNames.set(connectionId, app);
    const fail = this.failPoints?.match(name, this.appNames.get(connectionId)) ?? null;
    if (fail?.blockTimeMS) await new Promise((resolve) => setTimeout(resolve, fail.blockTimeMS));
    return fail;
  }

  /** Forgets what a closed connection told the engine. */
  disconnected(connectionId: number): void {
    this.connectionCount--;
    this.appNames.delete(connectionId);
  }

  private async dispatch(name: string, body: Doc, db: string, connectionId: number): Promise<Doc> {
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new MongoError(59, `no such command: '${name}'`);
    let txn: Txn | null = null;
    const session = body.lsid ? this.sessions.session(body.lsid) : null;
    const ending = TXN_END.has(name);
    if (session && body.autocommit === false && !ending) {
      const start = body.startTransaction === true;
      txn = this.sessions.transaction(session, txnNumberOf(body), start);
      if (txn.state === 'committed') throw new MongoError(256, `Transaction ${txn.number} has been committed.`);
      try {
        checkInTransaction(name, command, body, start);
      } catch (err) {
        this.sessions.abort(session);
        throw err;
      }
    }
    // A retryable write sent again (same session and txnNumber, after a lost reply) is answered, not redone.
    const number =
      session && !txn && body.txnNumber instanceof Long && RETRYABLE_WRITES.has(name) ? body.txnNumber : null;
    const last = session?.lastWrite;
    if (number && last?.number.equals(number)) {
      // Not what execute() added to the first reply.
      const { writeConcernError: _wce, errorLabels: _labels, ...reply } = last.reply;
      return reply;
    }
    const write: WriteContext = txn ? txn.write : { ops: [] };
    const ctx: CommandContext = { engine: this, db, body, write, inTxn: txn !== null, connectionId };
    let reply: Doc;
    try {
      // A transaction's private collections resolve by name while its command runs; commands run synchronously
      // up to their first wait, which only writes outside transactions ever reach.
      this.store.current = txn?.write.txn ?? null;
      let result: Doc | Promise<Doc>;
      try {
        result = command.run(ctx);
      } finally {
        this.store.current = null;
      }
      reply = await result;
    } catch (err) {
      if (txn && session) this.sessions.abort(session);
      throw err;
    }
    if (txn && session && reply.writeErrors) this.sessions.abort(session);
    if (!txn) await this.persist(write.ops);
    if (session && number) session.lastWrite = { number, reply };
    const wce = (command.write || ending) && !txn ? writeConcernError(body.writeConcern) : null;
    return wce ? { ...reply, writeConcernError: wce } : reply;
  }

  private background(): void {
    const now = Date.now();
    this.cursors.reap(now);
    this.sessions.reap(now);
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
    const write: WriteContext = { ops: [] };
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
        for (const doc of expired.values()) {
          try {
            this.store.remove(write, coll, doc);
          } catch (err) {
            // A running transaction wrote it: the next run deletes it if it is still expired.
            if (!(err instanceof Blocked)) throw err;
          }
        }
      }
    }
    this.persist(write.ops).catch((err) => console.error('embedded-db: TTL journal write failed', err));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.snapshotting;
    if (this.journal) {
      await this.journal.snapshot(this.store);
      await this.journal.close();
    }
  }
}

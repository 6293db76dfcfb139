/**
 * Logical sessions and multi-document transactions, with snapshot isolation. A transaction's snapshot starts at its
 * first command; its writes are staged in its `TxnState` (store.ts), never in the store, so readers inside other
 * transactions or outside any are never blocked and never see them. While it runs, every committed change keeps the
 * previous version of the document for it, so it keeps reading its snapshot. Two transactions writing the same
 * document: the second gets WriteConflict (112, TransientTransactionError: drivers' withTransaction retries); a
 * write outside transactions to a document a transaction wrote waits until that one ends, as in MongoDB. Commit
 * publishes every write at once and journals them as one record, so a crash never leaves half a transaction; abort
 * forgets them.
 */
import { createHash } from 'node:crypto';
import { Binary, UUID, type Long } from 'bson';
import type { Doc } from './bson-values';
import { MongoError, transientError } from './errors';
import type { Store, WriteContext } from './store';

export interface Txn {
  number: bigint;
  state: 'active' | 'committed' | 'aborted';
  write: WriteContext & { txn: NonNullable<WriteContext['txn']> };
  timer: NodeJS.Timeout;
}

export interface Session {
  id: string;
  txnNumber: bigint;
  txn: Txn | null;
  lastUse: number;
  /** The reply to the last retryable write (by txnNumber): a retry of it gets the same reply and changes nothing. */
  lastWrite: { number: Long; reply: Doc } | null;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  transactionLifetimeMs = 60_000;

  constructor(private readonly store: Store) {}

  session(lsid: unknown): Session {
    const bin = (lsid as { id?: Binary }).id;
    if (!bin?.buffer) throw new MongoError(2, 'lsid.id must be a UUID');
    const id = Buffer.from(bin.buffer).toString('hex');
    let s = this.sessions.get(id);
    if (!s) this.sessions.set(id, (s = { id, txnNumber: -1n, txn: null, lastUse: Date.now(), lastWrite: null }));
    s.lastUse = Date.now();
    return s;
  }

  end(lsid: unknown): void {
    const s = this.session(lsid);
    if (s.txn?.state === 'active') this.abort(s);
    this.sessions.delete(s.id);
  }

  /** `killAllSessions`: aborts every running transaction and forgets every session. */
  endAll(): void {
    for (const s of this.sessions.values()) this.abort(s);
    this.sessions.clear();
  }

  /** The transaction a command with `txnNumber` and `autocommit: false` runs in, starting it when asked. */
  transaction(s: Session, number: bigint, start: boolean): Txn {
    if (number < s.txnNumber)
      throw new MongoError(
        225,
        `Cannot start transaction ${number} on session because a newer transaction ${s.txnNumber} has already started`,
      );
    if (!start) return this.current(s, number);
    if (number === s.txnNumber && s.txn) throw new MongoError(251, `Transaction ${number} has already been started`);
    if (s.txn?.state === 'active') this.abort(s);
    s.txnNumber = number;
    const txn: Txn = {
      number,
      state: 'active',
      write: { ops: [], txn: this.store.begin() },
      timer: setTimeout(() => this.abort(s), this.transactionLifetimeMs).unref(),
    };
    s.txn = txn;
    return txn;
  }

  current(s: Session, number: bigint): Txn {
    const txn = s.txn;
    if (!txn || txn.number !== number)
      throw transientError(251, `Given transaction number ${number} does not match any in-progress transactions.`);
    if (txn.state === 'aborted')
      throw transientError(251, `Transaction with { txnNumber: ${number} } has been aborted.`);
    return txn;
  }

  /** Publishes the transaction; returns its ops for the journal (empty on a retried commit). */
  commit(s: Session, number: bigint): WriteContext['ops'] {
    const txn = this.current(s, number);
    if (txn.state === 'committed') return [];
    try {
      this.store.publish(txn.write.txn);
    } catch (err) {
      this.abort(s);
      throw err;
    }
    txn.state = 'committed';
    clearTimeout(txn.timer);
    return txn.write.ops;
  }

  /** Forgets the session's active transaction. */
  abort(s: Session): void {
    const txn = s.txn;
    if (!txn || txn.state !== 'active') return;
    txn.state = 'aborted';
    clearTimeout(txn.timer);
    txn.write.ops = [];
    this.store.discard(txn.write.txn);
  }

  /** What `$listLocalSessions` lists: every session this server holds (there are no users: all belong to none). */
  listLocal(): Doc[] {
    const uid = new Binary(createHash('sha256').update('').digest(), 0);
    return [...this.sessions.values()].map((s) => ({
      _id: { id: new UUID(s.id), uid },
      lastUse: new Date(s.lastUse),
    }));
  }

  /** Forgets sessions idle for longer than MongoDB's 30 minute session timeout. */
  reap(now = Date.now()): void {
    for (const [id, s] of this.sessions)
      if (now - s.lastUse > 30 * 60_000 && s.txn?.state !== 'active') this.sessions.delete(id);
  }
}

/**
 * Logical sessions and multi-document transactions. A transaction holds the global write lock from its first
 * command to commit/abort: other transactions wait briefly and then get a retryable WriteConflict (112), writes
 * outside transactions wait until it ends. Its changes are applied in place with an undo log (abort restores
 * them), remembered in their previous versions for readers outside it, and journaled as one record at commit, so a
 * crash never leaves half a transaction.
 */
import type { Binary } from 'bson';
import { MongoError, transientError } from './errors';
import type { WriteContext } from './store';

/** How long a transaction may wait for another one to finish before failing with WriteConflict. */
const TXN_LOCK_WAIT_MS = 1000;

export interface Txn {
  number: bigint;
  state: 'active' | 'committed' | 'aborted';
  write: WriteContext;
  timer: NodeJS.Timeout;
}

export interface Session {
  id: string;
  txnNumber: bigint;
  txn: Txn | null;
  lastUse: number;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private lockOwner: Session | null = null;
  private waiters: Array<() => void> = [];
  transactionLifetimeMs = 60_000;

  session(lsid: unknown): Session {
    const bin = (lsid as { id?: Binary }).id;
    if (!bin?.buffer) throw new MongoError(2, 'lsid.id must be a UUID');
    const id = Buffer.from(bin.buffer).toString('hex');
    let s = this.sessions.get(id);
    if (!s) this.sessions.set(id, (s = { id, txnNumber: -1n, txn: null, lastUse: Date.now() }));
    s.lastUse = Date.now();
    return s;
  }

  /** The sessions in use, for `$listLocalSessions`. */
  list(): Array<Pick<Session, 'id' | 'lastUse'>> {
    return [...this.sessions.values()];
  }

  end(lsid: unknown): void {
    const s = this.session(lsid);
    if (s.txn?.state === 'active') this.abort(s);
    this.sessions.delete(s.id);
  }

  get locked(): boolean {
    return this.lockOwner !== null;
  }

  /** The transaction holding the write lock, if it is still running. */
  get activeTxn(): Txn | null {
    const txn = this.lockOwner?.txn;
    return txn?.state === 'active' ? txn : null;
  }

  /** Resolves when no transaction holds the write lock. */
  async waitUnlocked(): Promise<void> {
    while (this.lockOwner) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(s: Session): void {
    if (this.lockOwner !== s) return;
    this.lockOwner = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The transaction a command with `txnNumber` and `autocommit: false` runs in, starting it when asked. */
  async transaction(s: Session, number: bigint, start: boolean): Promise<Txn> {
    if (number < s.txnNumber)
      throw new MongoError(
        225,
        `Cannot start transaction ${number} on session because a newer transaction ${s.txnNumber} has already started`,
      );
    if (!start) return this.current(s, number);
    if (number === s.txnNumber && s.txn) throw new MongoError(251, `Transaction ${number} has already been started`);
    if (s.txn?.state === 'active') this.abort(s);
    const deadline = Date.now() + TXN_LOCK_WAIT_MS;
    while (this.lockOwner && this.lockOwner !== s) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw transientError(
          112,
          'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
        );
      await Promise.race([
        new Promise<void>((resolve) => this.waiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, left).unref()),
      ]);
    }
    this.lockOwner = s;
    s.txnNumber = number;
    const txn: Txn = {
      number,
      state: 'active',
      write: { ops: [], undo: [], before: new Map() },
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

  /** Ends the transaction successfully; returns its ops for the journal (empty on a retried commit). */
  commit(s: Session, number: bigint): WriteContext['ops'] {
    const txn = this.current(s, number);
    if (txn.state === 'committed') return [];
    txn.state = 'committed';
    clearTimeout(txn.timer);
    this.release(s);
    return txn.write.ops;
  }

  /** Rolls the session's active transaction back. */
  abort(s: Session): void {
    const txn = s.txn;
    if (!txn || txn.state !== 'active') return;
    txn.state = 'aborted';
    clearTimeout(txn.timer);
    const undo = txn.write.undo ?? [];
    for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)();
    txn.write.ops = [];
    this.release(s);
  }

  /** Forgets sessions idle for longer than MongoDB's 30 minute session timeout. */
  reap(now = Date.now()): void {
    for (const [id, s] of this.sessions)
      if (now - s.lastUse > 30 * 60_000 && s.txn?.state !== 'active') this.sessions.delete(id);
  }
}

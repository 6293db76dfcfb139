/**
 * Durability. The data directory holds:
 *   LOCK                 pid of the process that has the directory open
 *   snapshot.bson        a full copy of the store, written to a temp file, fsynced and renamed into place
 *   journal-NNNNNN.log   records appended after that snapshot (the snapshot names the first journal it needs)
 * Records are `[u32 length][u32 crc32][BSON]`. A write is acknowledged only after its record is on stable storage
 * (the journal is opened O_DSYNC); records queued while a write runs share the next one (group commit). A journal
 * is zero-filled ahead of small records (see PREALLOCATE), so it may end in zeros. Replay stops at the first torn or
 * corrupt record and truncates it away, so a crash at any moment leaves every acknowledged write and nothing
 * half-written; a journal whose records end in zeros alone ended cleanly.
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
} from 'node:fs';
import { truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { deserialize, serialize } from 'bson';
import { BSON_READ, serializeWhole, type Doc } from './bson-values';
import type { IndexSpec } from './indexes';
import { splitNs, type Collection, type JournalOp, type Store } from './store';

const HEADER = 8;
/**
 * O_DSYNC: each write returns once its data is on stable storage, saving a separate fdatasync round trip. Not
 * O_APPEND: records are written at their offset, into space written ahead.
 */
const JOURNAL_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_DSYNC;
/**
 * A journal grows by this many zero bytes at a time, written (with O_DSYNC) ahead of the records. A record then
 * overwrites blocks that are allocated and already written, and its durable write flushes the data alone; a record
 * appended past the end also changes the file's size and extents, which costs an ext4 journal commit on each write.
 * Zeros rather than fallocate: fallocated blocks stay marked unwritten until first written, a metadata change too.
 */
const PREALLOCATE = 1024 * 1024;
/**
 * Records from this size up (bulk inserts) are appended past the zeros instead: one metadata commit is little
 * against their data, and writing zeros ahead of them would double the bytes written.
 */
const APPEND_FROM = 64 * 1024;
const SNAPSHOT = 'snapshot.bson';
/** Documents serialized between two snapshot writes (keeps the event loop responsive). */
const SNAPSHOT_BATCH = 2000;
const journalName = (seq: number): string => `journal-${String(seq).padStart(6, '0')}.log`;
const openDirs = new Set<string>();

/**
 * The calls through which journal records reach the disk, in one object so tests can watch them: a SIGKILL test
 * cannot tell a synchronous write from one left in the page cache, nor an acknowledgement that ran ahead of its
 * record, but the open flags and a failing write can.
 */
export const journalFile = { open: openSync, write: writeSync };

/** A record as written: `[u32 length][u32 crc32][body]`. */
function frameBody(body: Uint8Array): Buffer[] {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return [head, Buffer.from(body.buffer, body.byteOffset, body.length)];
}

export function frame(record: Doc): Buffer {
  return Buffer.concat(frameBody(serializeWhole(record)));
}

/** How much of a file is read at a time; a record larger than this grows the buffer. */
const READ_CHUNK = 16 * 1024 * 1024;

/** Whether `file` holds nothing but zeros from `from` to `to`: the space written ahead of the records. */
function zerosFrom(file: string, from: number, to: number): boolean {
  const fd = openSync(file, 'r');
  try {
    const zeros = Buffer.alloc(Math.min(to - from, PREALLOCATE));
    const buf = Buffer.allocUnsafe(zeros.length);
    for (let pos = from; pos < to;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, to - pos), pos);
      if (n === 0 || !buf.subarray(0, n).equals(zeros.subarray(0, n))) return false;
      pos += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads consecutive framed records from a file a chunk at a time, calling `visit` with each intact record's body
 * (a view valid during the call only). Stops at the first torn or corrupt record; `end` is the offset after the
 * last intact one.
 */
export function readFrames(file: string, visit: (body: Buffer) => void): { end: number; size: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(Math.min(size, READ_CHUNK));
    let start = 0; // unparsed bytes are buf[start, filled), starting at file offset `end`
    let filled = 0;
    let end = 0;
    for (;;) {
      while (filled - start >= HEADER) {
        const len = buf.readUInt32LE(start);
        if (filled - start < HEADER + len) break;
        const body = buf.subarray(start + HEADER, start + HEADER + len);
        if (len < 5 || crc32(body) !== buf.readUInt32LE(start + 4)) return { end, size };
        visit(body);
        start += HEADER + len;
        end += HEADER + len;
      }
      const pending = filled - start;
      const needed = pending >= HEADER ? HEADER + buf.readUInt32LE(start) : HEADER;
      if (end + needed > size) return { end, size };
      const next = needed > buf.length ? Buffer.allocUnsafe(needed) : buf;
      buf.copy(next, 0, start, filled);
      buf = next;
      start = 0;
      filled = pending;
      while (filled < needed) filled += readSync(fd, buf, filled, buf.length - filled, end + filled);
    }
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims the directory for this process; a LOCK left by a dead process is taken over. */
function lockDir(dir: string): void {
  const lock = join(dir, 'LOCK');
  if (openDirs.has(dir)) throw new Error(`embedded-db: data directory ${dir} is already open in this process`);
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (pid && pid !== process.pid && processAlive(pid))
      throw new Error(`embedded-db: data directory ${dir} is in use by process ${pid}`);
  }
  writeFileSync(lock, String(process.pid));
  openDirs.add(dir);
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class Journal {
  /** Where the next record goes: the end of the last record written. */
  private end = 0;
  /** The journal file's size, zeros from `end` on. */
  private allocated = 0;
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private snapshotting = false;
  /** Bytes appended since the last snapshot, and the size of that snapshot: when the next one is due. */
  private bytesSinceSnapshot = 0;
  private snapshotSize = 0;

  private constructor(
    private readonly dir: string,
    private fd: number,
    private seq: number,
  ) {}

  /** Locks the directory, loads the snapshot, replays the journals into `store` and opens the last for appends. */
  static async open(dir: string, store: Store): Promise<Journal> {
    mkdirSync(dir, { recursive: true });
    lockDir(dir);
    try {
      const firstSeq = loadSnapshot(join(dir, SNAPSHOT), store);
      const seqs = readdirSync(dir)
        .map((f) => /^journal-(\d+)\.log$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
      for (const s of seqs.filter((s) => s < firstSeq)) unlinkSync(join(dir, journalName(s)));
      let seq = Math.max(firstSeq, ...seqs);
      let bytes = 0;
      // The last journal's records end at `last.end`; the file (zeros after that) is `last.size` long.
      let last = { end: 0, size: 0 };
      for (const s of seqs.filter((s) => s >= firstSeq)) {
        const file = join(dir, journalName(s));
        last = readFrames(file, (body) => {
          for (const op of deserialize(body, BSON_READ).ops as JournalOp[]) store.apply(op);
        });
        bytes += last.end;
        if (last.end < last.size && !zerosFrom(file, last.end, last.size)) {
          // A torn tail: everything after it was never acknowledged.
          truncateSync(file, last.end);
          for (const later of seqs.filter((x) => x > s)) unlinkSync(join(dir, journalName(later)));
          seq = s;
          last = { end: last.end, size: last.end };
          break;
        }
      }
      if (!seqs.includes(seq)) last = { end: 0, size: 0 };
      const fd = journalFile.open(join(dir, journalName(seq)), JOURNAL_FLAGS);
      fsyncDir(dir);
      const journal = new Journal(dir, fd, seq);
      journal.end = last.end;
      journal.allocated = last.size;
      journal.bytesSinceSnapshot = bytes;
      journal.snapshotSize = existsSync(join(dir, SNAPSHOT)) ? statSync(join(dir, SNAPSHOT)).size : 0;
      return journal;
    } catch (err) {
      openDirs.delete(dir);
      throw err;
    }
  }

  /**
   * Queues a record of ops; resolves once it is on disk. Records queued in the same event-loop turn are written
   * together by one synchronous O_DSYNC write (cheaper than two thread-pool round trips per commit).
   */
  append(ops: JournalOp[]): Promise<void> {
    const buf = frame({ ops });
    this.pending.push(buf);
    this.bytesSinceSnapshot += buf.length;
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.flushing ??= new Promise((done) =>
        setImmediate(() => {
          this.flushNow();
          done();
        }),
      );
    });
  }

  private flushNow(): void {
    // One caller at a time (the common case) queues one record: written as it is, not copied.
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.flushing = null;
    try {
      if (this.end + data.length > this.allocated && data.length < APPEND_FROM) this.preallocate();
      for (let off = 0; off < data.length;)
        off += journalFile.write(this.fd, data, off, data.length - off, this.end + off);
      this.end += data.length;
      this.allocated = Math.max(this.allocated, this.end);
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }

  /** Writes PREALLOCATE zero bytes after the last record (see PREALLOCATE). */
  private preallocate(): void {
    const zeros = Buffer.alloc(this.end + PREALLOCATE - this.allocated);
    for (let off = 0; off < zeros.length;)
      off += writeSync(this.fd, zeros, off, zeros.length - off, this.allocated + off);
    this.allocated += zeros.length;
  }

  /**
   * Whether a snapshot is due: the journal has passed `minBytes` and the size of the last snapshot, so that with
   * large data sets snapshots (which write everything) cost no more than the journal they replace.
   */
  snapshotDue(minBytes: number): boolean {
    return this.bytesSinceSnapshot > Math.max(minBytes, this.snapshotSize);
  }

  /** Measures one small durable append (write with O_DSYNC), for the benchmark's report. */
  async fsyncCostMs(samples = 50): Promise<number> {
    await this.append([]); // not timed: a journal's first write also writes the zeros ahead
    const start = process.hrtime.bigint();
    for (let i = 0; i < samples; i++) await this.append([]);
    return Number(process.hrtime.bigint() - start) / 1e6 / samples;
  }

  /**
   * Writes a snapshot of `store` and drops the journals it covers. The caller guarantees the store holds no
   * uncommitted transaction. The store is captured synchronously (documents are immutable, so holding references
   * is enough) and serialized batch by batch between writes; appends made meanwhile go to a new journal.
   */
  async snapshot(store: Store): Promise<void> {
    if (this.snapshotting) return;
    this.snapshotting = true;
    try {
      const newSeq = this.seq + 1;
      const colls = store.all().map((c) => ({ coll: c, docs: [...c.docs.values()] }));
      if (this.pending.length) this.flushNow();
      const oldFd = this.fd;
      const oldSeq = this.seq;
      this.fd = journalFile.open(join(this.dir, journalName(newSeq)), JOURNAL_FLAGS);
      this.seq = newSeq;
      this.end = 0;
      this.allocated = 0;
      this.bytesSinceSnapshot = 0;
      closeSync(oldFd);
      fsyncDir(this.dir);
      const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
      const out = await open(tmp, 'w');
      try {
        await out.write(frame({ t: 'snapshot', seq: newSeq }));
        for (const { coll, docs } of colls) {
          await out.write(frame(collectionRecord(coll, docs.length)));
          for (let i = 0; i < docs.length; i += SNAPSHOT_BATCH) {
            const batch = docs.slice(i, i + SNAPSHOT_BATCH).flatMap((d) => frameBody(serialize(d)));
            await out.write(Buffer.concat(batch));
          }
        }
        await out.write(frame({ t: 'end' }));
        await out.sync();
        this.snapshotSize = (await out.stat()).size;
      } finally {
        await out.close();
      }
      renameSync(tmp, join(this.dir, SNAPSHOT));
      fsyncDir(this.dir);
      for (let s = oldSeq; s > 0 && existsSync(join(this.dir, journalName(s))); s--)
        unlinkSync(join(this.dir, journalName(s)));
    } finally {
      this.snapshotting = false;
    }
  }

  async close(): Promise<void> {
    while (this.snapshotting) await new Promise((r) => setTimeout(r, 10));
    if (this.pending.length) this.flushNow();
    // A clean stop leaves the journal ending at its last record; the zeros ahead only matter while it is written.
    ftruncateSync(this.fd, this.end);
    closeSync(this.fd);
    unlinkSync(join(this.dir, 'LOCK'));
    openDirs.delete(this.dir);
  }
}

/** Snapshot layout: a `snapshot` record; per collection a `coll` record followed by `count` documents, one per record; `end`. */
function collectionRecord(coll: Collection, count: number): Doc {
  const indexes = [...coll.indexes.values()].filter((i) => !i.isId).map((i) => i.spec);
  return { t: 'coll', ns: coll.ns, opts: coll.options, indexes, count };
}

/**
 * Loads a snapshot into `store`, streaming it, then builds every index in one sort; returns the first journal
 * sequence number that must be replayed after it. Older snapshots held `docs` records of up to 1,000 documents.
 */
function loadSnapshot(file: string, store: Store): number {
  if (!existsSync(file)) return 1;
  const records: Doc[] = [];
  let coll: Collection | undefined;
  let docsLeft = 0;
  const indexes: Array<[Collection, IndexSpec[]]> = [];
  readFrames(file, (body) => {
    if (docsLeft > 0 && coll) {
      store.load(coll, deserialize(body, BSON_READ));
      docsLeft--;
      return;
    }
    const r = deserialize(body, BSON_READ);
    records.push(r);
    if (r.t === 'coll') {
      const ns = r.ns as string;
      store.apply({ o: 'cc', ns, opts: r.opts as Doc });
      coll = store.get(...splitNs(ns));
      if (coll) indexes.push([coll, r.indexes as IndexSpec[]]);
      docsLeft = Number(r.count ?? 0);
    } else if (r.t === 'docs' && coll) {
      for (const d of r.docs as Doc[]) store.load(coll, d);
    }
  });
  const head = records[0];
  if (head?.t !== 'snapshot' || records[records.length - 1]?.t !== 'end' || docsLeft > 0)
    throw new Error(`embedded-db: snapshot ${file} is incomplete or corrupt`);
  for (const [c, specs] of indexes) store.reindex(c, specs);
  return Number(head.seq);
}

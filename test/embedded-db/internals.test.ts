/** Unit tests of engine internals: BSON-aware comparison, the ordered index entries and the journal's replay rules. */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal128, Long, ObjectId } from 'bson';
import { compareValues, valueKey, valuesEqual } from '../../server/embedded-db/bson-values';
import { Journal, frame } from '../../server/embedded-db/journal';
import { SortedEntries, type Position } from '../../server/embedded-db/ordered';
import { Store } from '../../server/embedded-db/store';

describe('BSON-aware comparison', () => {
  it('orders numbers across types exactly', () => {
    expect(compareValues(Long.fromString('9007199254740993'), 9007199254740992)).toBe(1);
    expect(compareValues(Decimal128.fromString('0.30'), 0.3)).toBe(0);
    expect(compareValues(Decimal128.fromString('-1E+3'), -999)).toBe(-1);
    expect(valuesEqual(Long.fromNumber(5), 5)).toBe(true);
    expect(valueKey(Decimal128.fromString('5.000'))).toBe(valueKey(5));
  });

  it('orders types as MongoDB does and subdocuments by field order', () => {
    const ordered = [null, 1, 'a', { a: 1 }, [1], new ObjectId('000000000000000000000000'), false, new Date(0), /x/];
    for (let i = 1; i < ordered.length; i++) expect(compareValues(ordered[i - 1], ordered[i])).toBeLessThan(0);
    expect(valuesEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(valuesEqual(undefined, null)).toBe(true);
  });
});

describe('ordered index entries', () => {
  const byNumber = (a: number, b: number): number => a - b;
  const order = (a: [number, string], b: [number, string]): number =>
    a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
  const all = (e: SortedEntries<number>, reverse = false): Array<[number, string]> => {
    const out: Array<[number, string]> = [];
    e.walk(e.start, e.end, reverse, (k, id) => void out.push([k, id]));
    return out;
  };

  it('stays sorted through random inserts and deletes that split, merge and empty leaves', () => {
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const e = new SortedEntries<number>(byNumber);
    let model: Array<[number, string]> = [];
    const present = new Set<string>();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3000; i++) {
        const entry: [number, string] = [random(500), `id${random(100000)}`];
        if (present.has(entry.join('/'))) continue;
        present.add(entry.join('/'));
        e.insert(entry[0], entry[1]);
        model.push(entry);
      }
      // Delete most of one key range, so that leaves thin out and merge or disappear.
      const doomed = (k: number): boolean => k >= round * 100 && k < round * 100 + 90;
      for (const [k, id] of model.filter(([k]) => doomed(k))) {
        expect(e.delete(k, id)).toBe(true);
        present.delete(`${k}/${id}`);
      }
      model = model.filter(([k]) => !doomed(k));
      expect(e.delete(-1, 'none')).toBe(false);
      model.sort(order);
      expect(e.size).toBe(model.length);
      expect(all(e)).toEqual(model);
      expect(all(e, true)).toEqual([...model].reverse());
    }
  });

  it('seeks to the first entry after a probe and walks ranges both ways', () => {
    const e = new SortedEntries<number>(byNumber);
    e.fill(
      Array.from({ length: 1000 }, (_, i) => Math.floor(i / 4)),
      Array.from({ length: 1000 }, (_, i) => `id${String(i).padStart(4, '0')}`),
    );
    const from: Position = e.seek((k) => k - 100 || 1);
    const to: Position = e.seek((k) => k - 102 || -1);
    const keys = (reverse: boolean): number[] => {
      const out: number[] = [];
      e.walk(from, to, reverse, (k) => void out.push(k));
      return out;
    };
    expect(keys(false)).toEqual([100, 100, 100, 100, 101, 101, 101, 101, 102, 102, 102, 102]);
    expect(keys(true)).toEqual(keys(false).reverse());
    expect(e.distance(from, to)).toBeGreaterThan(6);
    expect(e.seek(() => -1)).toEqual(e.end);
  });
});

describe('journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'edb-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const journalFile = (): string =>
    join(
      dir,
      readdirSync(dir).find((f) => f.startsWith('journal-'))!,
    );
  const docsOf = (store: Store): unknown[] => [...(store.get('db', 'c')?.docs.values() ?? [])].map((d) => d.n);

  async function writeDocs(ns: number[]): Promise<void> {
    const journal = await Journal.open(dir, new Store());
    for (const n of ns) await journal.append([{ o: 'put', ns: 'db.c', d: { _id: n, n } }]);
    await journal.close();
  }

  it('replays appended records and ignores a torn tail', async () => {
    await writeDocs([1, 2, 3]);
    const file = journalFile();
    const full = readFileSync(file).length;
    appendFileSync(file, frame({ ops: [{ o: 'put', ns: 'db.c', d: { _id: 4, n: 4 } }] }).subarray(0, 20));
    const store = new Store();
    const journal = await Journal.open(dir, store);
    expect(docsOf(store)).toEqual([1, 2, 3]);
    expect(readFileSync(file).length).toBe(full);
    await journal.append([{ o: 'put', ns: 'db.c', d: { _id: 5, n: 5 } }]);
    await journal.close();
    const again = new Store();
    await (await Journal.open(dir, again)).close();
    expect(docsOf(again)).toEqual([1, 2, 3, 5]);
  });

  it('stops at a record whose checksum does not match', async () => {
    await writeDocs([1, 2, 3]);
    const file = journalFile();
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0xff, bytes.length - 3);
    writeFileSync(file, bytes);
    const store = new Store();
    await (await Journal.open(dir, store)).close();
    expect(docsOf(store)).toEqual([1, 2]);
  });

  it('restores from a snapshot plus the journal written after it', async () => {
    const store = new Store();
    const journal = await Journal.open(dir, store);
    store.createIndex(null, store.ensure(null, 'db', 'c'), { v: 2, key: { n: 1 }, name: 'n_1', unique: true });
    for (const n of [1, 2]) store.apply({ o: 'put', ns: 'db.c', d: { _id: n, n } });
    await journal.snapshot(store);
    await journal.append([{ o: 'put', ns: 'db.c', d: { _id: 3, n: 3 } }]);
    await journal.close();
    const restored = new Store();
    await (await Journal.open(dir, restored)).close();
    expect(docsOf(restored)).toEqual([1, 2, 3]);
    expect([...restored.get('db', 'c')!.indexes.keys()]).toEqual(['_id_', 'n_1']);
  });

  it('refuses a directory locked by a live process', async () => {
    writeFileSync(join(dir, 'LOCK'), String(process.ppid));
    await expect(Journal.open(dir, new Store())).rejects.toThrow(/in use by process/);
    writeFileSync(join(dir, 'LOCK'), '999999999');
    await (await Journal.open(dir, new Store())).close();
  });
});

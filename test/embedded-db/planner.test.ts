/**
 * Conformance of the query planner's index paths: ranges on single and compound indexes, sorts provided by an
 * index (forwards, backwards, with skip and limit, across getMore), multikey fields, sparse and partial index
 * rules, `$or` unions, aggregate pipelines, and index maintenance under updates, transactions and restarts.
 * Every answer is checked against a forced collection scan; plan shapes are checked through `explain`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Decimal128,
  Long,
  MongoClient,
  ObjectId,
  type Collection,
  type Db,
  type Document,
  type FindCursor,
} from 'mongodb';
import { startEmbeddedDb } from '../../server/embedded-db';
import { againstRealMongo, openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  db = h.db();
});

interface PlanSummary {
  stages: string[];
  index?: string;
  direction?: string;
  keys: number;
  docs: number;
}

function stagesOf(plan: Document): Document[] {
  const inner = [plan.inputStage, ...(plan.inputStages ?? [])].filter(Boolean) as Document[];
  return [plan, ...inner.flatMap(stagesOf)];
}

function summarize(explained: Document): PlanSummary {
  const report = (explained.stages?.[0]?.$cursor ?? explained) as Document;
  const stages = stagesOf(report.queryPlanner.winningPlan);
  const ixscan = stages.find((s) => s.stage === 'IXSCAN');
  return {
    stages: stages.map((s) => s.stage as string),
    index: ixscan?.indexName,
    direction: ixscan?.direction,
    keys: report.executionStats.totalKeysExamined,
    docs: report.executionStats.totalDocsExamined,
  };
}

/** The plan the server chose; plan details are only asserted against the embedded engine. */
async function planOf(cursor: FindCursor | { explain(v: string): Promise<Document> }): Promise<PlanSummary | null> {
  return againstRealMongo ? null : summarize(await cursor.explain('executionStats'));
}

const values = (docs: Document[], field = 'n'): unknown[] => docs.map((d) => d[field]);

/** The same query answered by a collection scan. */
function scan(c: Collection, filter: Document, sort?: Document): Promise<Document[]> {
  const cursor = c.find(filter).hint({ $natural: 1 });
  return (sort ? cursor.sort(sort) : cursor).toArray();
}

describe('ranges', () => {
  it('bounds a single-field index by $gt/$gte/$lt/$lte within the operand type', async () => {
    const c = db.collection('range');
    await c.createIndex({ n: 1 });
    await c.insertMany([
      ...Array.from({ length: 100 }, (_, i) => ({ n: i })),
      { n: 'text' },
      { n: null },
      {},
      { n: new Date(5) },
      { n: Long.fromNumber(50) },
      { n: Decimal128.fromString('50.5') },
      { n: 50.25 },
    ]);
    const filter = { n: { $gt: 49, $lte: 51 } };
    const got = await c.find(filter).sort({ n: 1 }).toArray();
    expect(values(got).map(String)).toEqual(['50', '50', '50.25', '50.5', '51']);
    expect(got).toHaveLength((await scan(c, filter)).length);
    const plan = await planOf(c.find(filter));
    if (plan) {
      expect(plan.stages).toEqual(['FETCH', 'IXSCAN']);
      expect(plan.keys).toBe(5);
    }
    expect(values(await c.find({ n: { $lt: 2 } }).toArray())).toEqual([0, 1]);
    expect(values(await c.find({ n: { $gte: 'a' } }).toArray())).toEqual(['text']);
    expect(values(await c.find({ n: { $lt: new Date(6) } }).toArray())).toEqual([new Date(5)]);
    expect(await c.countDocuments({ n: { $gt: 200 } })).toBe(0);
    expect(await c.countDocuments({ n: { $gt: 5, $lt: 'z' } })).toBe(0);
  });

  it('bounds equality on a compound prefix followed by a range on the next field', async () => {
    const c = db.collection('compound');
    await c.createIndex({ g: 1, n: -1 });
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ g: ['x', 'y', 'z'][i % 3], n: i })));
    const filter = { g: 'y', n: { $gte: 100, $lt: 130 } };
    const got = await c.find(filter).toArray();
    expect(values(got)).toEqual([127, 124, 121, 118, 115, 112, 109, 106, 103, 100]);
    const plan = await planOf(c.find(filter));
    if (plan) expect([plan.index, plan.keys, plan.docs]).toEqual(['g_1_n_-1', 10, 10]);
    const inFilter = { g: { $in: ['z', 'x'] }, n: { $lt: 7 } };
    expect(values(await c.find(inFilter).sort({ n: 1 }).toArray())).toEqual([0, 2, 3, 5, 6]);
    const inPlan = await planOf(c.find(inFilter));
    if (inPlan) expect([inPlan.index, inPlan.keys]).toEqual(['g_1_n_-1', 5]);
  });

  it('orders values of different BSON types as MongoDB does', async () => {
    const c = db.collection('types');
    await c.createIndex({ v: 1 });
    const oid = new ObjectId('650000000000000000000000');
    await c.insertMany(
      [true, 'b', 3, null, oid, new Date(0), 'a', -1, Long.fromNumber(2), { x: 1 }, [7, 'z'], false, 2.5].map(
        (v, i) => ({ i, v }),
      ),
    );
    const sorted = await c.find().sort({ v: 1, i: 1 }).toArray();
    expect(values(sorted, 'i')).toEqual(values(await scan(c, {}, { v: 1, i: 1 }), 'i'));
    const viaIndex = await c.find({}).sort({ v: -1 }).toArray();
    expect(values(viaIndex, 'i')).toEqual(values(await scan(c, {}, { v: -1 }), 'i'));
    const plan = await planOf(c.find({}).sort({ v: -1 }));
    if (plan) expect(plan.stages).toEqual(['FETCH', 'IXSCAN']);
  });
});

describe('sorts provided by an index', () => {
  let c: Collection;
  beforeEach(async () => {
    c = db.collection('sorted');
    await c.createIndex({ g: 1, n: -1 });
    await c.insertMany(Array.from({ length: 500 }, (_, i) => ({ g: i % 5, n: (i * 37) % 500, pad: 'x' })));
  });

  it('reads forwards and backwards with skip and limit, about skip + limit entries', async () => {
    const down = await c.find({ g: 2 }).sort({ n: -1 }).skip(3).limit(4).toArray();
    const want = await scan(c, { g: 2 }, { n: -1 });
    expect(values(down)).toEqual(values(want).slice(3, 7));
    const up = await c.find({ g: 2 }).sort({ n: 1 }).limit(5).toArray();
    expect(values(up)).toEqual(values(want).reverse().slice(0, 5));
    const downPlan = await planOf(c.find({ g: 2 }).sort({ n: -1 }).skip(3).limit(4));
    const upPlan = await planOf(c.find({ g: 2 }).sort({ n: 1 }).limit(5));
    if (downPlan && upPlan) {
      expect(downPlan.stages).not.toContain('SORT');
      expect([downPlan.direction, downPlan.keys]).toEqual(['forward', 7]);
      expect([upPlan.direction, upPlan.keys]).toEqual(['backward', 5]);
    }
  });

  it('pages with a keyset cursor', async () => {
    const pages: unknown[] = [];
    let last: number | null = null;
    for (;;) {
      const filter: Document = last === null ? { g: 4 } : { g: 4, n: { $lt: last } };
      const page = await c.find(filter).sort({ n: -1 }).limit(20).toArray();
      if (page.length === 0) break;
      pages.push(...values(page));
      last = page[page.length - 1]!.n as number;
      const plan = await planOf(c.find(filter).sort({ n: -1 }).limit(20));
      if (plan) expect(plan.keys).toBeLessThanOrEqual(20);
    }
    expect(pages).toEqual(values(await scan(c, { g: 4 }, { n: -1 })));
  });

  it('continues index-ordered results over getMore batches', async () => {
    const got: unknown[] = [];
    for await (const doc of c
      .find({ g: { $gte: 1 } })
      .sort({ g: 1, n: -1 })
      .batchSize(7))
      got.push([doc.g, doc.n]);
    const want = (await scan(c, { g: { $gte: 1 } }, { g: 1, n: -1 })).map((d) => [d.g, d.n]);
    expect(got).toEqual(want);
    expect(got).toHaveLength(400);
  });

  it('sorts on an index whose fields the filter does not bound, and reverses compound orders', async () => {
    const all = await c.find({ pad: 'x' }).sort({ g: -1, n: 1 }).limit(10).toArray();
    expect(all.map((d) => [d.g, d.n])).toEqual(
      (await scan(c, { pad: 'x' }, { g: -1, n: 1 })).slice(0, 10).map((d) => [d.g, d.n]),
    );
    const plan = await planOf(c.find({ pad: 'x' }).sort({ g: -1, n: 1 }).limit(10));
    if (plan) expect([plan.stages.includes('SORT'), plan.direction, plan.keys]).toEqual([false, 'backward', 10]);
    const mixed = await planOf(c.find({}).sort({ g: 1, n: 1 }).limit(10));
    if (mixed) expect(mixed.stages).toContain('SORT');
  });

  it('serves aggregate pipelines that start with $match, $sort and $limit', async () => {
    const pipeline = [
      { $match: { g: 1, n: { $lt: 300 } } },
      { $sort: { n: -1 } },
      { $limit: 3 },
      { $project: { _id: 0, n: 1 } },
    ];
    expect(await c.aggregate(pipeline).toArray()).toEqual(
      (await scan(c, { g: 1, n: { $lt: 300 } }, { n: -1 })).slice(0, 3).map((d) => ({ n: d.n })),
    );
    const plan = await planOf(c.aggregate(pipeline));
    if (plan) expect([plan.index, plan.stages.includes('SORT'), plan.keys]).toEqual(['g_1_n_-1', false, 3]);
    const grouped = await c
      .aggregate([
        { $match: { g: { $in: [0, 3] }, n: { $gte: 100, $lt: 200 } } },
        { $group: { _id: '$g', n: { $sum: 1 } } },
      ])
      .sort({ _id: 1 })
      .toArray();
    expect(grouped).toEqual([
      { _id: 0, n: 20 },
      { _id: 3, n: 20 },
    ]);
  });
});

describe('multikey fields', () => {
  it('gives a scan’s answers for ranges and sorts on arrays', async () => {
    const c = db.collection('multikey');
    await c.createIndex({ tags: 1 });
    await c.createIndex({ g: 1, scores: -1 });
    await c.insertMany([
      { i: 0, g: 1, tags: ['b', 'e'], scores: [1, 9] },
      { i: 1, g: 1, tags: ['c'], scores: [5] },
      { i: 2, g: 1, tags: [], scores: 4 },
      { i: 3, g: 1, tags: 'd', scores: [2, 3, 8] },
      { i: 4, g: 2, scores: [] },
      { i: 5, g: 1, tags: ['a', 'f'], scores: [6, 0] },
    ]);
    const cases: Array<[Document, Document]> = [
      [{ tags: { $gte: 'c', $lte: 'd' } }, { tags: 1, i: 1 }],
      [{ tags: { $gt: 'b' } }, { tags: -1, i: 1 }],
      [{}, { tags: 1, i: 1 }],
      [{ g: 1 }, { scores: -1, i: 1 }],
      [{ g: 1 }, { scores: 1, i: 1 }],
      [
        { g: 1, scores: { $gt: 4, $lt: 6 } },
        { scores: -1, i: 1 },
      ],
      [
        { g: 1, scores: { $gt: 4 } },
        { scores: 1, i: 1 },
      ],
    ];
    for (const [filter, sort] of cases) {
      const label = JSON.stringify({ filter, sort });
      const got = values(await c.find(filter).sort(sort).toArray(), 'i');
      expect({ label, got }).toEqual({ label, got: values(await scan(c, filter, sort), 'i') });
      const limited = values(await c.find(filter).sort(sort).limit(2).toArray(), 'i');
      expect({ label, limited }).toEqual({ label, limited: got.slice(0, 2) });
    }
    // A bounded multikey field cannot order the walk (its first entry in range is not its sort key): sorted.
    const bounded = await planOf(c.find({ tags: { $gt: 'b' } }).sort({ tags: 1 }));
    if (bounded) expect(bounded.stages).toEqual(['SORT', 'FETCH', 'IXSCAN']);
    const unbounded = await planOf(c.find({ g: 1 }).sort({ scores: -1 }).limit(2));
    if (unbounded) expect(unbounded.stages).toEqual(['LIMIT', 'FETCH', 'IXSCAN']);
  });
});

describe('sparse and partial indexes', () => {
  it('uses a sparse index only when the query needs the field or the index holds every document', async () => {
    const c = db.collection('sparse');
    await c.createIndex({ s: 1 }, { sparse: true });
    await c.insertMany([{ s: 2 }, { s: 1 }, { t: 1 }, { s: null }]);
    expect(values(await c.find({}).sort({ s: 1 }).toArray(), 's')).toEqual([undefined, null, 1, 2]);
    const sortOnly = await planOf(c.find({}).sort({ s: 1 }));
    if (sortOnly) expect(sortOnly.stages).toEqual(['SORT', 'COLLSCAN']);
    expect(values(await c.find({ s: { $gte: 1 } }).toArray(), 's')).toEqual([1, 2]);
    const bounded = await planOf(c.find({ s: { $gte: 1 } }));
    if (bounded) expect(bounded.index).toBe('s_1');
    await c.deleteOne({ t: 1 });
    const whole = await planOf(c.find({}).sort({ s: -1 }));
    if (whole) expect(whole.stages).toEqual(['FETCH', 'IXSCAN']);
  });

  it('uses a partial index only when the query implies its filter', async () => {
    const c = db.collection('partial');
    await c.createIndex({ at: -1 }, { partialFilterExpression: { state: 'open' } });
    await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ at: i, state: i % 3 ? 'open' : 'done' })));
    expect(
      values(
        await c
          .find({ at: { $lt: 4 } })
          .sort({ at: 1 })
          .toArray(),
        'at',
      ),
    ).toEqual([0, 1, 2, 3]);
    const unrelated = await planOf(c.find({ at: { $lt: 4 } }));
    if (unrelated) expect(unrelated.stages).toEqual(['COLLSCAN']);
    const implied = { state: 'open', at: { $lt: 10 } };
    expect(values(await c.find(implied).sort({ at: -1 }).toArray(), 'at')).toEqual([8, 7, 5, 4, 2, 1]);
    const plan = await planOf(c.find(implied).sort({ at: -1 }));
    if (plan) expect([plan.stages.includes('SORT'), plan.index, plan.keys]).toEqual([false, 'at_-1', 6]);
  });
});

it('unions index scans for a $or whose branches are all indexed', async () => {
  const c = db.collection('or');
  await c.createIndex({ a: 1 });
  await c.createIndex({ b: 1 });
  await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ a: i, b: i % 50 })));
  const filter = { $or: [{ a: { $lt: 3 } }, { b: 7 }, { a: 7 }] };
  const got = values(await c.find(filter).sort({ a: 1 }).toArray(), 'a');
  expect(got).toEqual([0, 1, 2, 7, 57, 107, 157]);
  const plan = await planOf(c.find(filter));
  if (plan) expect([plan.stages[0], plan.docs]).toEqual(['OR', 7]);
  const partlyIndexed = await planOf(c.find({ $or: [{ a: 1 }, { c: 1 }] }));
  if (partlyIndexed) expect(partlyIndexed.stages).toEqual(['COLLSCAN']);
});

describe('index maintenance', () => {
  it('keeps an open cursor’s results while updates move documents within the index order', async () => {
    const c = db.collection('moving');
    await c.createIndex({ n: 1 });
    await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ i, n: i * 10 })));
    const cursor = c
      .find({ n: { $gte: 0 } })
      .sort({ n: 1 })
      .batchSize(5);
    const seen: number[] = [];
    for (let k = 0; k < 5; k++) seen.push((await cursor.next())!.i as number);
    await c.updateOne({ i: 19 }, { $set: { n: -5 } });
    await c.updateOne({ i: 2 }, { $set: { n: 1000 } });
    await c.updateMany({ i: { $in: [10, 11] } }, { $inc: { n: 5 } });
    await c.deleteOne({ i: 12 });
    await c.insertOne({ i: 20, n: 55 });
    for await (const doc of cursor) seen.push(doc.i as number);
    // Documents the writes did not touch come once each, in order.
    const untouched = seen.filter((i) => ![19, 2, 12, 20].includes(i));
    expect(untouched).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18]);
    expect(new Set(seen).size).toBe(seen.length);
    // The engine's cursors are a snapshot of the query's answer.
    if (!againstRealMongo) expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(
      values(
        await c
          .find({ n: { $lt: 20 } })
          .sort({ n: 1 })
          .toArray(),
        'i',
      ),
    ).toEqual([19, 0, 1]);
    expect(values(await c.find({ n: { $gt: 100 } }).toArray(), 'i')).toEqual([10, 11, 13, 14, 15, 16, 17, 18, 2]);
    const upserted = await c.updateOne({ i: 30 }, { $set: { n: 15 } }, { upsert: true });
    expect(upserted.upsertedCount).toBe(1);
    expect(values(await c.find({ n: { $gt: 10, $lt: 20 } }).toArray(), 'i')).toEqual([30]);
  });

  it('rolls index entries back with an aborted transaction and hides uncommitted ones from other readers', async () => {
    if (!h.replicaSet) return;
    const c = db.collection('txn');
    await c.createIndex({ n: 1 });
    await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ i, n: i })));
    const session = h.client.startSession();
    try {
      session.startTransaction();
      await c.updateOne({ i: 3 }, { $set: { n: 100 } }, { session });
      await c.insertOne({ i: 10, n: 2.5 }, { session });
      await c.deleteOne({ i: 4 }, { session });
      expect(values(await c.find({ n: { $gt: 2, $lt: 5 } }, { session }).toArray(), 'i')).toEqual([10]);
      expect(
        values(
          await c
            .find({ n: { $gt: 2, $lt: 5 } })
            .sort({ n: 1 })
            .toArray(),
          'i',
        ),
      ).toEqual([3, 4]);
      expect(values(await c.find({ n: { $gte: 100 } }).toArray(), 'i')).toEqual([]);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(
      values(
        await c
          .find({ n: { $gt: 2, $lt: 5 } })
          .sort({ n: -1 })
          .toArray(),
        'i',
      ),
    ).toEqual([4, 3]);
    expect(await c.countDocuments({ n: { $gte: 0 } })).toBe(10);
  });

  it('rebuilds indexes from a snapshot and the journal after a restart', async () => {
    if (againstRealMongo) return;
    const dir = mkdtempSync(join(tmpdir(), 'edb-planner-'));
    const open = async () => {
      const server = await startEmbeddedDb({ port: 0, dataDir: dir });
      const client = await MongoClient.connect(server.uri);
      return { server, client, c: client.db('app').collection('r') };
    };
    try {
      let s = await open();
      await s.c.createIndex({ g: 1, at: -1 });
      await s.c.insertMany(Array.from({ length: 50 }, (_, i) => ({ g: i % 2, at: i })));
      await s.client.close();
      await s.server.stop();
      s = await open();
      await s.c.insertOne({ g: 1, at: 1000 });
      await s.c.deleteOne({ at: 49 });
      const filter = { g: 1, at: { $gt: 40 } };
      expect(values(await s.c.find(filter).sort({ at: -1 }).toArray(), 'at')).toEqual([1000, 47, 45, 43, 41]);
      expect((await planOf(s.c.find(filter).sort({ at: -1 })))?.stages).toEqual(['FETCH', 'IXSCAN']);
      await s.client.close();
      await s.server.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('honours hints: an index by name or key, or a forced collection scan', async () => {
  const c = db.collection('hints');
  await c.createIndex({ a: 1 });
  await c.createIndex({ b: 1 });
  await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ a: i, b: 20 - i })));
  const filter = { a: { $lt: 5 }, b: { $lt: 19 } };
  for (const hint of ['a_1', { b: 1 }, { $natural: 1 }, { $natural: -1 }]) {
    expect(values(await c.find(filter).hint(hint).sort({ a: 1 }).toArray(), 'a')).toEqual([2, 3, 4]);
  }
  const byB = await planOf(c.find(filter).hint({ b: 1 }));
  if (byB) expect(byB.index).toBe('b_1');
  const natural = await planOf(c.find(filter).hint({ $natural: -1 }));
  if (natural) expect(natural.stages).toEqual(['COLLSCAN']);
});

import { Decimal128, Long, MongoServerError, ObjectId, type Db } from 'mongodb';
import { openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
  db = h.db();
  await db.collection('orders').insertMany([
    { item: 'tea', qty: 2, price: 5, at: new Date('2024-03-01T10:00:00Z'), tags: ['hot', 'drink'], cust: 1 },
    { item: 'tea', qty: 1, price: 5, at: new Date('2024-03-02T10:00:00Z'), tags: ['hot'], cust: 2 },
    { item: 'cake', qty: 3, price: 12, at: new Date('2024-03-02T15:30:00Z'), tags: [], cust: 1 },
    { item: 'juice', qty: 5, price: 4, at: new Date('2024-04-10T08:00:00Z'), tags: ['cold', 'drink'], cust: 3 },
  ]);
  await db.collection('customers').insertMany([
    { _id: 1 as never, name: 'Ann' },
    { _id: 2 as never, name: 'Bo' },
  ]);
});
afterAll(() => h.close());

const run = (pipeline: object[]) => db.collection('orders').aggregate(pipeline).toArray();

it('groups with $sum, $avg, $push and $first', async () => {
  const out = await run([
    { $sort: { at: 1 } },
    {
      $group: {
        _id: '$item',
        total: { $sum: { $multiply: ['$qty', '$price'] } },
        avgQty: { $avg: '$qty' },
        custs: { $push: '$cust' },
        first: { $first: '$at' },
        n: { $sum: 1 },
      },
    },
    { $sort: { _id: 1 } },
  ]);
  expect(out).toEqual([
    { _id: 'cake', total: 36, avgQty: 3, custs: [1], first: new Date('2024-03-02T15:30:00Z'), n: 1 },
    { _id: 'juice', total: 20, avgQty: 5, custs: [3], first: new Date('2024-04-10T08:00:00Z'), n: 1 },
    { _id: 'tea', total: 15, avgQty: 1.5, custs: [1, 2], first: new Date('2024-03-01T10:00:00Z'), n: 2 },
  ]);
});

it('matches with $expr, unwinds, counts and sorts by count', async () => {
  expect(
    await run([{ $match: { $expr: { $gt: [{ $multiply: ['$qty', '$price'] }, 10] } } }, { $count: 'big' }]),
  ).toEqual([{ big: 2 }]);
  expect(await run([{ $unwind: '$tags' }, { $sortByCount: '$tags' }, { $sort: { count: -1, _id: 1 } }])).toEqual([
    { _id: 'drink', count: 2 },
    { _id: 'hot', count: 2 },
    { _id: 'cold', count: 1 },
  ]);
});

it('reshapes with $project, $addFields, $set and date operators', async () => {
  const out = await run([
    { $match: { item: 'cake' } },
    { $addFields: { total: { $multiply: ['$qty', '$price'] } } },
    { $set: { day: { $dateToString: { format: '%Y-%m-%d %H:%M', date: '$at' } }, month: { $month: '$at' } } },
    { $project: { _id: 0, item: 1, total: 1, day: 1, month: 1, year: { $year: '$at' } } },
  ]);
  expect(out).toEqual([{ item: 'cake', total: 36, day: '2024-03-02 15:30', month: 3, year: 2024 }]);
});

it('buckets and facets', async () => {
  const [facets] = await run([
    {
      $facet: {
        byPrice: [
          { $bucket: { groupBy: '$price', boundaries: [0, 5, 10, 20], default: 'other', output: { n: { $sum: 1 } } } },
        ],
        total: [{ $count: 'n' }],
      },
    },
  ]);
  expect(facets).toEqual({
    byPrice: [
      { _id: 0, n: 1 },
      { _id: 5, n: 2 },
      { _id: 10, n: 1 },
    ],
    total: [{ n: 4 }],
  });
});

it('keeps facets apart: one facet changing documents changes neither the others nor the stored ones', async () => {
  const [facets] = await run([
    { $match: { item: 'tea' } },
    {
      $facet: {
        changed: [{ $set: { qty: 100, 'extra.n': 1 } }, { $project: { _id: 0, qty: 1 } }],
        untouched: [{ $match: { qty: { $lt: 100 } } }, { $group: { _id: null, qty: { $sum: '$qty' } } }],
      },
    },
  ]);
  expect(facets).toEqual({ changed: [{ qty: 100 }, { qty: 100 }], untouched: [{ _id: null, qty: 3 }] });
  expect(await db.collection('orders').countDocuments({ qty: 100 })).toBe(0);
  expect(await db.collection('orders').countDocuments({ extra: { $exists: true } })).toBe(0);
});

it('joins another collection with $lookup', async () => {
  const out = await run([
    { $match: { item: 'tea' } },
    { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer' } },
    { $project: { _id: 0, cust: 1, name: { $first: '$customer.name' } } },
    { $sort: { cust: 1 } },
  ]);
  expect(out).toEqual([
    { cust: 1, name: 'Ann' },
    { cust: 2, name: 'Bo' },
  ]);
  expect(await db.collection('customers').countDocuments()).toBe(2);
});

it('leaves stored documents untouched by pipeline stages', async () => {
  await run([{ $set: { qty: 0 } }, { $unwind: '$tags' }]);
  expect(await db.collection('orders').countDocuments({ qty: 0 })).toBe(0);
});

it('returns results over several batches', async () => {
  const c = db.collection('many');
  await c.insertMany(Array.from({ length: 350 }, (_, i) => ({ i })));
  const docs = await c.aggregate([{ $sort: { i: -1 } }], { batchSize: 100 }).toArray();
  expect(docs.map((d) => d.i)).toEqual(Array.from({ length: 350 }, (_, i) => 349 - i));
});

it('rejects an unknown stage with code 40324', async () => {
  const err = await run([{ $frobnicate: {} }]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MongoServerError);
  expect((err as MongoServerError).code).toBe(40324);
});

it('counts numeric zero of any type as false and "" and [] as true in $cond, $and, $or and $not', async () => {
  const c = db.collection('truth');
  const values = [0, 0.5, Long.fromNumber(0), Long.fromNumber(3), Decimal128.fromString('0.0'), '', [], null];
  await c.insertMany(values.map((v, i) => ({ i, v })));
  const out = await c
    .aggregate([
      { $sort: { i: 1 } },
      {
        $project: {
          _id: 0,
          cond: { $cond: ['$v', 1, 0] },
          and: { $and: [true, '$v'] },
          or: { $or: [false, '$v'] },
          not: { $not: ['$v'] },
        },
      },
    ])
    .toArray();
  const truth = [false, true, false, true, false, true, true, false];
  expect(out).toEqual(truth.map((t) => ({ cond: t ? 1 : 0, and: t, or: t, not: !t })));
});

it('takes $min and $max over mixed types in BSON order, skipping null and missing', async () => {
  const c = db.collection('extremes');
  const id = new ObjectId();
  const at = new Date('2026-01-01T00:00:00Z');
  await c.insertMany([{ v: 5 }, { v: 'text' }, { v: id }, { v: at }, { v: null }, {}]);
  expect(await c.aggregate([{ $group: { _id: null, lo: { $min: '$v' }, hi: { $max: '$v' } } }]).toArray()).toEqual([
    { _id: null, lo: 5, hi: at },
  ]);
});

/**
 * Property test of the query planner: over randomised documents (mixed types, arrays, subdocument arrays, nested
 * arrays, missing fields) and randomised filters, sorts, skips and limits, every answer the server gives through
 * its indexes must equal the answer of a forced collection scan (`hint({ $natural: 1 })`), across updates,
 * deletes and inserts that move documents within the indexes.
 */
import { Decimal128, Long, type Collection, type Db, type Document } from 'mongodb';
import { againstRealMongo, openHarness, seededRandom, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
  db = h.db();
});
afterAll(() => h.close());

const SEED = 20240601;
const random = seededRandom(SEED);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
const chance = (p: number): boolean => random() < p;

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Values of mixed BSON types, with many collisions so equality and ranges hit. */
function scalar(): unknown {
  return pick([
    () => int(7) - 3,
    () => int(7) - 3 + 0.5,
    () => Long.fromNumber(int(7) - 3),
    () => Decimal128.fromString(`${int(7) - 3}.25`),
    () => pick(['a', 'b', 'bb', 'c', '']),
    () => new Date(T0 + int(5) * DAY),
    () => chance(0.5),
    () => null,
  ])();
}

const maybeArray = (make: () => unknown, p: number): unknown =>
  chance(p) ? Array.from({ length: int(4) }, make) : make();

let nextU = 0;

function randomDoc(): Document {
  const doc: Document = { u: nextU++ };
  if (chance(0.9)) doc.a = maybeArray(scalar, 0.25);
  if (chance(0.9)) doc.b = int(5);
  doc.c = chance(0.1) ? [pick(['p', 'q']), pick(['r', 's'])] : pick(['p', 'q', 'r', 's', 't']);
  if (chance(0.85))
    doc.tags = chance(0.15) ? pick(['x', 'y']) : Array.from({ length: int(4) }, () => pick(['x', 'y', 'z']));
  doc.d = pick([
    () => ({ e: int(6) }),
    () => [{ e: int(6) }, { e: int(6) }],
    () => ({ e: [int(6), int(6)] }),
    () => 5,
    () => undefined,
  ])();
  if (doc.d === undefined) delete doc.d;
  doc.m = chance(0.6) ? Array.from({ length: 1 + int(3) }, () => int(8)) : int(8);
  if (chance(0.5)) doc.s = int(6);
  doc.flag = chance(0.5);
  doc.p = int(6);
  // Arrays inside arrays under a dotted path: where a matcher and an index could disagree.
  if (chance(0.7))
    doc.n = pick([{ v: [[1, 2], [3]] }, { v: 1 }, [{ v: [1, [2]] }], { v: 2 }, [{ v: [[2]] }], [[{ v: 2 }]]]);
  doc.dt = new Date(T0 + int(10) * DAY + int(3) * 3_600_000);
  return doc;
}

const FIELDS = ['a', 'b', 'c', 'tags', 'd.e', 'm', 's', 'n.v', 'dt', 'p', 'u'] as const;

function operand(field: string): unknown {
  switch (field) {
    case 'm':
      return int(9) - 1;
    case 'b':
    case 'd.e':
    case 's':
    case 'p':
      return chance(0.9) ? int(7) - 1 : scalar();
    case 'c':
      return chance(0.9) ? pick(['p', 'q', 'r', 's', 't', 'pa']) : scalar();
    case 'tags':
      return chance(0.9) ? pick(['x', 'y', 'z', 'w']) : scalar();
    case 'dt':
      return new Date(T0 + int(11) * DAY);
    case 'u':
      return int(nextU);
    case 'n.v':
      return pick([1, 2, 3, [2], [1, 2]]);
    default:
      return scalar();
  }
}

function clause(field: string = pick(FIELDS)): Document {
  const r = random();
  if (r < 0.15) return { [field]: operand(field) };
  if (r < 0.3) return { [field]: { $in: Array.from({ length: 1 + int(3) }, () => operand(field)) } };
  if (r < 0.45) return { [field]: { [pick(['$gt', '$gte', '$lt', '$lte'])]: operand(field) } };
  if (r < 0.7) {
    // Two bounds: on a multikey field each may be met by a different element.
    const lo = operand(field);
    const hi = operand(field);
    return { [field]: { [pick(['$gt', '$gte'])]: lo, [pick(['$lt', '$lte'])]: hi } };
  }
  if (r < 0.8) return { [field]: pick([{ $exists: chance(0.5) }, { $ne: operand(field) }, { $eq: operand(field) }]) };
  if (r < 0.85) return { flag: true, p: { [pick(['$gt', '$lte'])]: int(6) } };
  return { $or: Array.from({ length: 2 + int(2) }, () => (chance(0.2) ? clause() : indexedClause())) };
}

/** A clause an index can bound (the `$or` branches the planner can serve by a union of index scans). */
function indexedClause(): Document {
  const field = chance(0.4) ? 'u' : pick(['a', 'b', 'c', 'tags', 'd.e', 'dt', 's'] as const);
  const value = field === 'u' ? int(nextU) : operand(field);
  return { [field]: chance(0.5) ? value : { [pick(['$gt', '$gte', '$lt', '$lte', '$eq'])]: value } };
}

/** A random filter; half the time with a clause on `focus` (the field sorted by), to bound and sort one field. */
function randomFilter(focus?: string): Document {
  if (chance(0.15)) return { $or: Array.from({ length: 2 + int(2) }, indexedClause) };
  const clauses = Array.from({ length: int(4) }, () => clause());
  if (focus && focus !== 'u' && chance(0.5)) clauses.push(clause(focus));
  if (clauses.length === 0) return {};
  return chance(0.3) ? { $and: clauses } : Object.assign({}, ...clauses);
}

/** Sorts end with the unique `u`, so the expected order is total and answers can be compared exactly. */
const SORT_PREFIXES: Array<Array<[string, number]>> = [
  [],
  [['a', 1]],
  [['b', 1]],
  [
    ['c', 1],
    ['b', 1],
  ],
  [['tags', 1]],
  [['d.e', -1]],
  [['dt', -1]],
  [['s', 1]],
  [['p', 1]],
  [['n.v', 1]],
  [['m', 1]],
];

function randomSort(): Document | null {
  if (chance(0.2)) return null;
  const flip = chance(0.5) ? -1 : 1;
  const keys = pick(SORT_PREFIXES).map(([k, d]) => [k, d * flip]);
  return Object.fromEntries([...keys, ['u', flip * (chance(0.8) ? 1 : -1)]]);
}

const us = (docs: Document[]): number[] => docs.map((d) => d.u as number);

/** Plan shapes the engine chose, tallied to check that the test reaches every planner path. */
const seenPlans = new Map<string, number>();

function stagesOf(plan: Document): string[] {
  const inner = [plan.inputStage, ...(plan.inputStages ?? [])].filter(Boolean) as Document[];
  return [plan.stage as string, ...inner.flatMap(stagesOf)];
}

async function tallyPlan(c: Collection, filter: Document, sort: Document | null, limit: number): Promise<void> {
  if (againstRealMongo) return;
  let cursor = c.find(filter).limit(limit);
  if (sort) cursor = cursor.sort(sort);
  const stages = stagesOf((await cursor.explain('queryPlanner')).queryPlanner.winningPlan);
  const kind = stages.includes('OR')
    ? 'or'
    : stages.includes('IXSCAN')
      ? sort && !stages.includes('SORT')
        ? 'index order'
        : 'index bounds'
      : stages.includes('IDHACK')
        ? 'id'
        : 'scan';
  seenPlans.set(kind, (seenPlans.get(kind) ?? 0) + 1);
}

async function compareOne(c: Collection, filter: Document, sort: Document | null, skip: number, limit: number) {
  const label = JSON.stringify({ filter, sort, skip, limit });
  const projection = { _id: 0, u: 1 };
  const run = (hinted: boolean, batchSize = 1000) => {
    let cursor = c.find(filter, { projection });
    if (hinted) cursor = cursor.hint({ $natural: 1 });
    if (sort) cursor = cursor.sort(sort);
    return cursor.skip(skip).limit(limit).batchSize(batchSize).toArray().then(us);
  };
  // Small batches make the indexed answer arrive over several getMores.
  const got = await run(false, 7);
  if (sort) {
    const want = await run(true);
    expect({ label, got }).toEqual({ label, got: want });
    const stages: Document[] = [{ $match: filter }, { $sort: sort }];
    if (skip) stages.push({ $skip: skip });
    if (limit) stages.push({ $limit: limit });
    stages.push({ $project: projection });
    expect({ label, aggregate: us(await c.aggregate(stages).toArray()) }).toEqual({ label, aggregate: want });
  } else {
    const natural = us(await c.find(filter, { projection }).hint({ $natural: 1 }).toArray());
    const all = new Set(natural);
    expect({ label, inside: got.every((u) => all.has(u)), unique: new Set(got).size, n: got.length }).toEqual({
      label,
      inside: true,
      unique: got.length,
      n: Math.max(0, Math.min(limit || Infinity, natural.length - skip)),
    });
    expect({ label, count: await c.countDocuments(filter) }).toEqual({ label, count: natural.length });
  }
  await tallyPlan(c, filter, sort, limit);
}

async function mutate(c: Collection): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const field = pick(['a', 'b', 'c', 'tags', 'd', 'm', 's', 'n', 'dt', 'p', 'flag']);
    const value = randomDoc()[field];
    const update = value === undefined ? { $unset: { [field]: 1 } } : { $set: { [field]: value } };
    await c.updateMany({ u: { $in: Array.from({ length: 5 }, () => int(nextU)) } }, update);
  }
  await c.deleteMany({ u: { $in: Array.from({ length: 15 }, () => int(nextU)) } });
  await c.insertMany(Array.from({ length: 20 }, randomDoc));
}

it('answers through indexes exactly as a collection scan does', async () => {
  const c = db.collection('prop');
  await c.insertMany(Array.from({ length: 400 }, randomDoc));
  await c.createIndexes([
    { key: { a: 1, u: 1 } },
    { key: { b: 1, u: -1 } },
    { key: { c: 1, b: 1, u: 1 } },
    { key: { tags: 1, u: 1 } },
    { key: { 'd.e': -1, u: 1 } },
    { key: { m: 1, u: 1 } },
    { key: { dt: -1, u: -1 } },
    { key: { s: 1, u: 1 }, sparse: true },
    { key: { p: 1, u: 1 }, partialFilterExpression: { flag: true } },
    { key: { 'n.v': 1, u: 1 } },
    { key: { u: 1 }, unique: true },
  ]);
  for (let round = 0; round < 5; round++) {
    for (let q = 0; q < 60; q++) {
      const limit = chance(0.6) ? 1 + int(25) : 0;
      const sort = randomSort();
      await compareOne(
        c,
        randomFilter(sort ? Object.keys(sort)[0] : undefined),
        sort,
        chance(0.3) ? int(10) : 0,
        limit,
      );
    }
    await mutate(c);
  }
  if (!againstRealMongo) {
    const plans = Object.fromEntries(seenPlans);
    for (const kind of ['or', 'index order', 'index bounds', 'scan'])
      expect({ plans, kind, reached: (plans[kind] ?? 0) >= 10 }).toEqual({ plans, kind, reached: true });
  }
}, 60_000);

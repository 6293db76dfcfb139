/**
 * The compiled `$group` and `$project` (compiled.ts) must answer exactly as the interpreted stages they replace:
 * over randomised documents of mixed BSON types, every spec is run both ways — the interpreted twin wraps an
 * expression in `$let`, which the compiler declines — and the answers compared.
 */
import { Decimal128, Long, ObjectId } from 'bson';
import type { Doc } from '../../server/embedded-db/bson-values';
import { compileExpression } from '../../server/embedded-db/compiled';
import { runPipeline } from '../../server/embedded-db/query';
import { seededRandom } from './helpers';

const random = seededRandom(20261122);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;

const T0 = Date.UTC(2026, 0, 1);
const value = (): unknown =>
  pick([
    () => int(5) - 2,
    () => int(5) + 0.5,
    () => Long.fromNumber(int(5)),
    () => Decimal128.fromString(`${int(5)}.5`),
    () => pick(['a', 'b', '']),
    () => new Date(T0 + int(4) * 3_600_000),
    () => random() < 0.5,
    () => null,
    () => undefined,
    () => [int(3), int(3)],
    () => ({ n: int(3) }),
    () => new ObjectId(),
  ])();

function randomDocs(n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => {
    const doc: Doc = { _id: i, g: pick(['x', 'y', 'z']), at: new Date(T0 + int(10) * 60_000) };
    for (const field of ['a', 'b', 'c']) {
      const v = value();
      if (v !== undefined) doc[field] = v;
    }
    doc.s = random() < 0.8 ? { n: int(4), m: value() ?? null } : [{ n: 1 }];
    return doc;
  });
}

const EXPRESSIONS: unknown[] = [
  '$a',
  '$s.n',
  '$s.m',
  { $cond: [{ $gte: ['$a', 1] }, 1, 0] },
  { $cond: { if: { $or: [{ $eq: ['$b', null] }, { $lt: ['$c', '$a'] }] }, then: '$a', else: 'none' } },
  { $cond: ['$a', 'yes', 'no'] },
  { $and: ['$a', { $not: ['$b'] }] },
  { $ifNull: ['$a', '$b', 7] },
  { $ne: [{ $ifNull: ['$c', null] }, null] },
  { $lte: ['$at', new Date(T0 + 5 * 60_000)] },
  { $subtract: ['$at', new Date(T0)] },
  { $subtract: ['$a', '$b'] },
  { $subtract: ['$at', 60_000] },
  { $multiply: ['$a', 2, '$s.n'] },
  { $ceil: '$a' },
  { $floor: { $multiply: ['$s.n', 0.9] } },
  { $arrayElemAt: ['$a', -1] },
  { $arrayElemAt: [[10, 20, 30], '$s.n'] },
  { k: '$g', v: '$s.n' },
];

const ACCUMULATORS = ['$sum', '$avg', '$push', '$min', '$max'];

/** The same expression, which the compiler declines and mingo evaluates. */
const interpreted = (expr: unknown) => ({ $let: { vars: {}, in: expr } });

const docs = randomDocs(300);

/** Both runs, or both errors (by message), so a compiled stage never turns an error into an answer. */
function both(compiled: Doc[], twin: Doc[]): [unknown, unknown] {
  const attempt = (pipeline: Doc[]) => {
    try {
      return runPipeline(docs, pipeline);
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  return [attempt(compiled), attempt(twin)];
}

it.each(EXPRESSIONS.map((e) => [JSON.stringify(e), e]))('$project of %s matches the interpreted stage', (_, expr) => {
  expect(compileExpression(expr)).not.toBeNull();
  const [fast, slow] = both([{ $project: { g: 1, out: expr } }], [{ $project: { g: 1, out: interpreted(expr) } }]);
  expect(fast).toEqual(slow);
});

it.each(EXPRESSIONS.flatMap((e) => ACCUMULATORS.map((op) => [op, JSON.stringify(e), op, e])))(
  '$group %s of %s matches the interpreted stage',
  (_, __, op, expr) => {
    const spec = (wrap: (x: unknown) => unknown) => ({
      $group: { _id: wrap('$g'), acc: { [op as string]: expr }, n: { $sum: 1 } },
    });
    const [fast, slow] = both([spec((x) => x), { $sort: { _id: 1 } }], [spec(interpreted), { $sort: { _id: 1 } }]);
    expect(fast).toEqual(slow);
  },
);

it('groups a missing key with null under _id null, as MongoDB does', () => {
  const out = runPipeline(
    [{ _id: 1, k: null }, { _id: 2 }, { _id: 3, k: 'a' }],
    [{ $group: { _id: '$k', ids: { $push: '$_id' } } }, { $sort: { _id: 1 } }],
  );
  expect(out).toEqual([
    { _id: null, ids: [1, 2] },
    { _id: 'a', ids: [3] },
  ]);
});

it('leaves the input documents as they were', () => {
  const input = randomDocs(50);
  const before = JSON.stringify(input);
  runPipeline(input, [
    { $project: { g: 1, s: 1, d: { $subtract: ['$at', new Date(T0)] } } },
    { $group: { _id: '$g', all: { $push: '$s' }, late: { $max: '$d' } } },
  ]);
  expect(JSON.stringify(input)).toBe(before);
});

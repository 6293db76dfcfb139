/**
 * Index bounds: the values of a field that a filter can match, as sorted, disjoint intervals in MongoDB's value
 * order. Bounds only ever over-approximate (the planner re-checks the whole filter on every candidate), so any
 * clause that is not understood here simply contributes no bounds.
 */
import { compareValues, isPlainObject, typeRank, type Doc } from './bson-values';

/**
 * One end of an interval: the gap just before (`after: false`) or just after (`after: true`) a value, or the
 * start/end of a whole type bracket (`rank`, MongoDB's type order). Edges never coincide with a value.
 */
export type Edge = { v: unknown; after: boolean } | { rank: number; after: boolean };

/** The values strictly between two edges. */
export interface Interval {
  lo: Edge;
  hi: Edge;
}

/** Types that range operators compare within their own bracket and indexes order as the matcher does. */
const BOUNDABLE_RANKS = new Set([
  3, // numbers (int, long, double, decimal)
  4, // strings and symbols
  7, // binData
  8, // objectId
  9, // bool
  10, // date
  11, // timestamp
]);

const boundable = (v: unknown): boolean => v !== undefined && v !== null && BOUNDABLE_RANKS.has(typeRank(v));

const point = (v: unknown): Interval => ({ lo: { v, after: false }, hi: { v, after: true } });

export function isPoint(iv: Interval): boolean {
  return 'v' in iv.lo && 'v' in iv.hi && !iv.lo.after && iv.hi.after && compareValues(iv.lo.v, iv.hi.v) === 0;
}

export const pointValue = (iv: Interval): unknown => (iv.lo as { v: unknown }).v;

/** Where a stored index value lies relative to an edge: never 0. */
export function compareToEdge(x: unknown, e: Edge): number {
  if ('rank' in e) {
    const r = typeRank(x);
    return r !== e.rank ? r - e.rank : e.after ? -1 : 1;
  }
  return compareValues(x, e.v) || (e.after ? -1 : 1);
}

function compareEdges(a: Edge, b: Edge): number {
  const ra = 'rank' in a ? a.rank : typeRank(a.v);
  const rb = 'rank' in b ? b.rank : typeRank(b.v);
  if (ra !== rb) return ra - rb;
  // Within a bracket: its start, then the values, then its end.
  const pa = 'rank' in a ? (a.after ? 2 : 0) : 1;
  const pb = 'rank' in b ? (b.after ? 2 : 0) : 1;
  if (pa !== pb || pa !== 1) return pa - pb;
  return compareValues((a as { v: unknown }).v, (b as { v: unknown }).v) || Number(a.after) - Number(b.after);
}

/** Intersection of two sorted, disjoint interval lists. */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const lo = compareEdges(x.lo, y.lo) >= 0 ? x.lo : y.lo;
    const hi = compareEdges(x.hi, y.hi) <= 0 ? x.hi : y.hi;
    if (compareEdges(lo, hi) < 0) out.push({ lo, hi });
    if (compareEdges(x.hi, y.hi) < 0) i++;
    else j++;
  }
  return out;
}

/** The start and the end of the type bracket of `v`. */
const bracketStart = (v: unknown): Edge => ({ rank: typeRank(v), after: false });
const bracketEnd = (v: unknown): Edge => ({ rank: typeRank(v), after: true });

/** The values of `v`'s type bracket up to and including `v`. */
export const atMost = (v: unknown): Interval => ({ lo: bracketStart(v), hi: { v, after: true } });

/** Intervals of one operator clause, or null when it gives no usable bounds. */
function operatorIntervals(op: string, v: unknown): Interval[] | null {
  if (op === '$in') {
    if (!Array.isArray(v) || !v.every(boundable)) return null;
    const sorted = [...v].sort(compareValues);
    return sorted.filter((x, i) => i === 0 || compareValues(sorted[i - 1], x) !== 0).map(point);
  }
  if (!boundable(v)) return null;
  switch (op) {
    case '$eq':
      return [point(v)];
    case '$gt':
      return [{ lo: { v, after: true }, hi: bracketEnd(v) }];
    case '$gte':
      return [{ lo: { v, after: false }, hi: bracketEnd(v) }];
    case '$lt':
      return [{ lo: bracketStart(v), hi: { v, after: false } }];
    case '$lte':
      return [atMost(v)];
    default:
      return null;
  }
}

/**
 * Every field predicate of a filter that indexes can bound, by path: each entry is one predicate's intervals
 * (alone a superset of the values it matches). Top-level fields and `$and` members are read; `$or`, `$nor`,
 * `$not`, `$elemMatch`, `$expr` and the like give none.
 */
export function filterBounds(filter: Doc, out = new Map<string, Interval[][]>()): Map<string, Interval[][]> {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) filterBounds(sub, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    const clauses: Interval[][] = [];
    const keys = isPlainObject(v) ? Object.keys(v) : [];
    if (keys.length && keys.every((op) => op.startsWith('$'))) {
      for (const op of keys) {
        const ivs = operatorIntervals(op, (v as Doc)[op]);
        if (ivs) clauses.push(ivs);
      }
    } else if (keys.length === 0 && boundable(v)) {
      clauses.push([point(v)]);
    }
    if (clauses.length) out.set(k, [...(out.get(k) ?? []), ...clauses]);
  }
  return out;
}

const EXACT_OPERATORS = new Set(['$eq', '$in', '$gt', '$gte', '$lt', '$lte']);

/**
 * Whether a field's clause says no more than its bounds on a field with one value per document: equality, `$in`
 * and ranges on boundable values. String ranges are left out: symbols sit with strings in the index but are not in
 * the strings' range bracket.
 */
export function exactClause(v: unknown): boolean {
  if (!isPlainObject(v)) return boundable(v);
  const ops = Object.keys(v);
  return (
    ops.length > 0 &&
    ops.every((op) => {
      const arg = v[op];
      if (!EXACT_OPERATORS.has(op)) return false;
      if (op === '$in') return Array.isArray(arg) && arg.every(boundable);
      return boundable(arg) && (op === '$eq' || typeRank(arg) !== 4);
    })
  );
}

/**
 * The bounds of one field from its predicates. With a single value per document every predicate must hold for
 * that value, so they intersect; on a multikey field each predicate may be met by a different array element, so
 * only one predicate can bound the scan (MongoDB does the same): the first equality/`$in`, else the first.
 */
export function fieldIntervals(clauses: Interval[][] | undefined, multikey: boolean): Interval[] | null {
  if (!clauses?.length) return null;
  if (multikey) return clauses.find((c) => c.every(isPoint)) ?? (clauses[0] as Interval[]);
  return clauses.reduce(intersect);
}

/** The clauses of a filter joined by `$and`, flattened: `[field, value]` pairs. */
export function topLevelClauses(filter: Doc): Array<[string, unknown]> {
  return Object.entries(filter).flatMap(([k, v]): Array<[string, unknown]> =>
    k === '$and' && Array.isArray(v) ? v.filter(isPlainObject).flatMap(topLevelClauses) : [[k, v]],
  );
}

/**
 * Query planning. A filter's candidate documents come from one of:
 *  - `_id` equality or `$in`: straight from the primary map;
 *  - one index: bounds from equality/`$in` on a prefix of its fields, then equality, `$in` or a range on the next
 *    field (bounds.ts), walked in index order forwards or backwards, so that a sort the index provides needs no
 *    sorting and `sort + limit` reads about `limit` entries;
 *  - a union of index scans, for a `$or` whose branches all have one;
 *  - a collection scan.
 * The cheapest by estimated entries wins; a plan that provides the sort races the cheapest plan with a budget of
 * twice its cost. The whole filter is re-checked on every candidate, and an index is only used when it certainly
 * holds every matching document in the right order (sparse, partial, multikey and nested-array rules below);
 * otherwise the planner scans. `$near`/`$nearSphere` need a 2dsphere index, as in MongoDB.
 */
import { cloneValue, isPlainObject, pathValues, typeRank, valueKey, withStringOrder, type Doc } from './bson-values';
import {
  exactClause,
  fieldIntervals,
  filterBounds,
  isPoint,
  pointValue,
  topLevelClauses,
  type Interval,
} from './bounds';
import { queryCollation } from './collation';
import { badValue, MongoError, unsupported } from './errors';
import { nearestDistance, parseNear, toPoint, type NearQuery } from './geo';
import type { Index, ScanRange } from './indexes';
import { compileFilter, parseSort, sortDocs, type QueryEnv } from './query';
import { committedDocs, type Collection } from './store';

export interface SelectOptions {
  sort?: Doc;
  skip?: number;
  limit?: number;
  hint?: unknown;
  /** The command's collation; without one, the collection's default. */
  collation?: unknown;
  env?: QueryEnv;
  stats?: QueryStats;
}

/** Candidate documents with their ids, pushed to `visit` until it returns false. */
type Source = (visit: (doc: Doc, id: string) => boolean | void) => void;

interface Plan {
  /** Estimated work: entries or documents read to produce every candidate. */
  cost: number;
  source: Source;
  /** Candidates come in the order the query sorts by. */
  sorted: boolean;
  /** The plan as MongoDB's explain shows it. */
  stage: Doc;
  /** Index entries read so far (for explain). */
  keys: number;
  /** Its candidates are exactly the matching documents: the filter need not be tested. */
  exact: boolean;
}

/** What a query did, for `explain`. */
export interface QueryStats {
  winningPlan: Doc;
  keysExamined: number;
  docsExamined: number;
}

/** Reading a candidate through an index (walk, then map lookup) costs about this many scanned documents. */
const INDEX_READ_COST = 1.5;
/** Compound bounds are the product of the fields' intervals; beyond this many, later fields stay unbounded. */
const MAX_RANGES = 1000;
/** A sorted plan racing a cheaper unsorted one may always read this many entries. */
const MIN_RACE_BUDGET = 50;

const indexableId = (v: unknown): boolean =>
  v !== undefined && v !== null && !(v instanceof RegExp) && !Array.isArray(v) && typeRank(v) > 2 && typeRank(v) < 99;

/** Canonical keys of the values `_id` must equal for `filter` to match, or null when there is no such clause. */
function idKeys(filter: Doc): string[] | null {
  const v = filter._id;
  if (v === undefined) {
    for (const sub of Array.isArray(filter.$and) ? filter.$and : []) {
      const keys = isPlainObject(sub) ? idKeys(sub) : null;
      if (keys) return keys;
    }
    return null;
  }
  let values: unknown[] = [v];
  if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) {
    if ('$eq' in v) values = [v.$eq];
    else if (Array.isArray(v.$in)) values = v.$in;
    else return null;
  }
  return values.every(indexableId) ? values.map(valueKey) : null;
}

function scanPlan(coll: Collection, reverse = false): Plan {
  return {
    cost: coll.docs.size,
    sorted: false,
    stage: { stage: 'COLLSCAN', direction: reverse ? 'backward' : 'forward' },
    keys: 0,
    exact: false,
    source: (visit) => {
      const entries = reverse ? [...coll.docs].reverse() : coll.docs;
      for (const [id, doc] of entries) if (visit(doc, id) === false) return;
    },
  };
}

function idPlan(coll: Collection, keys: string[]): Plan {
  const plan: Plan = {
    cost: keys.length,
    sorted: false,
    stage: { stage: 'IDHACK' },
    keys: 0,
    exact: false,
    source: (visit) => {
      for (const id of new Set(keys)) {
        plan.keys++;
        const doc = coll.docs.get(id);
        if (doc && visit(doc, id) === false) return;
      }
    },
  };
  return plan;
}

/** Whether the filter's `$and`-joined clauses include every clause of an index's partial filter. */
function impliesPartial(filter: Doc, partial: Doc): boolean {
  const have = new Set(topLevelClauses(filter).map(([k, v]) => `${k}\u0000${valueKey(v)}`));
  return topLevelClauses(partial).every(([k, v]) => have.has(`${k}\u0000${valueKey(v)}`));
}

/**
 * The plan of one index for a filter (and the order it yields relative to `sort`), or null when the index
 * might miss matching documents: a partial index whose filter the query does not imply, a sparse index without
 * a predicate on one of its fields, an index over nested arrays. An index holding every document is always safe.
 */
function indexPlan(
  coll: Collection,
  idx: Index,
  filter: Doc,
  bounds: Map<string, Interval[][]>,
  sort: Array<[string, number]>,
): (Plan & { bounded: boolean }) | null {
  if (idx.geo || idx.nested) return null;
  const perField = idx.fields.map((f, i) => fieldIntervals(bounds.get(f.path), idx.multikey[i] as boolean));
  if (idx.docCount !== coll.docs.size) {
    const partial = idx.spec.partialFilterExpression;
    if (partial && !impliesPartial(filter, partial)) return null;
    if (idx.spec.sparse && perField.every((ivs) => ivs === null)) return null;
  }
  // Equality/$in on a prefix, then one field's intervals; listed in the index's stored order.
  const pointLists: unknown[][] = [];
  let ranges: ScanRange[] = [{ points: [], range: null }];
  for (const [i, ivs] of perField.entries()) {
    if (!ivs) break;
    const stored = idx.fields[i]?.dir === -1 ? [...ivs].reverse() : ivs;
    if (ranges.length * stored.length > MAX_RANGES) break;
    if (!stored.every(isPoint)) {
      ranges = ranges.flatMap((r) => stored.map((range) => ({ points: r.points, range })));
      break;
    }
    const values = stored.map(pointValue);
    pointLists.push(values);
    ranges = ranges.flatMap((r) => values.map((v) => ({ points: [...r.points, v], range: null })));
  }
  const boundedFields = pointLists.length + (ranges[0]?.range ? 1 : 0);
  const order = sortOrder(idx, sort, pointLists, boundedFields);
  const spans = idx.spans(ranges);
  const dedupe = idx.multikey.some(Boolean);
  const ixscan = {
    stage: 'IXSCAN',
    keyPattern: idx.spec.key,
    indexName: idx.spec.name,
    isMultiKey: dedupe,
    direction: order === -1 ? 'backward' : 'forward',
  };
  // The bounds decide the filter when every clause is an exact one on a bounded, single-valued, top-level field.
  const exact = topLevelClauses(filter).every(([path, clause]) => {
    const j = idx.fields.findIndex((f) => f.path === path);
    return j >= 0 && j < boundedFields && !path.includes('.') && !idx.multikey[j] && exactClause(clause);
  });
  const plan = {
    cost: idx.count(spans) * INDEX_READ_COST,
    bounded: boundedFields > 0,
    sorted: order !== 0 && sort.length > 0,
    stage: { stage: 'FETCH', inputStage: ixscan },
    keys: 0,
    exact,
    source: (visit: (doc: Doc, id: string) => boolean | void) => {
      const seen = dedupe ? new Set<string>() : null;
      idx.walk(spans, order === -1, (id) => {
        plan.keys++;
        if (seen) {
          if (seen.has(id)) return;
          seen.add(id);
        }
        const doc = coll.docs.get(id);
        return doc && visit(doc, id);
      });
    },
  };
  return plan;
}

/**
 * Whether walking the index yields documents in `sort` order: 1 forwards, -1 backwards, 0 not at all. Fields
 * fixed to one value by the bounds drop out of both the sort and the index. A multikey field can only order the
 * walk when unbounded: a document then first appears at its smallest (or largest) element, exactly where the
 * sort puts it, and later appearances are skipped.
 */
function sortOrder(idx: Index, sort: Array<[string, number]>, pointLists: unknown[][], boundedFields: number): number {
  const constant = (j: number): boolean => pointLists[j]?.length === 1 && !idx.multikey[j];
  const keys = sort.filter(([path]) => !idx.fields.some((f, j) => f.path === path && constant(j)));
  let first = 0;
  while (first < idx.fields.length && constant(first)) first++;
  let order = 1;
  for (const [t, [path, dir]] of keys.entries()) {
    const j = first + t;
    const f = idx.fields[j];
    if (!f || f.path !== path || (idx.multikey[j] && j < boundedFields)) return 0;
    if (t > 0 && dir * f.dir !== order) return 0;
    order = dir * f.dir;
  }
  return order;
}

/** A plan visiting each document of several plans once. */
function unionPlan(plans: Plan[]): Plan {
  const plan: Plan = {
    cost: plans.reduce((n, p) => n + p.cost, 0),
    sorted: false,
    stage: { stage: 'OR', inputStages: plans.map((p) => p.stage) },
    keys: 0,
    exact: false,
    source: (visit) => {
      const seen = new Set<string>();
      let stopped = false;
      for (const p of plans) {
        p.source((doc, id) => {
          if (seen.has(id)) return;
          seen.add(id);
          stopped = visit(doc, id) === false;
          return !stopped;
        });
        plan.keys += p.keys;
        if (stopped) return;
      }
    },
  };
  return plan;
}

const cheapest = <P extends Plan>(plans: P[]): P | null =>
  plans.reduce<P | null>((best, p) => (!best || p.cost < best.cost ? p : best), null);

/** The cheapest plan from `_id` or a bounded index for one filter, or null. */
function boundedPlan(coll: Collection, filter: Doc, indexes: Index[]): Plan | null {
  const keys = idKeys(filter);
  if (keys) return idPlan(coll, keys);
  const bounds = filterBounds(filter);
  return cheapest(indexes.flatMap((idx) => indexPlan(coll, idx, filter, bounds, []) ?? []).filter((p) => p.bounded));
}

/** `$or` whose every branch (with the rest of the filter) has a bounded plan: the union of those plans. */
function orPlan(coll: Collection, filter: Doc, indexes: Index[]): Plan | null {
  const { $or: branches, ...rest } = filter;
  if (!Array.isArray(branches) || branches.length === 0 || !branches.every(isPlainObject)) return null;
  const plans: Plan[] = [];
  for (const branch of branches) {
    const plan = boundedPlan(coll, { $and: [rest, branch] }, indexes);
    if (!plan) return null;
    plans.push(plan);
  }
  return unionPlan(plans);
}

interface Hint {
  natural?: 1 | -1;
  index?: Index;
}

function resolveHint(coll: Collection, hint: unknown): Hint {
  if (hint === undefined || hint === null) return {};
  if (isPlainObject(hint) && '$natural' in hint) return { natural: Number(hint.$natural) < 0 ? -1 : 1 };
  const found =
    typeof hint === 'string'
      ? coll.indexes.get(hint)
      : [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(hint));
  if (!found) throw badValue('hint provided does not correspond to an existing index');
  return found.geo ? { natural: 1 } : { index: found };
}

/** The cheapest plan, and the cheapest plan yielding the sort order when there is one. */
function choosePlans(
  coll: Collection,
  filter: Doc,
  sort: Array<[string, number]>,
  hint: Hint,
): { best: Plan; sorted: Plan | null } {
  if (hint.natural) return { best: scanPlan(coll, hint.natural === -1), sorted: null };
  // An index with a collation orders strings differently from a query without one.
  const indexes = hint.index ? [hint.index] : [...coll.indexes.values()].filter((i) => !i.spec.collation);
  const keys = hint.index ? null : idKeys(filter);
  if (keys) return { best: idPlan(coll, keys), sorted: null };
  const bounds = filterBounds(filter);
  const plans = indexes.flatMap((idx) => indexPlan(coll, idx, filter, bounds, sort) ?? []);
  const sorted = cheapest(plans.filter((p) => p.sorted));
  const candidates: Plan[] = plans.filter((p) => p.bounded || hint.index);
  const or = hint.index ? null : orPlan(coll, filter, indexes);
  if (or) candidates.push(or);
  if (!hint.index || candidates.length === 0) candidates.push(scanPlan(coll));
  return { best: cheapest(candidates) as Plan, sorted };
}

/**
 * For readers outside a running transaction: the plan's candidates minus the documents the transaction touched,
 * then the previous versions of those (which the filter re-check sorts out).
 */
function committedOnly(source: Source, before: Map<string, Doc | null>): Source {
  return (visit) => {
    let stopped = false;
    source((doc, id) => {
      if (before.has(id)) return;
      stopped = visit(doc, id) === false;
      return !stopped;
    });
    if (stopped) return;
    for (const [id, old] of before) if (old && visit(old, id) === false) return;
  };
}

/**
 * The documents of `coll` matching `filter`, sorted, skipped and limited. Returned objects are the stored ones.
 * With `opts.stats`, records what was done for `explain`.
 */
export function selectDocs(coll: Collection | undefined, filter: Doc, opts: SelectOptions = {}): Doc[] {
  const order = queryCollation(opts.collation, coll);
  if (!order) return select(coll, filter, opts);
  // Indexes hold strings in binary order: a query with a collation scans, and matches and sorts under its order.
  return withStringOrder(order, () => select(coll, filter, { ...opts, hint: { $natural: 1 } }));
}

function select(coll: Collection | undefined, filter: Doc, opts: SelectOptions): Doc[] {
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const { near, rest } = extractNear(filter);
  if (near) geoIndexField(coll, near.field);
  const sort = opts.sort ? parseSort(opts.sort) : [];
  const stats = opts.stats ?? { winningPlan: {}, keysExamined: 0, docsExamined: 0 };
  const skip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const keep = skip + limit;
  const finish = (docs: Doc[], stage: Doc, sorting: boolean): Doc[] => {
    const sorted = sorting ? sortDocs(docs, opts.sort, keep) : docs;
    if (sorting) stage = { stage: 'SORT', sortPattern: opts.sort, inputStage: stage };
    if (skip) stage = { stage: 'SKIP', skipAmount: skip, inputStage: stage };
    if (limit !== Infinity) stage = { stage: 'LIMIT', limitAmount: limit, inputStage: stage };
    stats.winningPlan = stage;
    return skip || limit !== Infinity ? sorted.slice(skip, skip + limit) : sorted;
  };
  if (!coll) return finish([], { stage: 'EOF' }, false);
  if (near) {
    const docs = nearDocs(coll, near, rest, opts.env).map((d) => d.doc);
    stats.docsExamined = coll.docs.size;
    return finish(docs, { stage: 'GEO_NEAR_2DSPHERE' }, sort.length > 0);
  }
  let compiled: ((doc: Doc) => boolean) | null = null;
  /** Matching candidates up to `stopAt`; null if the source needed more than `budget` candidates. */
  const collect = (plan: Plan, source: Source, stopAt: number, budget = Infinity): Doc[] | null => {
    // Compiling a filter costs more than a page of index entries: only when the plan's bounds do not decide it.
    const test = plan.exact && source === plan.source ? null : (compiled ??= compileFilter(rest, opts.env));
    const docs: Doc[] = [];
    let read = 0;
    source((doc) => {
      if (++read > budget) return false;
      if (!test || test(doc)) docs.push(doc);
      return docs.length < stopAt;
    });
    stats.docsExamined += Math.min(read, budget);
    stats.keysExamined += plan.keys;
    return read > budget ? null : docs;
  };
  const before = opts.env?.uncommitted?.(coll);
  const { best, sorted } = choosePlans(coll, rest, sort, resolveHint(coll, opts.hint));
  if (sorted && !before) {
    const budget = sorted.cost <= best.cost ? Infinity : Math.max(MIN_RACE_BUDGET, 2 * best.cost);
    const docs = collect(sorted, sorted.source, keep, budget);
    if (docs) return finish(docs, sorted.stage, false);
  }
  const source = before ? committedOnly(best.source, before) : best.source;
  return finish(collect(best, source, sort.length ? Infinity : keep) as Doc[], best.stage, sort.length > 0);
}

/** Splits a top-level `$near`/`$nearSphere` clause off the filter. */
function extractNear(filter: Doc): { near: NearQuery | null; rest: Doc } {
  for (const [field, v] of Object.entries(filter)) {
    if (isPlainObject(v) && ('$near' in v || '$nearSphere' in v)) {
      const { [field]: _drop, ...rest } = filter;
      return { near: parseNear(field, v), rest };
    }
  }
  return { near: null, rest: filter };
}

export function geoIndexField(coll: Collection | undefined, field?: string): string {
  const fields = [...(coll?.indexes.values() ?? [])].flatMap((i) => i.fields.filter((f) => f.geo).map((f) => f.path));
  if (field !== undefined) {
    if (fields.includes(field)) return field;
  } else if (fields.length === 1) {
    return fields[0] as string;
  } else if (fields.length > 1) {
    throw badValue('There is more than one 2dsphere index; unsure which to use for $geoNear');
  }
  throw new MongoError(
    291,
    'error processing query: planner returned error :: caused by :: unable to find index for $geoNear query',
  );
}

/** Documents matching `filter` ordered by distance, each with its distance. */
export function nearDocs(
  coll: Collection,
  near: NearQuery,
  filter: Doc,
  env?: QueryEnv,
): Array<{ doc: Doc; dist: number }> {
  const test = compileFilter(filter, env);
  const parts = near.field.split('.');
  const out: Array<{ doc: Doc; dist: number }> = [];
  const before = env?.uncommitted?.(coll);
  for (const doc of before ? committedDocs(coll, before) : coll.docs.values()) {
    const values = pathValues(doc, parts).flatMap((v) => (Array.isArray(v) && toPoint(v) === null ? v : [v]));
    const dist = nearestDistance(near, values);
    if (dist === null || dist < near.minDistance || dist > near.maxDistance || !test(doc)) continue;
    out.push({ doc, dist });
  }
  return out.sort((a, b) => a.dist - b.dist);
}

/** The `$geoNear` aggregation stage: matching documents (copies) with the distance added, nearest first. */
export function geoNearStage(coll: Collection | undefined, spec: Doc, env?: QueryEnv): Doc[] {
  if (!isPlainObject(spec) || spec.near === undefined) throw badValue('$geoNear requires a near argument');
  if (typeof spec.distanceField !== 'string') throw badValue('$geoNear requires a distanceField');
  if (spec.spherical === false && !isPlainObject(spec.near)) throw unsupported('$geoNear on 2d (planar) indexes');
  const field = geoIndexField(coll, typeof spec.key === 'string' ? spec.key : undefined);
  const nearSpec = isPlainObject(spec.near)
    ? { $near: { $geometry: spec.near, $maxDistance: spec.maxDistance, $minDistance: spec.minDistance } }
    : { $nearSphere: spec.near, $maxDistance: spec.maxDistance, $minDistance: spec.minDistance };
  const near = parseNear(field, nearSpec);
  const multiplier = typeof spec.distanceMultiplier === 'number' ? spec.distanceMultiplier : 1;
  const query = isPlainObject(spec.query) ? spec.query : {};
  return nearDocs(coll as Collection, near, query, env).map(({ doc, dist }) => {
    const out = cloneValue(doc);
    out[spec.distanceField as string] = dist * multiplier;
    if (typeof spec.includeLocs === 'string') out[spec.includeLocs] = cloneValue(pathValues(doc, field.split('.'))[0]);
    return out;
  });
}

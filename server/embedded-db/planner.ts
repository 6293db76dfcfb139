/**
 * Chooses how to find a filter's documents: `_id` equality goes straight to the primary map, equality or `$in` on
 * the first field of a secondary index uses that index (the smallest candidate set wins), everything else scans.
 * The full filter is always re-checked on candidates. `$near`/`$nearSphere` need a 2dsphere index, as in MongoDB.
 */
import { cloneValue, isPlainObject, pathValues, typeRank, valueKey, type Doc } from './bson-values';
import { badValue, MongoError, unsupported } from './errors';
import { nearestDistance, parseNear, toPoint, type NearQuery } from './geo';
import type { Index } from './indexes';
import { compileFilter, sortDocs, type QueryEnv } from './query';
import { committedDocs, type Collection } from './store';

export interface SelectOptions {
  sort?: Doc;
  skip?: number;
  limit?: number;
  hint?: unknown;
  env?: QueryEnv;
}

const indexableValue = (v: unknown): boolean =>
  v !== undefined && v !== null && !(v instanceof RegExp) && !Array.isArray(v) && typeRank(v) > 2 && typeRank(v) < 99;

/** Canonical keys of the values `field` must equal for `filter` to match, or null when there is no such clause. */
function equalityKeys(filter: Doc, field: string): string[] | null {
  const v = filter[field];
  if (v === undefined) {
    for (const sub of Array.isArray(filter.$and) ? filter.$and : []) {
      const keys = isPlainObject(sub) ? equalityKeys(sub, field) : null;
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
  return values.every(indexableValue) ? values.map(valueKey) : null;
}

function candidates(coll: Collection, filter: Doc, hint: Index | null): Iterable<Doc> {
  const idKeys = equalityKeys(filter, '_id');
  if (idKeys && !hint) return idKeys.map((k) => coll.docs.get(k)).filter((d): d is Doc => d !== undefined);
  let best: Set<string> | null = null;
  for (const idx of hint ? [hint] : coll.indexes.values()) {
    const first = idx.fields[0]?.path as string;
    const keys = equalityKeys(filter, first);
    if (!keys || !idx.usableFor(filter, false)) continue;
    const ids = idx.lookup(keys);
    if (!best || ids.size < best.size) best = ids;
  }
  if (!best) return coll.docs.values();
  return [...best].map((id) => coll.docs.get(id)).filter((d): d is Doc => d !== undefined);
}

function resolveHint(coll: Collection, hint: unknown): Index | null {
  if (hint === undefined || hint === null) return null;
  const found =
    typeof hint === 'string'
      ? coll.indexes.get(hint)
      : [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(hint));
  if (!found) throw badValue('hint provided does not correspond to an existing index');
  return found.isId || found.geo ? null : found;
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

/** The documents of `coll` matching `filter`, sorted, skipped and limited. Returned objects are the stored ones. */
export function selectDocs(coll: Collection | undefined, filter: Doc, opts: SelectOptions = {}): Doc[] {
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const { near, rest } = extractNear(filter);
  if (near) geoIndexField(coll, near.field);
  if (!coll) return [];
  const skip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  let docs: Doc[];
  if (near) {
    docs = nearDocs(coll, near, rest, opts.env).map((d) => d.doc);
  } else {
    const test = compileFilter(rest, opts.env);
    const stopAt = opts.sort ? Infinity : skip + limit;
    docs = [];
    const before = opts.env?.uncommitted?.(coll);
    const source = before ? committedDocs(coll, before) : candidates(coll, rest, resolveHint(coll, opts.hint));
    for (const doc of source) {
      if (!test(doc)) continue;
      docs.push(doc);
      if (docs.length >= stopAt) break;
    }
  }
  if (opts.sort && Object.keys(opts.sort).length) docs = sortDocs(docs, opts.sort, skip + limit);
  return skip || limit !== Infinity ? docs.slice(skip, skip + limit) : docs;
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

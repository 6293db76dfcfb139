/**
 * The query layer: mingo for matching, projection and aggregation, with the operators it gets wrong for BSON
 * replaced by ours (equality, ordering, `$in`, `$type`, `$sort`, `$sum`/`$avg` over Long/Decimal128), geo
 * predicates added and mingo's errors turned into MongoDB error codes.
 */
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { AnyObject, Options } from 'mingo/types';
import { flatten, MingoError, resolve } from 'mingo/util';
import { compileGroup, compileProject, FALLBACK, isOperatorObject } from './compiled';
import {
  bsonTypeName,
  COMPARISONS,
  cloneValue,
  compareValues,
  extremeOf,
  isNumeric,
  isPlainObject,
  matchesType,
  pathValues,
  toNumber,
  truthy,
  valueKey,
  valuesEqual,
  type Doc,
} from './bson-values';
import { badValue, MongoError, unsupported } from './errors';
import { compileShape, toPoint } from './geo';
import { compileSchema } from './json-schema';
import type { Collection } from './store';

type Predicate = (doc: Doc) => boolean;

/** Values a field predicate is tried against: the field itself, its elements, and nested elements along the path. */
function candidates(lhs: unknown, depth: number): unknown[] {
  if (!Array.isArray(lhs)) return [lhs];
  return [lhs, ...lhs, ...(depth > 0 ? flatten(lhs, depth) : [])];
}

/** Wraps a value predicate as a mingo query operator on a dotted field. */
function fieldOperator(build: (value: unknown) => (lhs: unknown, depth: number) => boolean) {
  return (selector: string, value: unknown) => {
    const depth = selector.split('.').length - 1;
    const test = build(value);
    return (obj: AnyObject) => test(resolve(obj, selector, { unwrapArray: true }), depth);
  };
}

const eqTest = (rhs: unknown) => (lhs: unknown, depth: number) =>
  candidates(lhs, depth).some((v) => valuesEqual(v, rhs));

function inTest(rhs: unknown) {
  if (!Array.isArray(rhs)) throw badValue('$in needs an array');
  const regexes = rhs.filter((v): v is RegExp => v instanceof RegExp);
  const keys = new Set(rhs.filter((v) => !(v instanceof RegExp)).map(valueKey));
  return (lhs: unknown, depth: number) =>
    candidates(lhs, depth).some(
      (v) => keys.has(valueKey(v)) || (typeof v === 'string' && regexes.some((re) => re.test(v))),
    ) ||
    (Array.isArray(lhs) && lhs.length === 0 && keys.has(valueKey([])));
}

/** Range comparisons only match values of the same type bracket (numbers together, null with missing). */
const bracket = (v: unknown): string =>
  v === undefined || v === null ? 'null' : isNumeric(v) ? 'number' : bsonTypeName(v);
const rangeTest = (ok: (c: number) => boolean) => (rhs: unknown) => (lhs: unknown, depth: number) =>
  candidates(lhs, depth).some((v) => bracket(v) === bracket(rhs) && ok(compareValues(v ?? null, rhs ?? null)));

function typeTest(rhs: unknown) {
  const types = Array.isArray(rhs) ? rhs : [rhs];
  return (lhs: unknown) =>
    lhs !== undefined && (Array.isArray(lhs) ? [lhs, ...lhs] : [lhs]).some((v) => types.some((t) => matchesType(v, t)));
}

function geoTest(operator: string) {
  return (shape: unknown) => {
    const inside = compileShape(shape, operator);
    return (lhs: unknown) =>
      (Array.isArray(lhs) && toPoint(lhs) === null ? lhs : [lhs]).some((v) => {
        const p = toPoint(v);
        return p !== null && inside(p);
      });
  };
}

const rejectOperator = (message: () => MongoError) => () => {
  throw message();
};

const exprCompare = (ok: (c: number) => boolean) => (obj: AnyObject, expr: unknown, options: Options) => {
  const args = evalExpr(obj, expr, options) as unknown[];
  if (!Array.isArray(args) || args.length !== 2) throw badValue('comparison expressions take exactly 2 arguments');
  return ok(compareValues(args[0] ?? null, args[1] ?? null));
};

function numericValues(coll: AnyObject[], expr: unknown, options: Options): number[] {
  if (isNumeric(expr)) return coll.map(() => toNumber(expr));
  return (accumulatorOperators.$push(coll, expr, options) as unknown[]).filter(isNumeric).map(toNumber);
}

/** `$bucket` (mingo misplaces values equal to an inner boundary). */
function bucketStage(coll: Iterator, expr: Doc, options: Options): Iterator {
  const bounds = expr.boundaries;
  if (!Array.isArray(bounds) || bounds.length < 2) throw badValue('$bucket needs at least two boundaries');
  for (let i = 1; i < bounds.length; i++)
    if (compareValues(bounds[i - 1], bounds[i]) >= 0) throw badValue("$bucket: 'boundaries' must be sorted ascending");
  const output = isPlainObject(expr.output) ? expr.output : { count: { $sum: 1 } };
  return coll.transform((docs: Doc[]) => {
    const groups = new Map<number, Doc[]>();
    for (const doc of docs) {
      const key = evalExpr(doc, expr.groupBy, options);
      let slot = -1;
      for (let i = 0; i < bounds.length - 1; i++)
        if (compareValues(key, bounds[i]) >= 0 && compareValues(key, bounds[i + 1]) < 0) slot = i;
      if (slot < 0 && expr.default === undefined)
        throw badValue('$bucket could not find a matching branch for an input, and no default was specified.');
      groups.set(slot, [...(groups.get(slot) ?? []), doc]);
    }
    const slots = [...groups.keys()].sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : a - b));
    return Lazy(
      slots.map((slot) => ({
        _id: slot < 0 ? expr.default : bounds[slot],
        ...(evalExpr(groups.get(slot), output, options) as Doc),
      })),
    );
  });
}

const queryOps = {
  $eq: fieldOperator(eqTest),
  $ne: fieldOperator((rhs) => {
    const eq = eqTest(rhs);
    return (lhs, depth) => !eq(lhs, depth);
  }),
  $in: fieldOperator(inTest),
  $nin: fieldOperator((rhs) => {
    const test = inTest(rhs);
    return (lhs, depth) => !test(lhs, depth);
  }),
  $gt: fieldOperator(rangeTest((c) => c > 0)),
  $gte: fieldOperator(rangeTest((c) => c >= 0)),
  $lt: fieldOperator(rangeTest((c) => c < 0)),
  $lte: fieldOperator(rangeTest((c) => c <= 0)),
  $type: fieldOperator(typeTest),
  $geoWithin: fieldOperator(geoTest('$geoWithin')),
  $geoIntersects: fieldOperator(geoTest('$geoIntersects')),
  $near: rejectOperator(() => badValue('$near is only allowed at the top level of a find filter')),
  $nearSphere: rejectOperator(() => badValue('$nearSphere is only allowed at the top level of a find filter')),
};

const expressionOps = {
  ...Object.fromEntries(Object.entries(COMPARISONS).map(([op, ok]) => [op, exprCompare(ok)])),
  $cmp: (obj: AnyObject, expr: unknown, options: Options) => {
    const [a, b] = evalExpr(obj, expr, options) as unknown[];
    return Math.sign(compareValues(a ?? null, b ?? null));
  },
  // mingo's logical operators treat Long/Decimal128 zero as true and `$not: ['']` as true; MongoDB does neither.
  $cond: (obj: AnyObject, expr: unknown, options: Options) => {
    const [test, then, otherwise] = isPlainObject(expr) ? [expr.if, expr.then, expr.else] : (expr as unknown[]);
    return evalExpr(obj, truthy(evalExpr(obj, test, options)) ? then : otherwise, options);
  },
  $and: (obj: AnyObject, expr: unknown, options: Options) =>
    argList(expr).every((e) => truthy(evalExpr(obj, e, options))),
  $or: (obj: AnyObject, expr: unknown, options: Options) =>
    argList(expr).some((e) => truthy(evalExpr(obj, e, options))),
  $not: (obj: AnyObject, expr: unknown, options: Options) => !truthy(evalExpr(obj, argList(expr)[0], options)),
  $type: (obj: AnyObject, expr: unknown, options: Options) => {
    const v = evalExpr(obj, Array.isArray(expr) ? expr[0] : expr, options);
    return v === undefined ? 'missing' : bsonTypeName(v);
  },
};

const argList = (expr: unknown): unknown[] => (Array.isArray(expr) ? expr : [expr]);

/** `$min`/`$max` in MongoDB's cross-type value order (mingo's own order puts ObjectIds after dates). */
const extremeAccumulator = (better: (c: number) => boolean) => (coll: AnyObject[], expr: unknown, options: Options) =>
  (accumulatorOperators.$push(coll, expr, options) as unknown[]).reduce<unknown>(
    (best, v) => extremeOf(best, v, better),
    null,
  );

const accumulatorOps = {
  $min: extremeAccumulator((c) => c < 0),
  $max: extremeAccumulator((c) => c > 0),
  $sum: (coll: AnyObject[], expr: unknown, options: Options) =>
    numericValues(coll, expr, options).reduce((a, b) => a + b, 0),
  $avg: (coll: AnyObject[], expr: unknown, options: Options) => {
    const nums = numericValues(coll, expr, options);
    return nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
  },
};

/** Stages that never modify their input documents (with `$facet` when all its pipelines are such). */
const READ_ONLY_STAGES = new Set(['$match', '$count', '$skip', '$limit', '$sort', '$group', '$sortByCount']);

/**
 * Whether a pipeline leaves its input documents untouched, so stored documents can be fed to it without copies.
 * `$$ROOT`/`$$CURRENT` could hand a document itself to a later, modifying stage.
 */
export function readOnlyPipeline(pipeline: unknown[]): boolean {
  return (
    pipeline.every((stage) => {
      const [name, arg] = isPlainObject(stage) ? (Object.entries(stage)[0] ?? []) : [];
      if (name === '$facet')
        return isPlainObject(arg) && Object.values(arg).every((p) => Array.isArray(p) && readOnlyPipeline(p));
      // A projection builds new top-level documents; excluding or including inside subdocuments could edit shared ones.
      if (name === '$project')
        return (
          isPlainObject(arg) &&
          Object.entries(arg).every(([k, v]) => !k.includes('.') && (!isPlainObject(v) || isOperatorObject(v)))
        );
      return READ_ONLY_STAGES.has(name ?? '');
    }) && !/\$\$(ROOT|CURRENT)/.test(JSON.stringify(pipeline))
  );
}

/** `$facet`: mingo deep-copies the input for every facet; a read-only facet pipeline shares it. */
function facetStage(coll: Iterator, spec: unknown, options: Options): Iterator {
  if (!isPlainObject(spec)) throw badValue('$facet requires an object');
  for (const pipeline of Object.values(spec))
    if (!Array.isArray(pipeline)) throw badValue('arguments to $facet must be arrays');
  return coll.transform((docs: Doc[]) =>
    Lazy([
      Object.fromEntries(
        Object.entries(spec as Record<string, Doc[]>).map(([name, pipeline]) => [
          name,
          new Aggregator(pipeline, options).run(readOnlyPipeline(pipeline) ? docs : docs.map(cloneValue)),
        ]),
      ),
    ]),
  );
}

/** `$group` and `$project` compiled where they can be (compiled.ts), else mingo's. */
function compiledStage(
  compile: (spec: Doc) => ((docs: Doc[]) => Doc[]) | null,
  interpreted: (coll: Iterator, spec: unknown, options: Options) => Iterator,
) {
  return (coll: Iterator, spec: unknown, options: Options): Iterator => {
    const run = isPlainObject(spec) ? compile(spec) : null;
    if (!run) return interpreted(coll, spec, options);
    return coll.transform((docs: Doc[]) => {
      try {
        return Lazy(run(docs));
      } catch (err) {
        if (err !== FALLBACK) throw err;
        return interpreted(Lazy(docs), spec, options);
      }
    });
  };
}

const pipelineOps = {
  $group: compiledStage(compileGroup, pipelineOperators.$group as never),
  $project: compiledStage(
    (spec) => {
      const project = compileProject(spec);
      return project && ((docs) => docs.map(project));
    },
    (coll: Iterator, spec: unknown, options: Options) =>
      coll.transform((docs: Doc[]) => {
        const out = (pipelineOperators.$project as never as (c: Iterator, s: unknown, o: Options) => Iterator)(
          Lazy(docs),
          spec,
          options,
        ).collect<Doc>();
        return Lazy(out.map((p, i) => inStoredOrder(p, docs[i])));
      }),
  ),
  $sort: (coll: Iterator, spec: unknown) => coll.transform((docs: Doc[]) => Lazy(sortDocs(docs, spec))),
  $bucket: bucketStage,
  $facet: facetStage,
  $out: rejectOperator(() => unsupported('the $out aggregation stage')),
  $merge: rejectOperator(() => unsupported('the $merge aggregation stage')),
  $geoNear: rejectOperator(() => badValue('$geoNear is only valid as the first stage in a pipeline')),
};

/** mingo's operators with ours taking precedence (mingo's own Context.from lets the first registration win). */
const CONTEXT = Context.init({
  query: { ...queryOperators, ...queryOps } as never,
  expression: { ...expressionOperators, ...expressionOps } as never,
  accumulator: { ...accumulatorOperators, ...accumulatorOps } as never,
  pipeline: { ...pipelineOperators, ...pipelineOps } as never,
  projection: projectionOperators,
  window: windowOperators,
});

export interface QueryEnv {
  /** Resolves a collection name of the same database (for `$lookup`, `$unionWith`, `$graphLookup`). */
  collectionResolver?: (name: string) => Doc[];
  variables?: Doc;
  /** For readers outside a running transaction: the previous versions of the documents it changed. */
  uncommitted?: (coll: Collection) => Map<string, Doc | null> | undefined;
}

const BASE_OPTIONS: Partial<Options> = {
  context: CONTEXT,
  jsonSchemaValidator: (schema) => compileSchema(schema) as (v: AnyObject) => boolean,
  processingMode: ProcessingMode.CLONE_OFF,
  useStrictMode: true,
  scriptEnabled: false,
};

const letCache = new WeakMap<Doc, Doc>();

/** A command's `let` values are expressions (`{ $literal: … }`, `{ $add: … }`), evaluated once before it runs. */
function letValues(variables: Doc): Doc {
  let values = letCache.get(variables);
  if (!values) {
    values = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, translateErrors(() => evalExpr({}, v, BASE_OPTIONS as Options))]),
    );
    letCache.set(variables, values);
  }
  return values;
}

export const mingoOptions = (env: QueryEnv = {}): Partial<Options> => ({
  ...BASE_OPTIONS,
  ...(env.collectionResolver ? { collectionResolver: env.collectionResolver } : {}),
  ...(env.variables ? { variables: letValues(env.variables) } : {}),
});

/** Runs `fn`, turning mingo's assertion failures into MongoDB errors. */
export function translateErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MongoError || !(err instanceof Error)) throw err;
    const m = err.message;
    let match: RegExpExecArray | null;
    if ((match = /unregistered pipeline operator (\$\w+)/.exec(m)))
      throw new MongoError(40324, `Unrecognized pipeline stage name: '${match[1]}'`);
    if ((match = /unknown (?:top level |query )?operator:? (\$\w+)/.exec(m)))
      throw badValue(`unknown operator: ${match[1]}`);
    if ((match = /accumulator '(\$\w+)' is not registered/.exec(m)))
      throw new MongoError(168, `Unrecognized expression '${match[1]}'`);
    if ((match = /Unknown update operator: '(\$\w+)'/.exec(m)))
      throw new MongoError(9, `Unknown modifier: ${match[1]}`);
    if (err instanceof MingoError || err instanceof TypeError) throw badValue(m);
    throw err;
  }
}

const SCALAR_TYPES = new Set(['ObjectId', 'Long', 'Decimal128']);

/** Values whose equality test is plain `valuesEqual` (no regex, subdocument or array semantics). */
const isScalar = (v: unknown): boolean =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'number' ||
  typeof v === 'boolean' ||
  v instanceof Date ||
  (typeof v === 'object' && SCALAR_TYPES.has((v as { _bsontype?: string })._bsontype ?? ''));

/**
 * `{ field: scalar, ... }` on top-level fields, the shape of most application lookups (`findById`, foreign keys,
 * `deletedAt: null`), tested directly: equal to the field's value or to one of its elements. Compiling a mingo
 * query costs more than running this on the few documents an index yields.
 */
function equalityFilter(filter: Doc): Predicate | null {
  const clauses = Object.entries(filter);
  if (!clauses.every(([k, v]) => !k.startsWith('$') && !k.includes('.') && isScalar(v))) return null;
  return (doc) =>
    clauses.every(([k, v]) => {
      const x = doc[k];
      return valuesEqual(x, v) || (Array.isArray(x) && x.some((e) => valuesEqual(e, v)));
    });
}

export function compileFilter(filter: Doc, env?: QueryEnv): Predicate {
  if (Object.keys(filter).length === 0) return () => true;
  const equality = equalityFilter(filter);
  if (equality) return equality;
  if ('$text' in filter) throw unsupported('the $text query operator (text indexes)');
  if ('$where' in filter) throw unsupported('the $where query operator (server-side JavaScript)');
  const query = translateErrors(() => new Query(filter, mingoOptions(env)));
  return (doc) => translateErrors(() => query.test(doc));
}

/** Sort key of one document: arrays contribute their smallest element ascending and largest descending. */
function sortKey(doc: Doc, path: string, dir: number): unknown {
  if (!path.includes('.')) {
    const v = doc[path];
    if (!Array.isArray(v)) return v ?? null;
  }
  const values = pathValues(doc, path.split('.')).flatMap((v) => (Array.isArray(v) && v.length ? v : [v]));
  let best: unknown = undefined;
  let first = true;
  for (const raw of values) {
    const v = raw === undefined || (Array.isArray(raw) && raw.length === 0) ? null : raw;
    if (first || compareValues(v, best) * dir < 0) best = v;
    first = false;
  }
  return best ?? null;
}

export function parseSort(spec: unknown): Array<[string, number]> {
  if (!isPlainObject(spec)) throw badValue('sort must be an object');
  return Object.entries(spec).map(([path, dir]) => {
    if (isPlainObject(dir)) throw unsupported(`sort by ${JSON.stringify(dir)} (text score metadata)`);
    const d = toNumber(dir);
    if (d !== 1 && d !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    return [path, d];
  });
}

/**
 * Stable sort of documents by a MongoDB sort specification. With `keep` (skip + limit) much smaller than the input,
 * only the first `keep` documents are kept in order while scanning (a bounded insertion sort).
 */
export function sortDocs<T extends Doc>(docs: T[], spec: unknown, keep = Infinity): T[] {
  const keys = parseSort(spec);
  if (keys.length === 0) return docs;
  type Entry = { doc: T; i: number; k: unknown[] };
  const entry = (doc: T, i: number): Entry => ({ doc, i, k: keys.map(([p, d]) => sortKey(doc, p, d)) });
  const cmp = (a: Entry, b: Entry): number => {
    for (let j = 0; j < keys.length; j++) {
      const c = compareValues(a.k[j], b.k[j]) * (keys[j] as [string, number])[1];
      if (c) return c;
    }
    return a.i - b.i;
  };
  if (keep * 4 >= docs.length)
    return docs
      .map(entry)
      .sort(cmp)
      .map((e) => e.doc);
  const top: Entry[] = [];
  docs.forEach((doc, i) => {
    const e = entry(doc, i);
    if (top.length === keep && cmp(e, top[top.length - 1] as Entry) >= 0) return;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(top[mid] as Entry, e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, e);
    if (top.length > keep) top.pop();
  });
  return top.map((e) => e.doc);
}

/** `projected` with its fields in `stored`'s order (subdocuments too), then any fields `stored` lacks. */
function inStoredOrder(projected: unknown, stored: unknown): unknown {
  if (Array.isArray(projected) && Array.isArray(stored) && projected.length === stored.length)
    return projected.map((v, i) => inStoredOrder(v, stored[i]));
  if (!isPlainObject(projected) || !isPlainObject(stored)) return projected;
  const out: Doc = {};
  for (const k of Object.keys(stored)) if (k in projected) out[k] = inStoredOrder(projected[k], stored[k]);
  for (const k of Object.keys(projected)) if (!(k in out)) out[k] = projected[k];
  return out;
}

const included = (v: unknown): boolean => v === true || (typeof v === 'number' && v !== 0);
const excluded = (v: unknown): boolean => v === false || v === 0;

/** Copies of the documents with only the top-level fields `keep` accepts, in the stored order. */
const pickFields = (keep: (field: string) => boolean) => (docs: Doc[]) =>
  docs.map((doc) => {
    const out: Doc = {};
    for (const k of Object.keys(doc)) if (keep(k)) out[k] = doc[k];
    return out;
  });

/** Fields to include, with the subdocuments' fields for dotted paths (`{ 'a.b': 1 }` → a → b). */
type Inclusion = Map<string, Inclusion | true>;

/** The inclusion tree of dotted paths, or null when two paths collide (`a` and `a.b`), which mingo reports. */
function inclusionTree(paths: string[]): Inclusion | null {
  const root: Inclusion = new Map();
  for (const path of paths) {
    const parts = path.split('.');
    let node = root;
    for (const [i, part] of parts.entries()) {
      const found = node.get(part);
      if (i === parts.length - 1) {
        if (found) return null;
        node.set(part, true);
      } else if (found === true) return null;
      else if (found) node = found;
      else node.set(part, (node = new Map()));
    }
  }
  return root;
}

/**
 * A subdocument with only the fields of `tree`, in its stored order; as in MongoDB, a path through an array applies
 * to each subdocument in it (other elements are dropped), and a path into a scalar includes nothing.
 */
function pickIncluded(value: unknown, tree: Inclusion): unknown {
  if (Array.isArray(value))
    return value.flatMap((v) => (Array.isArray(v) || isPlainObject(v) ? [pickIncluded(v, tree)] : []));
  const doc = value as Doc;
  const out: Doc = {};
  for (const k of Object.keys(doc)) {
    const sub = tree.get(k);
    if (sub === true) out[k] = doc[k];
    else if (sub && (Array.isArray(doc[k]) || isPlainObject(doc[k]))) out[k] = pickIncluded(doc[k], sub);
  }
  return out;
}

/**
 * Applies a find projection (inclusion, exclusion, `$slice`, `$elemMatch`); returns new objects. Included fields
 * keep the stored document's order, as in MongoDB (mingo orders them its own way). Inclusions (dotted paths too)
 * and top-level exclusions, what applications mostly send, are picked directly.
 */
export function compileProjection(projection: Doc | undefined): ((docs: Doc[]) => Doc[]) | null {
  if (!projection || Object.keys(projection).length === 0) return null;
  const entries = Object.entries(projection);
  if (entries.some(([k]) => k.endsWith('.$'))) throw unsupported('positional ($) projection');
  const topLevel = entries.every(([k]) => !k.includes('.') && !k.startsWith('$'));
  const id = projection._id;
  const fields = entries.filter(([k]) => k !== '_id');
  if (topLevel && (id === undefined || included(id) || excluded(id))) {
    // `{ _id: 1 }` alone includes only _id.
    if (fields.every(([, v]) => included(v)) && (fields.length > 0 || included(id))) {
      const keep = new Set(fields.map(([k]) => k));
      if (!excluded(id)) keep.add('_id');
      return pickFields((k) => keep.has(k));
    }
    if (fields.every(([, v]) => excluded(v))) {
      const drop = new Set(entries.filter(([, v]) => excluded(v)).map(([k]) => k));
      return pickFields((k) => !drop.has(k));
    }
  }
  const plainPaths = entries.every(([k]) => !k.startsWith('$') && !k.startsWith('_id.') && !k.split('.').includes(''));
  if (
    plainPaths &&
    fields.length > 0 &&
    fields.every(([, v]) => included(v)) &&
    (id === undefined || included(id) || excluded(id))
  ) {
    const tree = inclusionTree(fields.map(([k]) => k));
    if (tree) {
      if (!excluded(id)) tree.set('_id', true);
      return (docs) => docs.map((doc) => pickIncluded(doc, tree) as Doc);
    }
  }
  const query = new Query({}, mingoOptions());
  return (docs) =>
    translateErrors(() =>
      (query.find(docs, projection).all() as Doc[]).map((p, i) => inStoredOrder(p, docs[i]) as Doc),
    );
}

/** Runs an aggregation pipeline over documents the pipeline may freely mutate. */
export function runPipeline(docs: Doc[], pipeline: Doc[], env?: QueryEnv): Doc[] {
  return translateErrors(() => new Aggregator(pipeline, mingoOptions(env)).run(docs) as Doc[]);
}

/** The value of an aggregation expression for one document. */
export function evaluate(doc: Doc, expr: unknown, env?: QueryEnv): unknown {
  return translateErrors(() => evalExpr(doc, expr, mingoOptions(env) as Options));
}

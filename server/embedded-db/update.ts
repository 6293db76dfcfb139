/**
 * Update semantics: operator updates (through mingo's updater, plus `$setOnInsert` and a MongoDB-exact
 * `$addToSet`), replacements and pipeline updates, with MongoDB's validation errors (type mismatches, conflicting
 * paths, immutable `_id`) and upsert document seeding from the filter's equality clauses.
 */
import { ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import {
  bsonTypeName,
  cloneValue,
  compareValues,
  getPath,
  isNumeric,
  isPlainObject,
  setPath,
  toNumber,
  valuesEqual,
  withStringOrder,
  type Doc,
} from './bson-values';
import { collationOrder } from './collation';
import { badValue, MongoError } from './errors';
import { mingoOptions, runPipeline, sortDocs, translateErrors, type QueryEnv } from './query';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$rename',
  '$setOnInsert',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$min',
  '$max',
  '$currentDate',
  '$bit',
]);
const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export function updateKind(u: unknown): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  if (!isPlainObject(u)) throw new MongoError(9, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return 'replacement';
  if (ops.length !== keys.length) {
    const bad = keys.find((k) => !k.startsWith('$'));
    throw new MongoError(9, `Unknown modifier: ${bad}. Expected a valid update modifier or pipeline-style update`);
  }
  const unknown = ops.find((k) => !OPERATORS.has(k));
  if (unknown) throw new MongoError(9, `Unknown modifier: ${unknown}. Expected a valid update modifier`);
  return 'operators';
}

export interface UpdateOptions {
  filter: Doc;
  arrayFilters?: Doc[];
  /** True when the update builds a new document for an upsert (`$setOnInsert` applies). */
  inserting: boolean;
  env?: QueryEnv;
  /** The statement's collation (the positional `$` and `$pull` match under it). */
  collation?: unknown;
}

/** Returns the updated copy of `doc`; `doc` itself is never modified. */
export function applyUpdate(doc: Doc, u: unknown, opts: UpdateOptions): Doc {
  const kind = updateKind(u);
  let out: Doc;
  if (kind === 'replacement') {
    const { _id, ...rest } = cloneValue(u as Doc);
    if (_id !== undefined && doc._id !== undefined && !valuesEqual(_id, doc._id))
      throw new MongoError(
        66,
        `The _id field cannot be changed from {_id: ${String(doc._id)}} to {_id: ${String(_id)}}.`,
      );
    out = { _id: doc._id ?? _id, ...rest };
    if (out._id === undefined) delete out._id;
  } else if (kind === 'pipeline') {
    for (const stage of u as Doc[]) {
      const name = Object.keys(stage)[0] ?? '';
      if (!PIPELINE_STAGES.has(name)) throw badValue(`${name} is not allowed to be used within an update`);
    }
    out = runPipeline([cloneValue(doc)], u as Doc[], opts.env)[0] ?? {};
  } else {
    out = applyOperators(doc, u as Doc, opts);
  }
  if (doc._id !== undefined && !valuesEqual(out._id, doc._id)) {
    if (out._id !== undefined || kind === 'operators')
      throw new MongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    out = { _id: doc._id, ...out };
  }
  return out;
}

function applyOperators(doc: Doc, u: Doc, opts: UpdateOptions): Doc {
  const mods: Doc = { ...u };
  const onInsert = mods.$setOnInsert as Doc | undefined;
  delete mods.$setOnInsert;
  checkConflicts(u);
  if (onInsert && opts.inserting) mods.$set = { ...(mods.$set as Doc), ...onInsert };
  const out = cloneValue(doc);
  protectId(out, mods);
  for (const [op, fn] of [
    ['$addToSet', addToSet],
    ['$push', push],
  ] as const) {
    if (!isPlainObject(mods[op])) continue;
    mods[op] = fn(out, mods[op] as Doc);
    if (Object.keys(mods[op] as Doc).length === 0) delete mods[op];
  }
  validateTargets(out, mods);
  if (Object.keys(mods).length === 0) return out;
  // mingo applies an update only where its condition matches. The document was matched already; the condition is
  // there for the positional `$`. An upsert's seed need not match its filter (`{ proxy: { $ne: null } }` seeds no
  // proxy), and MongoDB applies the whole update to it all the same.
  const condition = opts.inserting ? {} : opts.filter;
  withStringOrder(collationOrder(opts.collation), () =>
    translateErrors(() =>
      mingoUpdate(out, mods, opts.arrayFilters, condition, { cloneMode: 'deep', queryOptions: mingoOptions(opts.env) }),
    ),
  );
  return out;
}

/** Two operators touching the same path, or a path and its prefix, is MongoDB error 40. */
function checkConflicts(u: Doc): void {
  const paths: string[] = [];
  for (const [op, arg] of Object.entries(u)) {
    if (!isPlainObject(arg))
      throw new MongoError(9, `Modifiers operate on fields but we found type ${bsonTypeName(arg)} instead`);
    for (const [path, v] of Object.entries(arg)) {
      paths.push(path);
      if (op === '$rename' && typeof v === 'string') paths.push(v);
    }
  }
  const seen = new Set<string>();
  for (const p of paths.map((x) => x.replace(/\.\$(\[[^\]]*\])?/g, ''))) {
    const parts = p.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      if (seen.has(prefix) || (i === parts.length && [...seen].some((s) => s.startsWith(p + '.'))))
        throw new MongoError(40, `Updating the path '${p}' would create a conflict at '${prefix}'`);
    }
    seen.add(p);
  }
}

const plainPath = (path: string): boolean => !path.includes('$');

/** The checks mingo's updater skips silently: arithmetic on non-numbers, array operators on non-arrays. */
function validateTargets(doc: Doc, mods: Doc): void {
  const each = (op: string, fn: (path: string, current: unknown, arg: unknown) => void): void => {
    if (!isPlainObject(mods[op])) return;
    for (const [path, arg] of Object.entries(mods[op] as Doc)) if (plainPath(path)) fn(path, getPath(doc, path), arg);
  };
  for (const op of ['$inc', '$mul']) {
    each(op, (path, current, arg) => {
      if (!isNumeric(arg))
        throw new MongoError(
          14,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`,
        );
      if (current !== undefined && !isNumeric(current))
        throw new MongoError(
          14,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${bsonTypeName(current)}`,
        );
    });
  }
  for (const op of ['$pull', '$pullAll', '$pop']) {
    each(op, (path, current) => {
      if (current !== undefined && !Array.isArray(current))
        throw badValue(
          `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${String(doc._id)}}`,
        );
    });
  }
}

/** `_id` may only be `$set` to its current value. */
function protectId(doc: Doc, mods: Doc): void {
  if (doc._id === undefined) return;
  for (const [op, arg] of Object.entries(mods)) {
    for (const [path, v] of Object.entries(arg as Doc)) {
      if (path !== '_id' && !path.startsWith('_id.')) continue;
      if (op === '$set' && path === '_id' && valuesEqual(v, doc._id)) delete (arg as Doc)[path];
      else throw new MongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
  }
}

/** The array at a plain path, or a MongoDB error naming the operator when something else is there. */
function arrayAt(doc: Doc, path: string, op: string): unknown[] {
  const current = getPath(doc, path);
  if (current !== undefined && !Array.isArray(current))
    throw badValue(
      `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${String(doc._id)}} (${op})`,
    );
  return [...((current as unknown[] | undefined) ?? [])];
}

/** `$push` with `$each`, `$position`, `$sort` and `$slice` on plain paths; positional paths are left to mingo. */
function push(doc: Doc, spec: Doc): Doc {
  const rest: Doc = {};
  for (const [path, arg] of Object.entries(spec)) {
    if (!plainPath(path)) {
      rest[path] = arg;
      continue;
    }
    let arr = arrayAt(doc, path, '$push');
    const mods = isPlainObject(arg) && '$each' in arg ? arg : { $each: [arg] };
    if (!Array.isArray(mods.$each)) throw badValue('The argument to $each in $push must be an array');
    const values = mods.$each.map(cloneValue);
    const at = mods.$position === undefined ? arr.length : toNumber(mods.$position);
    arr.splice(at < 0 ? Math.max(0, arr.length + at) : at, 0, ...values);
    if (mods.$sort !== undefined) {
      arr = isPlainObject(mods.$sort)
        ? sortDocs(arr as Doc[], mods.$sort)
        : arr.sort((a, b) => compareValues(a, b) * toNumber(mods.$sort));
    }
    if (mods.$slice !== undefined) {
      const n = toNumber(mods.$slice);
      arr = n >= 0 ? arr.slice(0, n) : arr.slice(n);
    }
    setPath(doc, path, arr);
  }
  return rest;
}

/** `$addToSet` on plain paths, done here with MongoDB equality; positional paths are left to mingo. */
function addToSet(doc: Doc, spec: Doc): Doc {
  const rest: Doc = {};
  for (const [path, arg] of Object.entries(spec)) {
    if (!plainPath(path)) {
      rest[path] = arg;
      continue;
    }
    const current = getPath(doc, path);
    if (current !== undefined && !Array.isArray(current))
      throw badValue(
        `Cannot apply $addToSet to non-array field. Field named '${path}' has non-array type ${bsonTypeName(current)}`,
      );
    const values = isPlainObject(arg) && '$each' in arg ? arg.$each : [arg];
    if (!Array.isArray(values)) throw badValue('The argument to $each in $addToSet must be an array');
    const arr = [...((current as unknown[] | undefined) ?? [])];
    for (const v of values) if (!arr.some((x) => valuesEqual(x, v))) arr.push(cloneValue(v));
    setPath(doc, path, arr);
  }
  return rest;
}

/** The document an upsert starts from: the filter's equality clauses (including those inside `$and`). */
export function upsertSeed(filter: Doc, into: Doc = {}): Doc {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) for (const sub of v) if (isPlainObject(sub)) upsertSeed(sub, into);
    if (k.startsWith('$') || v instanceof RegExp) continue;
    if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
      if ('$eq' in v) setPath(into, k, cloneValue(v.$eq));
    } else {
      setPath(into, k, cloneValue(v));
    }
  }
  return into;
}

/** MongoDB keeps `_id` first and generates an ObjectId when a new document has none. */
export function withId(doc: Doc): Doc {
  const { _id, ...rest } = doc;
  if (Array.isArray(_id)) throw new MongoError(53, `The '_id' value cannot be of type array`);
  if (_id instanceof RegExp) throw new MongoError(53, `The '_id' value cannot be of type regex`);
  const dollar = isPlainObject(_id) ? Object.keys(_id).find((k) => k.startsWith('$')) : undefined;
  if (dollar)
    throw new MongoError(53, `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`);
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}

/** Builds the document an upsert inserts. */
export function upsertDocument(filter: Doc, u: unknown, opts: Omit<UpdateOptions, 'inserting' | 'filter'>): Doc {
  const seed = upsertSeed(filter);
  const kind = updateKind(u);
  const base = kind === 'replacement' ? {} : seed;
  const built = applyUpdate(base, kind === 'replacement' ? { ...(u as Doc) } : u, { ...opts, filter, inserting: true });
  if (kind === 'replacement' && seed._id !== undefined) {
    if (built._id !== undefined && !valuesEqual(built._id, seed._id))
      throw new MongoError(66, "Performing an upsert with a replacement whose _id differs from the query's _id");
    built._id = seed._id;
  }
  if (seed._id !== undefined && !valuesEqual(built._id, seed._id))
    throw new MongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  return withId(built);
}

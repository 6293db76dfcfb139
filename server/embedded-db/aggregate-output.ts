/**
 * Pipelines that write: `$out` (replaces a collection with the results, atomically: they are built in a temporary
 * collection that is then renamed over the target, keeping its indexes and options) and `$merge` (each result
 * matched to a target document on `on` and merged, replaced, kept, failed or run through a pipeline; unmatched
 * ones inserted, discarded or failed). Both answer an empty cursor.
 */
import { UUID } from 'bson';
import { isPlainObject, valuesEqual, type Doc } from './bson-values';
import type { CommandContext } from './context';
import { badValue, MongoError } from './errors';
import { selectDocs } from './planner';
import { evaluate } from './query';
import { idKey, type Collection } from './store';
import { applyUpdate, withId } from './update';
import { refuseView } from './views';

/** A pipeline's stages without its final `$out`/`$merge`, and that stage. */
export function splitOutput(pipeline: Doc[]): { stages: Doc[]; output: Doc | null } {
  pipeline.forEach((stage, i) => {
    const name = '$out' in stage ? '$out' : '$merge' in stage ? '$merge' : null;
    if (name && i !== pipeline.length - 1)
      throw new MongoError(40601, `${name} can only be the final stage in the pipeline`);
  });
  const last = pipeline[pipeline.length - 1];
  if (last && ('$out' in last || '$merge' in last)) return { stages: pipeline.slice(0, -1), output: last };
  return { stages: pipeline, output: null };
}

/** `{ db, coll }` from a stage's target, a collection name or a `{ db, coll }` document. */
function target(ctx: CommandContext, spec: unknown, stage: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db: ctx.db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string')
    return { db: typeof spec.db === 'string' ? spec.db : ctx.db, coll: spec.coll };
  throw badValue(`${stage} needs a collection name or { db, coll }`);
}

/** Writes the results of a pipeline as its final `$out` or `$merge` stage says. */
export function writeOutput(ctx: CommandContext, stage: Doc, docs: Doc[]): void {
  ctx.write.bypassValidation = ctx.body.bypassDocumentValidation === true;
  if ('$out' in stage) out(ctx, target(ctx, stage.$out, '$out'), docs);
  else merge(ctx, isPlainObject(stage.$merge) ? stage.$merge : { into: stage.$merge }, docs);
}

function out(ctx: CommandContext, to: { db: string; coll: string }, docs: Doc[]): void {
  const store = ctx.engine.store;
  const existing = store.get(to.db, to.coll);
  refuseView(existing);
  const temp = store.createCollection(
    ctx.write,
    to.db,
    `tmp.agg_out.${new UUID().toHexString()}`,
    existing?.options ?? {},
  );
  try {
    for (const idx of existing?.indexes.values() ?? []) if (!idx.isId) store.createIndex(ctx.write, temp, idx.spec);
    for (const doc of docs) store.insert(ctx.write, temp, withId(doc));
  } catch (err) {
    store.dropCollection(ctx.write, to.db, temp.name);
    throw err;
  }
  if (existing) store.dropCollection(ctx.write, to.db, to.coll);
  store.renameCollection(ctx.write, temp, to.coll);
}

type WhenMatched = 'merge' | 'replace' | 'keepExisting' | 'fail' | Doc[];

function merge(ctx: CommandContext, spec: Doc, docs: Doc[]): void {
  const to = target(ctx, spec.into, '$merge');
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  if (!on.length || !on.every((f) => typeof f === 'string')) throw badValue("$merge 'on' must be a field or fields");
  const whenMatched = (spec.whenMatched ?? 'merge') as WhenMatched;
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  if (!Array.isArray(whenMatched) && !['merge', 'replace', 'keepExisting', 'fail'].includes(whenMatched))
    throw badValue(`Enumeration value '${String(whenMatched)}' for field 'whenMatched' is not a valid value.`);
  if (!['insert', 'discard', 'fail'].includes(whenNotMatched as string))
    throw badValue(`Enumeration value '${String(whenNotMatched)}' for field 'whenNotMatched' is not a valid value.`);
  const store = ctx.engine.store;
  refuseView(store.get(to.db, to.coll));
  const coll = store.ensure(ctx.write, to.db, to.coll);
  // As in MongoDB, fields other than _id must be those of a unique index, so a result matches at most one document.
  const fields = [...(on as string[])].sort().join();
  if (
    fields !== '_id' &&
    ![...coll.indexes.values()].some((i) => i.spec.unique && Object.keys(i.spec.key).sort().join() === fields)
  )
    throw new MongoError(51183, 'Cannot find index to verify that join fields will be unique');
  for (const doc of docs) {
    const matched = matchOn(coll, on as string[], doc);
    if (!matched) {
      if (whenNotMatched === 'fail')
        throw new MongoError(
          13113,
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      if (whenNotMatched === 'insert') store.insert(ctx.write, coll, withId(doc));
      continue;
    }
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail')
      throw new MongoError(11000, `E11000 duplicate key error collection: ${coll.ns} index: _id_`, {
        keyPattern: { _id: 1 },
        keyValue: { _id: matched._id },
      });
    const next = Array.isArray(whenMatched)
      ? applyUpdate(matched, whenMatched, {
          filter: {},
          inserting: false,
          env: { variables: mergeVariables(spec, doc) },
        })
      : whenMatched === 'replace'
        ? { ...doc, _id: matched._id }
        : { ...matched, ...doc, _id: matched._id };
    if (!valuesEqual(next._id, matched._id) && doc._id !== undefined)
      throw new MongoError(66, '$merge failed to update the matching document, did you attempt to modify the _id?');
    store.replace(ctx.write, coll, matched, withId(next));
  }
}

/** `$merge`'s variables for a pipeline: its `let` evaluated against the result document (default `$$new`). */
function mergeVariables(spec: Doc, doc: Doc): Doc {
  const lets = isPlainObject(spec.let) ? spec.let : { new: '$$ROOT' };
  return Object.fromEntries(Object.entries(lets).map(([k, v]) => [k, { $literal: evaluate(doc, v) }]));
}

/** The target document whose `on` fields equal the result's; none when the result lacks `_id` (a new document). */
function matchOn(coll: Collection, on: string[], doc: Doc): Doc | undefined {
  if (on.length === 1 && on[0] === '_id') return doc._id === undefined ? undefined : coll.docs.get(idKey(doc._id));
  const filter: Doc = {};
  for (const field of on) {
    const v = field.split('.').reduce<unknown>((x, p) => (isPlainObject(x) ? x[p] : undefined), doc);
    if (v === undefined || v === null || Array.isArray(v))
      throw new MongoError(51132, `$merge write error: 'on' field '${field}' cannot be missing, null or an array`);
    filter[field] = { $eq: v };
  }
  return selectDocs(coll, filter, { limit: 1 })[0];
}

/** Read commands: find, getMore, killCursors, count, distinct and aggregate. */
import { Long } from 'bson';
import { cloneValue, compareValues, isPlainObject, pathValues, valueKey, type Doc } from '../bson-values';
import { badValue, unsupported } from '../errors';
import { geoNearStage, selectDocs } from '../planner';
import { compileProjection, runPipeline } from '../query';
import {
  checkCollation,
  collectionArg,
  optionalDoc,
  optionalNumber,
  queryEnv,
  type Command,
  type CommandContext,
} from '../context';

const UNSUPPORTED_FIND_OPTIONS = ['tailable', 'awaitData', 'returnKey', 'showRecordId', 'min', 'max', 'oplogReplay'];

const find: Command = {
  txn: true,
  run(ctx) {
    const b = ctx.body;
    const name = collectionArg(b);
    checkCollation(b.collation);
    for (const opt of UNSUPPORTED_FIND_OPTIONS) if (b[opt]) throw unsupported(`the find option '${opt}'`);
    const rawLimit = optionalNumber(b.limit, 'limit') ?? 0;
    const docs = selectDocs(ctx.engine.store.get(ctx.db, name), optionalDoc(b.filter, 'filter') ?? {}, {
      sort: optionalDoc(b.sort, 'sort'),
      skip: optionalNumber(b.skip, 'skip'),
      limit: Math.abs(rawLimit),
      hint: b.hint,
      env: queryEnv(ctx, b.let),
    });
    const cursor = ctx.engine.cursors.open({
      ns: `${ctx.db}.${name}`,
      docs,
      project: compileProjection(optionalDoc(b.projection, 'projection')),
      batchSize: optionalNumber(b.batchSize, 'batchSize'),
      singleBatch: b.singleBatch === true || rawLimit < 0,
      noTimeout: b.noCursorTimeout === true,
    });
    return { cursor, ok: 1 };
  },
};

const getMore: Command = {
  txn: true,
  run(ctx) {
    const id = ctx.body.getMore;
    if (!(id instanceof Long)) throw badValue('getMore cursor id must be a long');
    if (typeof ctx.body.collection !== 'string') throw badValue("getMore needs 'collection'");
    const ns = `${ctx.db}.${ctx.body.collection}`;
    return { cursor: ctx.engine.cursors.getMore(id, ns, optionalNumber(ctx.body.batchSize, 'batchSize')), ok: 1 };
  },
};

const killCursors: Command = {
  run(ctx) {
    const ids = ctx.body.cursors;
    if (!Array.isArray(ids) || !ids.every((id) => id instanceof Long))
      throw badValue("'cursors' must be an array of longs");
    return { ...ctx.engine.cursors.kill(ids as Long[]), ok: 1 };
  },
};

const count: Command = {
  txn: true,
  run(ctx) {
    const b = ctx.body;
    const coll = ctx.engine.store.get(ctx.db, collectionArg(b));
    checkCollation(b.collation);
    const query = optionalDoc(b.query, 'query') ?? {};
    const skip = optionalNumber(b.skip, 'skip') ?? 0;
    const limit = Math.abs(optionalNumber(b.limit, 'limit') ?? 0);
    const env = queryEnv(ctx);
    const total =
      Object.keys(query).length === 0 && !(coll && env.uncommitted?.(coll))
        ? Math.max(0, (coll?.docs.size ?? 0) - skip)
        : selectDocs(coll, query, { skip, hint: b.hint, env }).length;
    return { n: limit ? Math.min(limit, total) : total, ok: 1 };
  },
};

const distinct: Command = {
  txn: true,
  run(ctx) {
    const b = ctx.body;
    if (typeof b.key !== 'string') throw badValue("'key' must be a string");
    checkCollation(b.collation);
    const docs = selectDocs(ctx.engine.store.get(ctx.db, collectionArg(b)), optionalDoc(b.query, 'query') ?? {}, {
      env: queryEnv(ctx),
    });
    const seen = new Map<string, unknown>();
    const parts = b.key.split('.');
    for (const doc of docs) {
      for (const v of pathValues(doc, parts).flatMap((x) => (Array.isArray(x) ? x : [x]))) {
        if (v !== undefined && !seen.has(valueKey(v))) seen.set(valueKey(v), v);
      }
    }
    return { values: [...seen.values()].sort(compareValues), ok: 1 };
  },
};

/** Stages that never modify their input documents, so stored documents can be fed without copying. */
const READ_ONLY_STAGES = new Set(['$count', '$skip', '$limit', '$sort', '$group', '$sortByCount']);

function aggregateInput(ctx: CommandContext, name: string | null, pipeline: Doc[]): { docs: Doc[]; rest: Doc[] } {
  if (name === null) return { docs: [], rest: pipeline };
  const coll = ctx.engine.store.get(ctx.db, name);
  const env = queryEnv(ctx, ctx.body.let);
  const [first, ...others] = pipeline;
  if (first && '$geoNear' in first) return { docs: geoNearStage(coll, first.$geoNear as Doc, env), rest: others };
  const leadingMatch = first && '$match' in first ? (first.$match as Doc) : null;
  const rest = leadingMatch ? others : pipeline;
  const docs = selectDocs(coll, leadingMatch ?? {}, { env });
  const readOnly =
    rest.every((s) => READ_ONLY_STAGES.has(Object.keys(s)[0] ?? '')) &&
    !/\$\$(ROOT|CURRENT)/.test(JSON.stringify(rest));
  return { docs: readOnly ? docs : docs.map(cloneValue), rest };
}

const aggregate: Command = {
  txn: true,
  run(ctx) {
    const b = ctx.body;
    const name = b.aggregate === 1 ? null : collectionArg(b);
    if (!Array.isArray(b.pipeline) || !b.pipeline.every(isPlainObject))
      throw badValue("'pipeline' must be an array of objects");
    if (b.explain) throw unsupported('explain');
    checkCollation(b.collation);
    const cursorOpts = optionalDoc(b.cursor, 'cursor');
    if (!cursorOpts) throw badValue("The 'cursor' option is required, except for aggregate with the explain argument");
    const { docs, rest } = aggregateInput(ctx, name, b.pipeline as Doc[]);
    const out = runPipeline(docs, rest, queryEnv(ctx, b.let));
    const cursor = ctx.engine.cursors.open({
      ns: `${ctx.db}.${name ?? '$cmd.aggregate'}`,
      docs: out,
      batchSize: optionalNumber(cursorOpts.batchSize, 'batchSize'),
    });
    return { cursor, ok: 1 };
  },
};

export const readCommands: Record<string, Command> = { find, getMore, killCursors, count, distinct, aggregate };

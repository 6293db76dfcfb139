/** Read commands: find, getMore, killCursors, count, distinct, aggregate and explain. */
import { Long } from 'bson';
import {
  cloneValue,
  compareValues,
  isPlainObject,
  pathValues,
  valueKey,
  withStringOrder,
  type Doc,
} from '../bson-values';
import { queryCollation } from '../collation';
import { badValue, MongoError, unsupported } from '../errors';
import { geoNearStage, selectDocs, type QueryStats, type SelectOptions } from '../planner';
import { compileProjection, readOnlyPipeline, runPipeline } from '../query';
import { splitOutput, writeOutput } from '../aggregate-output';
import { resolveView } from '../views';
import {
  collectionArg,
  optionalDoc,
  optionalNumber,
  queryEnv,
  retryBlocked,
  type Command,
  type CommandContext,
} from '../context';

const UNSUPPORTED_FIND_OPTIONS = ['tailable', 'awaitData', 'returnKey', 'showRecordId', 'min', 'max', 'oplogReplay'];

/** The documents a find command selects (`ctx.body` is the command); through a view, its pipeline runs first. */
function findDocs(ctx: CommandContext, stats?: QueryStats): Doc[] {
  const b = ctx.body;
  for (const opt of UNSUPPORTED_FIND_OPTIONS) if (b[opt]) throw unsupported(`the find option '${opt}'`);
  const filter = optionalDoc(b.filter, 'filter') ?? {};
  const sort = optionalDoc(b.sort, 'sort');
  const skip = optionalNumber(b.skip, 'skip');
  const limit = Math.abs(optionalNumber(b.limit, 'limit') ?? 0);
  if (resolveView(ctx.engine.store, ctx.db, collectionArg(b)))
    return viewDocs(ctx, [
      { $match: filter },
      ...(sort ? [{ $sort: sort }] : []),
      ...(skip ? [{ $skip: skip }] : []),
      ...(limit ? [{ $limit: limit }] : []),
    ]);
  return selectDocs(ctx.engine.store.get(ctx.db, collectionArg(b)), filter, {
    sort,
    skip,
    limit,
    hint: b.hint,
    collation: b.collation,
    env: queryEnv(ctx, b.let),
    stats,
  });
}

/** A read through a view: the view's pipeline, then `stages` (the command's own query as stages). */
function viewDocs(ctx: CommandContext, stages: Doc[]): Doc[] {
  return pipelineDocs(ctx, collectionArg(ctx.body), stages);
}

const find: Command = {
  txn: true,
  run(ctx) {
    const b = ctx.body;
    const docs = findDocs(ctx);
    const cursor = ctx.engine.cursors.open({
      ns: `${ctx.db}.${collectionArg(b)}`,
      docs,
      project: compileProjection(optionalDoc(b.projection, 'projection')),
      batchSize: optionalNumber(b.batchSize, 'batchSize'),
      singleBatch: b.singleBatch === true || (optionalNumber(b.limit, 'limit') ?? 0) < 0,
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

/** What a count command counts; an empty query counts the collection without reading it (but for explain). */
function countDocs(ctx: CommandContext, stats?: QueryStats): number {
  const b = ctx.body;
  const coll = ctx.engine.store.get(ctx.db, collectionArg(b));
  const query = optionalDoc(b.query, 'query') ?? {};
  const skip = optionalNumber(b.skip, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(b.limit, 'limit') ?? 0);
  const env = queryEnv(ctx);
  const total = coll?.options.viewOn
    ? Math.max(0, viewDocs(ctx, [{ $match: query }]).length - skip)
    : Object.keys(query).length === 0 && !(coll && env.uncommitted?.(coll)) && !stats
      ? Math.max(0, (coll?.docs.size ?? 0) - skip)
      : selectDocs(coll, query, { skip, hint: b.hint, collation: b.collation, env, stats }).length;
  return limit ? Math.min(limit, total) : total;
}

const count: Command = {
  txn: true,
  run: (ctx) => ({ n: countDocs(ctx), ok: 1 }),
};

function distinctDocs(ctx: CommandContext, stats?: QueryStats): Doc[] {
  const b = ctx.body;
  const query = optionalDoc(b.query, 'query') ?? {};
  const coll = ctx.engine.store.get(ctx.db, collectionArg(b));
  if (coll?.options.viewOn) return viewDocs(ctx, [{ $match: query }]);
  return selectDocs(coll, query, { collation: b.collation, env: queryEnv(ctx), stats });
}

const distinct: Command = {
  txn: true,
  run(ctx) {
    const b = ctx.body;
    if (typeof b.key !== 'string') throw badValue("'key' must be a string");
    const parts = b.key.split('.');
    const order = queryCollation(b.collation, ctx.engine.store.get(ctx.db, collectionArg(b)));
    // Values equal under the collation are one value: the first met is reported.
    const values = withStringOrder(order, () => {
      const seen = new Map<string, unknown>();
      for (const doc of distinctDocs(ctx)) {
        for (const v of pathValues(doc, parts).flatMap((x) => (Array.isArray(x) ? x : [x]))) {
          if (v !== undefined && !seen.has(valueKey(v))) seen.set(valueKey(v), v);
        }
      }
      return [...seen.values()].sort(compareValues);
    });
    return { values, ok: 1 };
  },
};

const isCount = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/**
 * The documents a pipeline starts from, and the stages left to run. A leading `$match`, then `$sort`, `$skip` and
 * `$limit` (in that order, each optional) run as one planned query, so indexes bound, order and cut the input.
 * On a view, the view's pipeline comes first.
 */
function aggregateInput(
  ctx: CommandContext,
  name: string | null,
  pipeline: Doc[],
  stats?: QueryStats,
): { docs: Doc[]; rest: Doc[] } {
  const [first, ...others] = pipeline;
  if (name === null) {
    if (first && '$listLocalSessions' in first) return { docs: ctx.engine.sessions.listLocal(), rest: others };
    return { docs: [], rest: pipeline };
  }
  const view = resolveView(ctx.engine.store, ctx.db, name);
  if (view) return aggregateInput(ctx, view.on, [...view.pipeline, ...pipeline], stats);
  const coll = ctx.engine.store.get(ctx.db, name);
  const env = queryEnv(ctx, ctx.body.let);
  if (first && '$geoNear' in first) return { docs: geoNearStage(coll, first.$geoNear as Doc, env), rest: others };
  let i = 0;
  /** The argument of the next stage when it is `op` and `ok` accepts it, moving past it; else undefined. */
  const take = (op: string, ok: (arg: unknown) => boolean): unknown => {
    const next = pipeline[i];
    if (!next || !(op in next) || !ok(next[op])) return undefined;
    i++;
    return next[op];
  };
  const filter = take('$match', () => true) ?? {};
  const select: SelectOptions = {
    env,
    hint: ctx.body.hint,
    collation: ctx.body.collation,
    stats,
    sort: take('$sort', isPlainObject) as Doc | undefined,
    skip: take('$skip', (v) => isCount(v, 0)) as number | undefined,
    limit: take('$limit', (v) => isCount(v, 1)) as number | undefined,
  };
  const docs = selectDocs(coll, filter as Doc, select);
  const rest = pipeline.slice(i);
  return { docs: readOnlyPipeline(rest) ? docs : docs.map(cloneValue), rest };
}

/** Runs a pipeline over a collection (or view, or none) under the command's collation. */
function pipelineDocs(ctx: CommandContext, name: string | null, pipeline: Doc[]): Doc[] {
  const coll = name === null ? undefined : ctx.engine.store.get(ctx.db, name);
  return withStringOrder(queryCollation(ctx.body.collation, coll), () => {
    const { docs, rest } = aggregateInput(ctx, name, pipeline);
    return runPipeline(docs, rest, queryEnv(ctx, ctx.body.let));
  });
}

function pipelineOf(b: Doc): Doc[] {
  if (!Array.isArray(b.pipeline) || !b.pipeline.every(isPlainObject))
    throw badValue("'pipeline' must be an array of objects");
  return b.pipeline;
}

const aggregateTarget = (b: Doc): string | null => (b.aggregate === 1 ? null : collectionArg(b));

const aggregate: Command = {
  txn: true,
  async run(ctx) {
    const b = ctx.body;
    const name = aggregateTarget(b);
    const { stages, output } = splitOutput(pipelineOf(b));
    if (b.explain) return explainCommand(ctx, b, 'queryPlanner');
    const cursorOpts = optionalDoc(b.cursor, 'cursor');
    if (!cursorOpts) throw badValue("The 'cursor' option is required, except for aggregate with the explain argument");
    if (output && ctx.inTxn) throw new MongoError(263, `${Object.keys(output)[0]} cannot be used in a transaction`);
    const level = optionalDoc(b.readConcern, 'readConcern')?.level;
    if (output && level === 'linearizable')
      throw new MongoError(72, `${Object.keys(output)[0]} cannot be used with a 'linearizable' read concern level`);
    const docs = pipelineDocs(ctx, name, stages);
    // Like other writes, waits for a running transaction that wrote a document it meets.
    if (output) await retryBlocked(ctx, () => writeOutput(ctx, output, docs));
    const cursor = ctx.engine.cursors.open({
      ns: `${ctx.db}.${name ?? '$cmd.aggregate'}`,
      docs: output ? [] : docs,
      batchSize: optionalNumber(cursorOpts.batchSize, 'batchSize'),
    });
    return { cursor, ok: 1 };
  },
};

/** How explain runs a command: the query part only, reporting the plan, the documents and later stages. */
const EXPLAINABLE: Record<string, (ctx: CommandContext, stats: QueryStats) => { docs: Doc[]; stages?: Doc[] }> = {
  find: (ctx, stats) => ({ docs: findDocs(ctx, stats) }),
  count: (ctx, stats) => ({ docs: new Array(countDocs(ctx, stats)) }),
  distinct: (ctx, stats) => ({ docs: distinctDocs(ctx, stats) }),
  aggregate: (ctx, stats) => {
    const { docs, rest } = aggregateInput(ctx, aggregateTarget(ctx.body), pipelineOf(ctx.body), stats);
    return { docs, stages: rest };
  },
};

/**
 * `explain` of find, count, distinct and aggregate, in MongoDB's shape: the winning plan (IDHACK, COLLSCAN,
 * IXSCAN under FETCH, OR, with SORT/SKIP/LIMIT stages) and, unless only `queryPlanner` is asked for, the
 * execution counts. For a pipeline only its leading query (`$match`, `$sort`, `$skip`, `$limit`) is run; the
 * stages after it are listed.
 */
function explainCommand(ctx: CommandContext, inner: Doc, verbosity: unknown): Doc {
  const name = Object.keys(inner)[0] ?? '';
  const run = Object.hasOwn(EXPLAINABLE, name) ? EXPLAINABLE[name] : undefined;
  if (!run) throw unsupported(`explain of '${name}'`);
  const stats: QueryStats = { winningPlan: {}, keysExamined: 0, docsExamined: 0 };
  const started = performance.now();
  const { docs, stages } = run({ ...ctx, body: inner }, stats);
  const queryPlanner = {
    namespace: `${ctx.db}.${String(inner[name])}`,
    winningPlan: stats.winningPlan,
    rejectedPlans: [],
  };
  const executionStats = {
    executionSuccess: true,
    nReturned: docs.length,
    executionTimeMillis: Math.round(performance.now() - started),
    totalKeysExamined: stats.keysExamined,
    totalDocsExamined: stats.docsExamined,
  };
  const report = { queryPlanner, ...(verbosity === 'queryPlanner' ? {} : { executionStats }) };
  const body = stages?.length ? { stages: [{ $cursor: report }, ...stages] } : report;
  return { explainVersion: '1', ...body, command: inner, ok: 1 };
}

const explain: Command = {
  run(ctx) {
    const inner = optionalDoc(ctx.body.explain, 'explain');
    if (!inner) throw badValue("'explain' must be a command document");
    return explainCommand(ctx, inner, ctx.body.verbosity ?? 'allPlansExecution');
  },
};

export const readCommands: Record<string, Command> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  explain,
};

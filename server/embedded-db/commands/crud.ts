/** Write commands: insert, update, delete and findAndModify, with MongoDB's per-statement write errors. */
import { cloneValue, isPlainObject, valuesEqual, type Doc } from '../bson-values';
import { badValue, MongoError } from '../errors';
import { selectDocs } from '../planner';
import { compileProjection } from '../query';
import { Blocked } from '../store';
import { applyUpdate, upsertDocument, updateKind, withId } from '../update';
import {
  collectionArg,
  optionalDoc,
  queryEnv,
  retryBlocked,
  waitBlocked,
  type Command,
  type CommandContext,
} from '../context';
import { refuseView } from '../views';

/**
 * Runs each statement, collecting MongoDB errors as `writeErrors` (stopping at the first when ordered). A write
 * conflict inside a transaction fails the whole command, as in MongoDB. Synchronous unless a statement meets a
 * document a running transaction wrote: then it waits for that transaction and runs the statement again.
 */
function eachStatement<T>(
  ctx: CommandContext,
  items: unknown,
  field: string,
  fn: (item: T, i: number) => void,
  done: (writeErrors: Doc[]) => Doc,
): Doc | Promise<Doc> {
  if (!Array.isArray(items)) throw badValue(`'${field}' must be an array`);
  const ordered = ctx.body.ordered !== false;
  const writeErrors: Doc[] = [];
  const from = (start: number): Doc | Promise<Doc> => {
    for (let i = start; i < items.length && !(ordered && writeErrors.length); i++) {
      try {
        fn(items[i] as T, i);
      } catch (err) {
        // The statement changed nothing before it was blocked.
        if (err instanceof Blocked) return waitBlocked(ctx, err).then(() => from(i));
        if (!(err instanceof MongoError) || (ctx.inTxn && err.code === 112)) throw err;
        writeErrors.push(err.toWriteError(i));
      }
    }
    return done(writeErrors);
  };
  return from(0);
}

const withErrors = (reply: Doc, writeErrors: Doc[]): Doc => ({
  ...reply,
  ...(writeErrors.length ? { writeErrors } : {}),
  ok: 1,
});

const insert: Command = {
  write: true,
  txn: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const store = ctx.engine.store;
    ctx.write.bypassValidation = ctx.body.bypassDocumentValidation === true;
    let n = 0;
    return eachStatement<Doc>(
      ctx,
      ctx.body.documents,
      'documents',
      (doc) => {
        if (!isPlainObject(doc)) throw badValue('documents must be objects');
        store.insert(ctx.write, store.ensure(ctx.write, ctx.db, name), withId(doc));
        n++;
      },
      (errors) => withErrors({ n }, errors),
    );
  },
};

interface UpdateStatement {
  q: Doc;
  u: unknown;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Doc[];
  collation?: unknown;
  hint?: unknown;
}

const update: Command = {
  write: true,
  txn: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const store = ctx.engine.store;
    const env = queryEnv(ctx, ctx.body.let);
    refuseView(store.get(ctx.db, name));
    // The engine answers as MongoDB 7.0, which has no sort for update statements (8.0 added it).
    if (Array.isArray(ctx.body.updates) && ctx.body.updates.some((st) => isPlainObject(st) && st.sort !== undefined))
      throw new MongoError(40415, "BSON field 'update.updates.sort' is an unknown field.");
    ctx.write.bypassValidation = ctx.body.bypassDocumentValidation === true;
    let n = 0;
    let nModified = 0;
    const upserted: Doc[] = [];
    const statement = (st: UpdateStatement, i: number): void => {
      const filter = optionalDoc(st.q, 'q') ?? {};
      const kind = updateKind(st.u);
      if (st.multi && kind === 'replacement')
        throw badValue('multi update is not supported for replacement-style update');
      const coll = store.get(ctx.db, name);
      const limit = st.multi ? undefined : 1;
      const docs = selectDocs(coll, filter, { limit, hint: st.hint, collation: st.collation, env });
      store.guardDocs(ctx.write, coll, docs);
      const collation = st.collation ?? coll?.options.collation;
      const opts = { filter, arrayFilters: st.arrayFilters, inserting: false, env, collation };
      for (const doc of docs) {
        const next = applyUpdate(doc, st.u, opts);
        n++;
        if (valuesEqual(next, doc)) continue;
        store.replace(ctx.write, coll!, doc, next);
        nModified++;
      }
      if (docs.length === 0 && st.upsert) {
        const doc = upsertDocument(filter, st.u, opts);
        store.insert(ctx.write, store.ensure(ctx.write, ctx.db, name), doc);
        upserted.push({ index: i, _id: doc._id });
        n++;
      }
    };
    return eachStatement(ctx, ctx.body.updates, 'updates', statement, (errors) =>
      withErrors({ n, nModified, ...(upserted.length ? { upserted } : {}) }, errors),
    );
  },
};

const del: Command = {
  write: true,
  txn: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const store = ctx.engine.store;
    const env = queryEnv(ctx, ctx.body.let);
    refuseView(store.get(ctx.db, name));
    let n = 0;
    return eachStatement<{ q: Doc; limit: unknown; collation?: unknown; hint?: unknown }>(
      ctx,
      ctx.body.deletes,
      'deletes',
      (st) => {
        const coll = store.get(ctx.db, name);
        const limit = Number(st.limit ?? 0) === 1 ? 1 : undefined;
        const select = { limit, hint: st.hint, collation: st.collation, env };
        const docs = selectDocs(coll, optionalDoc(st.q, 'q') ?? {}, select);
        store.guardDocs(ctx.write, coll, docs);
        for (const doc of docs) {
          store.remove(ctx.write, coll!, doc);
          n++;
        }
      },
      (errors) => withErrors({ n }, errors),
    );
  },
};

const findAndModify: Command = {
  write: true,
  txn: true,
  run: (ctx) => retryBlocked(ctx, () => findAndModifyOnce(ctx)),
};

function findAndModifyOnce(ctx: CommandContext): Doc {
  const b = ctx.body;
  const name = collectionArg(b);
  const store = ctx.engine.store;
  const env = queryEnv(ctx, b.let);
  refuseView(store.get(ctx.db, name));
  ctx.write.bypassValidation = b.bypassDocumentValidation === true;
  if (b.remove && b.update !== undefined) throw new MongoError(9, 'Cannot specify both an update and remove=true');
  if (!b.remove && b.update === undefined) throw new MongoError(9, 'Either an update or remove=true must be specified');
  if (b.remove && b.upsert) throw new MongoError(9, 'Cannot specify both upsert=true and remove=true');
  const filter = optionalDoc(b.query, 'query') ?? {};
  const project = compileProjection(optionalDoc(b.fields, 'fields'));
  const shown = (doc: Doc | null): Doc | null => (doc && project ? (project([doc])[0] ?? null) : doc);
  const coll = store.get(ctx.db, name);
  const select = { sort: optionalDoc(b.sort, 'sort'), limit: 1, hint: b.hint, collation: b.collation, env };
  const doc = selectDocs(coll, filter, select)[0];
  if (b.remove) {
    if (doc) store.remove(ctx.write, coll!, doc);
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: shown(doc ?? null), ok: 1 };
  }
  const collation = b.collation ?? coll?.options.collation;
  const opts = { filter, arrayFilters: b.arrayFilters as Doc[] | undefined, inserting: false, env, collation };
  if (doc) {
    const next = applyUpdate(doc, b.update, opts);
    if (!valuesEqual(next, doc)) store.replace(ctx.write, coll!, doc, next);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shown(b.new ? next : doc), ok: 1 };
  }
  if (!b.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const created = upsertDocument(filter, b.update, opts);
  store.insert(ctx.write, store.ensure(ctx.write, ctx.db, name), created);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id },
    value: b.new ? shown(cloneValue(created)) : null,
    ok: 1,
  };
}

export const crudCommands: Record<string, Command> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};

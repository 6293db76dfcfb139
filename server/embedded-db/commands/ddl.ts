/** Catalog commands: collections, databases and indexes. */
import { isPlainObject, valueKey, type Doc } from '../bson-values';
import { badValue, MongoError, unsupported } from '../errors';
import { ID_INDEX, normalizeSpec, sameIndex } from '../indexes';
import { compileFilter } from '../query';
import { splitNs, validateNames, type Collection } from '../store';
import { collationOrder } from '../collation';
import { validationOptions } from '../validation';
import { refuseView, viewOptions } from '../views';
import { collectionArg, optionalDoc, optionalNumber, type Command, type CommandContext } from '../context';

const UNSUPPORTED_CREATE_OPTIONS = [
  'capped',
  'timeseries',
  'clusteredIndex',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'encryptedFields',
];

function requireCollection(ctx: CommandContext, name: string): Collection {
  const coll = ctx.engine.store.get(ctx.db, name);
  if (!coll) throw new MongoError(26, `ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

function listCursor(ctx: CommandContext, ns: string, items: Doc[], filter?: Doc): Doc {
  const test = filter ? compileFilter(filter) : null;
  const cursorOpts = optionalDoc(ctx.body.cursor, 'cursor') ?? {};
  const docs = test ? items.filter(test) : items;
  return {
    cursor: ctx.engine.cursors.open({ ns, docs, batchSize: optionalNumber(cursorOpts.batchSize, 'batchSize') }),
    ok: 1,
  };
}

const create: Command = {
  write: true,
  txn: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    for (const opt of UNSUPPORTED_CREATE_OPTIONS)
      if (ctx.body[opt] !== undefined) throw unsupported(`the create option '${opt}'`);
    const b = ctx.body;
    const collated = collationOrder(b.collation) !== null;
    const options =
      b.viewOn !== undefined
        ? viewOptions(b)
        : { ...validationOptions(b), ...(collated ? { collation: b.collation } : {}) };
    if (b.viewOn === undefined && b.pipeline !== undefined) throw badValue("'pipeline' requires 'viewOn'");
    ctx.engine.store.createCollection(ctx.write, ctx.db, name, options);
    return { ok: 1 };
  },
};

/** collMod: a collection's validator, validation level and action; a view's definition. */
const collMod: Command = {
  write: true,
  run(ctx) {
    const b = ctx.body;
    const coll = requireCollection(ctx, collectionArg(b));
    const isView = coll.options.viewOn !== undefined;
    for (const opt of Object.keys(b).slice(1)) {
      if (['lsid', '$db', '$clusterTime', 'txnNumber', 'writeConcern', 'comment'].includes(opt)) continue;
      const allowed = isView ? ['viewOn', 'pipeline'] : ['validator', 'validationLevel', 'validationAction'];
      if (!allowed.includes(opt)) throw isView ? refuseViewOption(opt) : unsupported(`the collMod option '${opt}'`);
    }
    const options = isView
      ? viewOptions({ viewOn: coll.options.viewOn, pipeline: coll.options.pipeline, ...b })
      : { ...coll.options, ...validationOptions(b) };
    ctx.engine.store.setOptions(ctx.write, coll, options);
    return { ok: 1 };
  },
};

const refuseViewOption = (opt: string): MongoError => new MongoError(72, `option not supported on a view: ${opt}`);

const drop: Command = {
  write: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const coll = ctx.engine.store.dropCollection(ctx.write, ctx.db, name);
    return coll ? { nIndexesWas: coll.indexes.size, ns: coll.ns, ok: 1 } : { ok: 1 };
  },
};

const dropDatabase: Command = {
  write: true,
  run(ctx) {
    ctx.engine.store.dropDatabase(ctx.write, ctx.db);
    return { dropped: ctx.db, ok: 1 };
  },
};

const listCollections: Command = {
  txn: true,
  run(ctx) {
    const colls = ctx.engine.store.collections(ctx.db);
    const nameOnly = ctx.body.nameOnly === true;
    const items = colls.map((c) => {
      const type = c.options.viewOn === undefined ? 'collection' : 'view';
      if (nameOnly) return { name: c.name, type };
      if (type === 'view') return { name: c.name, type, options: c.options, info: { readOnly: true } };
      return { name: c.name, type, options: c.options, info: { readOnly: false, uuid: c.uuid }, idIndex: ID_INDEX };
    });
    return listCursor(ctx, `${ctx.db}.$cmd.listCollections`, items, optionalDoc(ctx.body.filter, 'filter'));
  },
};

const renameCollection: Command = {
  write: true,
  run(ctx) {
    const from = ctx.body.renameCollection;
    const to = ctx.body.to;
    if (typeof from !== 'string' || typeof to !== 'string')
      throw badValue('renameCollection needs source and target namespaces');
    const [fromDb, fromName] = splitNs(from);
    const [toDb, toName] = splitNs(to);
    if (fromDb !== toDb) throw unsupported('renaming a collection across databases');
    validateNames(toDb, toName);
    const store = ctx.engine.store;
    const coll = store.get(fromDb, fromName);
    if (!coll) throw new MongoError(26, `Source collection ${from} does not exist`);
    if (store.get(toDb, toName)) {
      if (ctx.body.dropTarget !== true) throw new MongoError(48, 'target namespace exists');
      store.dropCollection(ctx.write, toDb, toName);
    }
    store.renameCollection(ctx.write, coll, toName);
    return { ok: 1 };
  },
};

const createIndexes: Command = {
  write: true,
  txn: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const store = ctx.engine.store;
    if (!Array.isArray(ctx.body.indexes) || ctx.body.indexes.length === 0)
      throw badValue("'indexes' must be a non-empty array");
    const specs = ctx.body.indexes.map((raw) => {
      if (!isPlainObject(raw)) throw badValue('index specifications must be objects');
      return normalizeSpec(raw);
    });
    refuseView(store.get(ctx.db, name));
    const existed = store.get(ctx.db, name) !== undefined;
    const coll = store.ensure(ctx.write, ctx.db, name);
    // A transaction may index only a collection it created (MongoDB's rule): that one is private until commit.
    if (ctx.write.txn && coll.owner !== ctx.write.txn)
      throw new MongoError(
        263,
        `Cannot create new indexes on existing collection ${coll.ns} in a multi-document transaction.`,
      );
    const before = coll.indexes.size;
    for (const spec of specs) {
      const sameName = coll.indexes.get(spec.name)?.spec;
      if (sameName) {
        if (sameIndex(sameName, spec)) continue;
        throw new MongoError(
          86,
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
        );
      }
      const sameKey = [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(spec.key));
      if (sameKey) throw new MongoError(85, `Index already exists with a different name: ${sameKey.spec.name}`);
      store.createIndex(ctx.write, coll, spec);
    }
    const after = coll.indexes.size;
    return {
      numIndexesBefore: before,
      numIndexesAfter: after,
      createdCollectionAutomatically: !existed,
      ...(before === after ? { note: 'all indexes already exist' } : {}),
      ok: 1,
    };
  },
};

const listIndexes: Command = {
  txn: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const coll = requireCollection(ctx, name);
    refuseView(coll);
    const specs = [...coll.indexes.values()].map((i) => i.spec as unknown as Doc);
    return listCursor(ctx, `${ctx.db}.$cmd.listIndexes.${name}`, specs);
  },
};

const dropIndexes: Command = {
  write: true,
  run(ctx) {
    const name = collectionArg(ctx.body);
    const coll = ctx.engine.store.get(ctx.db, name);
    if (!coll) throw new MongoError(26, `ns not found ${ctx.db}.${name}`);
    const was = coll.indexes.size;
    const target = ctx.body.index;
    let names: string[];
    if (target === '*') names = [...coll.indexes.keys()].filter((n) => n !== '_id_');
    else if (typeof target === 'string') names = [target];
    else if (Array.isArray(target)) names = target.map(String);
    else if (isPlainObject(target)) {
      const found = [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(target));
      if (!found) throw new MongoError(27, `can't find index with key: ${JSON.stringify(target)}`);
      names = [found.spec.name];
    } else throw badValue("'index' must be a name, a key pattern, an array of names or '*'");
    for (const n of names) {
      if (n === '_id_') throw new MongoError(72, 'cannot drop _id index');
      if (!coll.indexes.has(n)) throw new MongoError(27, `index not found with name [${n}]`);
    }
    for (const n of names) ctx.engine.store.dropIndex(ctx.write, coll, n);
    return { nIndexesWas: was, ok: 1 };
  },
};

function collectionStats(coll: Collection, scale: number): Doc {
  const size = coll.dataSize();
  const indexSizes: Doc = {};
  let totalIndexSize = 0;
  for (const [n, i] of coll.indexes) {
    const s = i.isId ? coll.docs.size * 32 : i.sizeEstimate;
    indexSizes[n] = Math.floor(s / scale);
    totalIndexSize += s;
  }
  return {
    ns: coll.ns,
    count: coll.docs.size,
    size: Math.floor(size / scale),
    avgObjSize: coll.docs.size ? Math.floor(size / coll.docs.size) : 0,
    storageSize: Math.floor(size / scale),
    nindexes: coll.indexes.size,
    totalIndexSize: Math.floor(totalIndexSize / scale),
    indexSizes,
    scaleFactor: scale,
    ok: 1,
  };
}

const collStats: Command = {
  run(ctx) {
    const name = collectionArg(ctx.body);
    const coll = ctx.engine.store.get(ctx.db, name);
    if (!coll) throw new MongoError(26, `Collection [${ctx.db}.${name}] not found.`);
    return collectionStats(coll, optionalNumber(ctx.body.scale, 'scale') ?? 1);
  },
};

const dbStats: Command = {
  run(ctx) {
    const scale = optionalNumber(ctx.body.scale, 'scale') ?? 1;
    const stats = ctx.engine.store.collections(ctx.db).map((c) => collectionStats(c, 1));
    const sum = (f: string): number => stats.reduce((n, s) => n + (s[f] as number), 0);
    const objects = sum('count');
    const dataSize = sum('size');
    return {
      db: ctx.db,
      collections: stats.length,
      views: ctx.engine.store.collections(ctx.db).filter((c) => c.options.viewOn !== undefined).length,
      objects,
      avgObjSize: objects ? dataSize / objects : 0,
      dataSize: dataSize / scale,
      storageSize: dataSize / scale,
      indexes: sum('nindexes'),
      indexSize: sum('totalIndexSize') / scale,
      totalSize: (dataSize + sum('totalIndexSize')) / scale,
      scaleFactor: scale,
      ok: 1,
    };
  },
};

const listDatabases: Command = {
  run(ctx) {
    const store = ctx.engine.store;
    let databases: Doc[] = [...store.dbs.keys()].map((db) => {
      const size = store.collections(db).reduce((n, c) => n + c.dataSize(), 0);
      return { name: db, sizeOnDisk: size, empty: size === 0 };
    });
    const filter = optionalDoc(ctx.body.filter, 'filter');
    if (filter) databases = databases.filter(compileFilter(filter));
    if (ctx.body.nameOnly === true) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
    return { databases, totalSize: databases.reduce((n, d) => n + (d.sizeOnDisk as number), 0), ok: 1 };
  },
};

export const ddlCommands: Record<string, Command> = {
  create,
  collMod,
  drop,
  dropDatabase,
  listCollections,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
  collStats,
  dbStats,
  listDatabases,
};

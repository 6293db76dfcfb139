/** What a command handler gets, and small argument helpers shared by the handlers. */
import { isNumeric, isPlainObject, toNumber, type Doc } from './bson-values';
import { badValue } from './errors';
import type { Engine } from './engine';
import type { QueryEnv } from './query';
import type { Collection, WriteContext } from './store';

export interface CommandContext {
  engine: Engine;
  db: string;
  body: Doc;
  /** Where the command's changes are recorded (the transaction's context inside a transaction). */
  write: WriteContext;
  inTxn: boolean;
  connectionId: number;
}

export interface Command {
  run(ctx: CommandContext): Doc | Promise<Doc>;
  /** Changes data: waits while a transaction holds the write lock. */
  write?: boolean;
  /** Allowed inside a multi-document transaction. */
  txn?: boolean;
}

/** The collection name a command targets (its first field's value). */
export function collectionArg(body: Doc): string {
  const name = Object.keys(body)[0];
  const value = name === undefined ? undefined : body[name];
  if (typeof value !== 'string' || value === '')
    throw badValue(`collection name has invalid type ${typeof value} in '${String(name)}'`);
  return value;
}

export function optionalNumber(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isNumeric(v)) throw badValue(`'${name}' must be a number`);
  return toNumber(v);
}

export function optionalDoc(v: unknown, name: string): Doc | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw badValue(`'${name}' must be an object`);
  return v;
}

/** Query settings of a command; outside a transaction, reads see only committed data. */
export function queryEnv(ctx: CommandContext, variables?: unknown): QueryEnv {
  const uncommitted = ctx.inTxn
    ? undefined
    : (coll: Collection) => ctx.engine.sessions.activeTxn?.write.before?.get(coll);
  const env: QueryEnv = { collectionResolver: (name) => ctx.engine.readCollection(ctx.db, name, uncommitted) };
  if (uncommitted) env.uncommitted = uncommitted;
  if (isPlainObject(variables)) env.variables = variables;
  return env;
}

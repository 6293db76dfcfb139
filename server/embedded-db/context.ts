/** What a command handler gets, and small argument helpers shared by the handlers. */
import { isNumeric, isPlainObject, toNumber, type Doc } from './bson-values';
import { badValue } from './errors';
import type { Engine } from './engine';
import type { QueryEnv } from './query';
import { Blocked, type Collection, type WriteContext } from './store';

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
  /** Changes data: the write concern is checked. */
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

/** Query settings of a command; inside a transaction, reads see its snapshot and its own writes. */
export function queryEnv(ctx: CommandContext, variables?: unknown): QueryEnv {
  const txn = ctx.write.txn;
  const uncommitted = txn ? (coll: Collection) => txn.view.get(coll) : undefined;
  const env: QueryEnv = { collectionResolver: (name) => ctx.engine.readCollection(ctx.db, name, uncommitted) };
  if (uncommitted) env.uncommitted = uncommitted;
  if (isPlainObject(variables)) env.variables = variables;
  return env;
}

/**
 * Waits for the transaction that blocked a write outside transactions to end. What the command changed so far is
 * journaled first, so the journal keeps the order in which changes were made.
 */
export async function waitBlocked(ctx: CommandContext, blocked: Blocked): Promise<void> {
  await Promise.all([ctx.engine.persist(ctx.write.ops.splice(0)), blocked.until]);
}

/** Runs `fn`, again each time it meets a document a running transaction wrote, once that transaction ends. */
export async function retryBlocked<T>(ctx: CommandContext, fn: () => T): Promise<T> {
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof Blocked)) throw err;
      await waitBlocked(ctx, err);
    }
  }
}

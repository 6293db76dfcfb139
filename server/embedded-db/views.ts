/**
 * Views: a catalog entry with `viewOn` and `pipeline` options and no documents. Reads through a view run its
 * pipeline over the collection it is defined on (views over views unfold); writes to it are refused.
 */
import { isPlainObject, type Doc } from './bson-values';
import { badValue, MongoError } from './errors';
import type { Collection, Store } from './store';

export interface ResolvedView {
  /** The collection at the bottom of the chain. */
  on: string;
  pipeline: Doc[];
}

const ErrorCodes = { CommandNotSupportedOnView: 166, OptionNotSupportedOnView: 167 };

/** Views nest at most this deep, as in MongoDB. */
const MAX_DEPTH = 20;

/** The collection a view reads and the whole pipeline deriving it; null when `name` is not a view. */
export function resolveView(store: Store, db: string, name: string): ResolvedView | null {
  let coll = store.get(db, name);
  if (!coll?.options.viewOn) return null;
  let pipeline: Doc[] = [];
  for (let depth = 0; coll?.options.viewOn; depth++) {
    if (depth >= MAX_DEPTH) throw new MongoError(165, `View depth too deep or view cycle detected`);
    pipeline = [...(coll.options.pipeline as Doc[]), ...pipeline];
    name = coll.options.viewOn as string;
    coll = store.get(db, name);
  }
  return { on: name, pipeline };
}

/** Checks `create`'s view options; returns the options stored for the view. */
export function viewOptions(body: Doc): Doc {
  if (typeof body.viewOn !== 'string' || body.viewOn === '') throw badValue("'viewOn' must be a non-empty string");
  const pipeline = body.pipeline ?? [];
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) throw badValue("'pipeline' must be an array");
  for (const stage of pipeline)
    if ('$out' in stage || '$merge' in stage)
      throw new MongoError(
        ErrorCodes.OptionNotSupportedOnView,
        'The aggregation stage $out or $merge is not allowed in a view',
      );
  return { viewOn: body.viewOn, pipeline, ...(body.collation ? { collation: body.collation } : {}) };
}

/** Writes (and index builds) are refused on a view with MongoDB's code 166. */
export function refuseView(coll: Collection | undefined): void {
  if (coll?.options.viewOn)
    throw new MongoError(ErrorCodes.CommandNotSupportedOnView, `Namespace ${coll.ns} is a view, not a collection`);
}

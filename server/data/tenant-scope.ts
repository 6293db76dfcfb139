import type { MongooseQueryMiddleware, Query, Schema, Types } from 'mongoose';

/**
 * Community isolation in the data layer. A model using `tenantScoped` refuses any query whose filter does
 * not name `communityId` (a handler cannot forget the scope), unless the query says on purpose that it
 * crosses communities with `.setOptions({ crossCommunity: true })` — e.g. resolving an invite code, which
 * is how a newcomer learns which community they are joining.
 */
export interface Scope {
  communityIds: Types.ObjectId[];
}

export function inScope(scope: Scope): { communityId: { $in: Types.ObjectId[] } } {
  return { communityId: { $in: scope.communityIds } };
}

export const CROSS_COMMUNITY = { crossCommunity: true } as const;

/** The query operations that write (the read cache watches them too). */
export const QUERY_WRITES: MongooseQueryMiddleware[] = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'replaceOne',
  'deleteOne',
  'deleteMany',
];
const guardedQueries: MongooseQueryMiddleware[] = ['find', 'findOne', 'countDocuments', 'distinct', ...QUERY_WRITES];

export class UnscopedQueryError extends Error {
  override name = 'UnscopedQueryError';
}

export function tenantScoped(schema: Schema): void {
  schema.pre(guardedQueries, function requireCommunityScope(this: Query<unknown, unknown>) {
    const options = this.getOptions() as { crossCommunity?: boolean };
    if (options.crossCommunity) {
      delete options.crossCommunity;
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(this.getFilter(), 'communityId')) {
      throw new UnscopedQueryError(`a ${this.model.modelName} query must be scoped by communityId`);
    }
  });

  schema.pre('aggregate', function requireCommunityScope() {
    const options = this.options as { crossCommunity?: boolean };
    if (options.crossCommunity) {
      delete options.crossCommunity;
      return;
    }
    const first = this.pipeline()[0] as
      { $match?: Record<string, unknown> } | { $geoNear?: { query?: Record<string, unknown> } } | undefined;
    const match =
      first && '$match' in first ? first.$match : first && '$geoNear' in first ? first.$geoNear?.query : undefined;
    if (!match || !Object.prototype.hasOwnProperty.call(match, 'communityId')) {
      throw new UnscopedQueryError(`${this.model().modelName}.aggregate must start by matching communityId`);
    }
  });
}

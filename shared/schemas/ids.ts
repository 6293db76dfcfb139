import { Type } from '@sinclair/typebox';

/** A MongoDB ObjectId as 24 hex characters. */
export const Id = Type.String({ pattern: '^[0-9a-fA-F]{24}$', description: 'ObjectId' });

export const IdParams = Type.Object({ id: Id });

export const DateTime = Type.String({ format: 'date-time' });

/** Cursor pagination: `cursor` is opaque; a page answers with `nextCursor` (null at the end). */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

import { Type, type SchemaOptions, type TLiteral, type TUnion } from '@sinclair/typebox';

/** A MongoDB ObjectId as 24 hex characters. */
export const Id = Type.String({ pattern: '^[0-9a-fA-F]{24}$', description: 'ObjectId' });

export const IdParams = Type.Object({ id: Id });

export const DateTime = Type.String({ format: 'date-time' });

/** Cursor pagination: `cursor` is opaque; a page answers with `nextCursor` (null at the end). */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

/** A union of string literals that keeps the literals' type (so `Static` gives 'a' | 'b', not string). */
export function Literals<const T extends readonly string[]>(
  values: T,
  options?: SchemaOptions,
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as TUnion<TLiteral<T[number]>[]>;
}

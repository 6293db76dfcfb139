import { Types } from 'mongoose';
import { BadRequestError } from '../errors';

/**
 * Keyset pagination: a page is sorted by some fields (all descending here) ending with `_id`, and the cursor
 * is the last item's values of those fields. Stable under inserts, and an index serves it.
 */
export type SortKey = readonly [field: string, ...rest: string[]];

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? { $date: v.toISOString() } : v)))).toString(
    'base64url',
  );
}

/** What one value of a cursor must be: the type of its sort field. */
export type CursorValue = 'date' | 'number' | 'boolean' | 'string' | 'objectId';

/** One decoded value of the expected type, or undefined when it is anything else (an operator object above all). */
function cursorValue(value: unknown, type: CursorValue): unknown {
  switch (type) {
    case 'date': {
      const encoded = value as { $date?: unknown } | null;
      if (typeof encoded !== 'object' || encoded === null || Object.keys(encoded).join() !== '$date') return undefined;
      const date = typeof encoded.$date === 'string' ? new Date(encoded.$date) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date : undefined;
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'objectId':
      return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value) ? new Types.ObjectId(value) : undefined;
  }
}

/**
 * The values of a cursor, checked against the types of the sort's fields (`types`, one per field): a cursor is
 * client input that goes into a filter, so only scalars, dates and ids of the expected type get through — never
 * an object such as `{ "$where": … }`. Anything else is a 400.
 */
export function decodeCursor(cursor: string, types: readonly CursorValue[]): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const decoded =
    Array.isArray(values) && values.length === types.length ? values.map((v, i) => cursorValue(v, types[i]!)) : [];
  if (decoded.length === 0 || decoded.includes(undefined))
    throw new BadRequestError('The page cursor is not valid; start from the first page');
  return decoded;
}

/** The filter for "strictly after this cursor" under a sort on `fields` (`_id` last), descending by default. */
export function afterCursor(
  fields: readonly string[],
  values: unknown[],
  direction: 'asc' | 'desc' = 'desc',
): Record<string, unknown> {
  const beyond = direction === 'desc' ? '$lt' : '$gt';
  return {
    $or: fields.map((field, i) => ({
      ...Object.fromEntries(fields.slice(0, i).map((f, j) => [f, values[j]])),
      [field]: { [beyond]: values[i] },
    })),
  };
}

/**
 * A page from rows read with `limit + 1`: the first `limit`, and the cursor after the last of them (its values of
 * the sort `fields`) when more follow.
 */
export function pageOf<T extends object>(
  rows: T[],
  limit: number,
  fields: readonly string[],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1] as Record<string, unknown> | undefined;
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(fields.map((f) => last[f])) : null };
}

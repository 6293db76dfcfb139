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

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (!Array.isArray(values) || values.length !== length) throw new Error('length');
    return values.map((v) =>
      v && typeof v === 'object' && '$date' in v ? new Date(String((v as { $date: string }).$date)) : v,
    );
  } catch {
    throw new BadRequestError('The page cursor is not valid; start from the first page');
  }
}

/** The filter for "strictly after this cursor" under a sort on `fields` (`_id` last), descending by default. */
export function afterCursor(fields: readonly string[], values: unknown[], direction: 'asc' | 'desc' = 'desc'): Record<string, unknown> {
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

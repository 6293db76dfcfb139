import { stringify } from 'csv-stringify/sync';

/** The content type of a CSV download. */
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** A download's file name, `name.csv`. */
export const csvAttachment = (name: string) => `attachment; filename="${name}.csv"`;

/** Rows as CSV for a spreadsheet: a BOM so Excel reads the Chinese text as UTF-8, and formulas neutralised. */
export function csvText(rows: unknown[][]): string {
  return `\uFEFF${stringify(rows, { escape_formulas: true })}`;
}

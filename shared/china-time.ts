/**
 * China time (Asia/Shanghai: a fixed +08:00, no daylight saving), where every day, month and deadline the
 * product shows is counted. Pure and shared.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** The date a moment falls on in China, YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A moment as China time, YYYY-MM-DD HH:mm (exports). */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The month a moment falls in in China, YYYY-MM. */
export function chinaMonth(at: Date): string {
  return chinaDate(at).slice(0, 7);
}

/** The first moment of a month and of the next one, China time: [start, end). */
export function monthBounds(month: string): { start: Date; end: Date } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return {
    start: new Date(Date.UTC(year, m - 1, 1) - CHINA_OFFSET_MS),
    end: new Date(Date.UTC(year, m, 1) - CHINA_OFFSET_MS),
  };
}

/** The middle value of some numbers (the mean of the two middle ones), or null for none: figures' medians. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

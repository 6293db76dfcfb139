import dayjs from 'dayjs';

export type Period = 'this-month' | 'last-month' | 'last-30-days';

export const periods: { value: Period; label: string }[] = [
  { value: 'this-month', label: '本月' },
  { value: 'last-month', label: '上月' },
  { value: 'last-30-days', label: '近30天' },
];

/**
 * The period as the service's [from, to) range, in the phone's time zone. An open period ends at the next whole
 * minute, so phones asking within the same minute ask for the same range (the service reuses its figures).
 */
export function periodRange(period: Period, now = dayjs()): { from: string; to: string } {
  const monthStart = now.startOf('month');
  const end = now.startOf('minute').add(1, 'minute');
  switch (period) {
    case 'this-month':
      return { from: monthStart.toISOString(), to: end.toISOString() };
    case 'last-month':
      return { from: monthStart.subtract(1, 'month').toISOString(), to: monthStart.toISOString() };
    case 'last-30-days':
      return { from: end.subtract(30, 'day').toISOString(), to: end.toISOString() };
  }
}

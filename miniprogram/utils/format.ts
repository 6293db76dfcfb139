import dayjs from 'dayjs';
import { nodeKindLabel, type NodeKind } from '../../shared/places';
import { roleLabel, type Role } from '../../shared/roles';
import type { NodeRef } from '../../shared/schemas/people';

// The schemas type roles and place kinds as plain strings; a value this build does not know shows as it is.
export const roleText = (role: string): string => roleLabel[role as Role] ?? role;
export const kindText = (kind: string): string => nodeKindLabel[kind as NodeKind] ?? kind;

/** '幸福里社区 · 阳光花园 · 1栋 · 1单元' */
export function placePath(node: Pick<NodeRef, 'path'>): string {
  return node.path.join(' · ');
}

/** '今天 09:30', '3月8日 14:00', '2025年12月1日' — short, as chat apps show times. */
export function formatTime(iso: string, now = dayjs()): string {
  const time = dayjs(iso);
  if (time.isSame(now, 'day')) return `今天 ${time.format('HH:mm')}`;
  if (time.isSame(now, 'year')) return time.format('M月D日 HH:mm');
  return time.format('YYYY年M月D日');
}

/** A full date and time, for deadlines such as an invite's expiry. */
export function formatDateTime(iso: string): string {
  return dayjs(iso).format('YYYY年M月D日 HH:mm');
}

/** A count as badges show it: '99+' above 99. */
export function countText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

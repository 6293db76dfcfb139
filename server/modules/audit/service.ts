import type { FastifyReply } from 'fastify';
import type { ClientSession, Types } from 'mongoose';
import { maskName } from '../../../shared/masking';
import type { TimelineEntry } from '../../../shared/schemas/platform';
import type { Models } from '../../plugins/models';
import type { AuditEvent } from './model';
import { CSV_TYPE, csvText } from '../../csv';

export interface EventInput {
  communityId: Types.ObjectId;
  itemKind: string;
  itemId: Types.ObjectId;
  nodeId?: Types.ObjectId | null;
  action: string;
  from?: string | null;
  to?: string | null;
  actorId?: Types.ObjectId | null;
  actorRole?: string | null;
  note?: string | null;
  attachments?: Types.ObjectId[];
}

/** The audit trail: every module records its state changes here, inside the same transaction as the change. */
export function createAudit(models: Pick<Models, 'Event' | 'User'>, now: () => Date) {
  async function record(input: EventInput, session?: ClientSession): Promise<void> {
    await models.Event.create([{ ...input, at: now() }], { session });
  }

  async function timeline(
    communityId: Types.ObjectId,
    itemKind: string,
    itemId: Types.ObjectId,
  ): Promise<TimelineEntry[]> {
    const events = await models.Event.find({ communityId, itemKind, itemId })
      .sort({ at: 1, _id: 1 })
      .lean<AuditEvent[]>();
    const actors = await models.User.find(
      { _id: { $in: events.map((e) => e.actorId).filter(Boolean) } },
      { displayName: 1 },
    ).lean();
    return events.map((e) => ({
      id: String(e._id),
      action: e.action,
      from: e.from ?? null,
      to: e.to ?? null,
      actor: e.actorId ? maskName(actors.find((a) => a._id.equals(e.actorId!))?.displayName ?? '') : '系统',
      actorRole: e.actorRole ?? null,
      note: e.note ?? null,
      attachments: e.attachments.map(String),
      at: e.at.toISOString(),
    }));
  }

  return { record, timeline };
}
export type Audit = ReturnType<typeof createAudit>;

/** Sends a timeline as a CSV download. */
export function sendTimelineCsv(reply: FastifyReply, kind: string, id: string, entries: TimelineEntry[]) {
  return reply
    .type(CSV_TYPE)
    .header('content-disposition', `attachment; filename="timeline-${kind}-${id}.csv"`)
    .send(timelineCsv(entries));
}

/** A timeline as CSV, with a BOM so Excel opens the Chinese text, and spreadsheet formulas neutralised. */
export function timelineCsv(entries: TimelineEntry[]): string {
  const rows = entries.map((e) => [e.at, e.action, e.from, e.to, e.actor, e.actorRole, e.note]);
  return csvText([['时间', '动作', '原状态', '新状态', '操作人', '角色', '备注'], ...rows]);
}

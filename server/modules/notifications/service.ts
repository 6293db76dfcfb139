import type { FastifyBaseLogger } from 'fastify';
import type { Types } from 'mongoose';
import type { InboxPage } from '../../../shared/schemas/platform';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import { WechatApiError, type WechatClient } from '../../wechat/client';
import type { Notification } from './model';
import type { Templates } from './templates';

export interface NotifyInput {
  userIds: Types.ObjectId[];
  kind: string;
  title: string;
  body: string;
  link?: string;
  /** Values for the subscribe-message template fields (see templates.default.json). */
  data?: Record<string, string>;
}

const INBOX_SORT = ['createdAt', '_id'] as const;
/** WeChat's `thing` fields take at most 20 characters, `phrase` 5. */
const FIELD_LIMITS: Record<string, number> = { thing: 20, phrase: 5, name: 10 };

function fitField(key: string, value: string): string {
  const limit = FIELD_LIMITS[key.replace(/\d+$/, '')];
  return limit && [...value].length > limit ? `${[...value].slice(0, limit - 1).join('')}…` : value;
}

/**
 * Telling people: an inbox entry always, and a WeChat subscribe message when they consented to one of that
 * kind. Delivery never fails the action that caused it: every outcome is recorded instead.
 */
export function createNotifier(deps: {
  models: Pick<Models, 'Notification' | 'SubscribeConsent' | 'Delivery' | 'User'>;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  templates: Templates;
  log: FastifyBaseLogger;
}) {
  const { models } = deps;

  async function deliver(notification: Notification, data: Record<string, string>): Promise<void> {
    type Result = 'sent' | 'no-consent' | 'refused' | 'quota' | 'failed' | 'no-template';
    const record = (result: Result, errcode: number | null = null) =>
      models.Delivery.create({
        userId: notification.userId,
        kind: notification.kind,
        notificationId: notification._id,
        result,
        errcode,
      });
    const template = deps.templates[notification.kind];
    if (!template) return void (await record('no-template'));
    // Spend one consent atomically: two events at once cannot both use the last one.
    const consent = await models.SubscribeConsent.findOneAndUpdate(
      { userId: notification.userId, kind: notification.kind, remaining: { $gt: 0 } },
      { $inc: { remaining: -1 } },
    ).lean();
    if (!consent) return void (await record('no-consent'));
    const user = await models.User.findById(notification.userId, { openid: 1 }).lean();
    try {
      await deps.wechat.sendSubscribeMessage({
        openid: user!.openid,
        templateId: template.templateId,
        page: notification.link ?? template.page,
        data: Object.fromEntries(
          Object.entries(template.fields).map(([key, source]) => [key, fitField(key, data[source] ?? '')]),
        ),
      });
      await record('sent');
    } catch (err) {
      const errcode = err instanceof WechatApiError ? err.errcode : null;
      // 43101: the user withdrew consent in WeChat; 45009/45011: quota spent. Neither is retried.
      await record(
        errcode === 43101 ? 'refused' : errcode === 45009 || errcode === 45011 ? 'quota' : 'failed',
        errcode,
      );
    }
  }

  /** Tells each user; returns once the inbox entries exist, delivering subscribe messages after. */
  async function notify(input: NotifyInput): Promise<void> {
    if (input.userIds.length === 0) return;
    const created = await models.Notification.insertMany(
      input.userIds.map((userId) => ({
        userId,
        kind: input.kind,
        title: input.title,
        body: input.body,
        link: input.link ?? null,
      })),
    );
    await Promise.all(
      created.map((n) =>
        deliver(n.toObject<Notification>(), input.data ?? {}).catch((err: unknown) =>
          deps.log.error({ err, kind: input.kind }, 'subscribe message delivery failed'),
        ),
      ),
    );
  }

  async function inbox(userId: Types.ObjectId, cursor: string | undefined, limit: number): Promise<InboxPage> {
    const filter = { userId, ...(cursor ? afterCursor(INBOX_SORT, decodeCursor(cursor, ['date', 'objectId'])) : {}) };
    const [rows, unread] = await Promise.all([
      models.Notification.find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit + 1)
        .lean<Notification[]>(),
      models.Notification.countDocuments({ userId, readAt: null }),
    ]);
    const { items, nextCursor } = pageOf(rows, limit, INBOX_SORT);
    return {
      items: items.map((n) => ({
        id: String(n._id),
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link ?? null,
        read: n.readAt !== null,
        createdAt: n.createdAt.toISOString(),
      })),
      nextCursor,
      unread,
    };
  }

  async function markRead(userId: Types.ObjectId, id: string | 'all'): Promise<number> {
    if (id === 'all') {
      await models.Notification.updateMany({ userId, readAt: null }, { $set: { readAt: new Date() } });
    } else {
      const found = await models.Notification.exists({ _id: id, userId });
      if (!found) throw new NotFoundError('No such message');
      await models.Notification.updateOne({ _id: id, userId, readAt: null }, { $set: { readAt: new Date() } });
    }
    return models.Notification.countDocuments({ userId, readAt: null });
  }

  /** Records the consents a person just gave (one message each); answers what they have left per kind. */
  async function subscribe(userId: Types.ObjectId, kinds: string[]): Promise<Record<string, number>> {
    const known = kinds.filter((kind) => Object.hasOwn(deps.templates, kind));
    await Promise.all(
      known.map((kind) =>
        models.SubscribeConsent.updateOne({ userId, kind }, { $inc: { remaining: 1 } }, { upsert: true }),
      ),
    );
    const consents = await models.SubscribeConsent.find({ userId }).lean();
    return Object.fromEntries(consents.map((c) => [c.kind, c.remaining]));
  }

  function templateIds(): Record<string, string> {
    return Object.fromEntries(Object.entries(deps.templates).map(([kind, t]) => [kind, t.templateId]));
  }

  return { notify, inbox, markRead, subscribe, templateIds };
}
export type Notifier = ReturnType<typeof createNotifier>;

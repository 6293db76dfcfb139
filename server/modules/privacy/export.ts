import { randomBytes } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import { EXPORT_TTL_HOURS, PRIVACY_POLICY_VERSION } from '../../../shared/privacy';
import type { ExportView } from '../../../shared/schemas/privacy';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { AppError, ConflictError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { JobRunner } from '../jobs/runner';
import type { Storage } from '../media/storage';
import type { Actor } from '../roles/access';
import type { DataExport } from './model';

export const EXPORT_JOB = 'privacy.export';
export const EXPORT_EXPIRY_JOB = 'privacy.export-expiry';

/** Fields never exported: secrets, storage internals, client retry keys. */
const OMIT = new Set(['__v', 'doorSecret', 'sessionKey', 'hash', 'keys', 'idempotencyKey', 'doorUsedStep']);

/** A stored document as plain JSON: ids as strings, dates as ISO strings, secrets and internals left out. */
export function plain(value: unknown): unknown {
  if (value instanceof Types.ObjectId) return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (OMIT.has(key)) continue;
      out[key] = plain(v);
    }
    return out;
  }
  return value;
}

const json = (value: unknown) => strToU8(`${JSON.stringify(plain(value), null, 2)}\n`);

/**
 * The data export (PIPL Art. 45): a zip of JSON files and the person's own photos, built by a job. Everything
 * is read by the person's id across communities; what other people wrote or are is left out or masked: a
 * neighbour's name on a wish recorded for them is masked and their phone dropped, a wish they only claimed
 * carries no beneficiary, flags list only their own, timelines name only them (others by role).
 */
export function createExports(deps: {
  models: Models;
  files: Storage;
  jobs: Pick<JobRunner, 'schedule'>;
  now: () => Date;
}) {
  const { models } = deps;
  const cross = CROSS_COMMUNITY;

  function view(e: DataExport): ExportView {
    return {
      id: String(e._id),
      state: e.state as ExportView['state'],
      readyAt: e.readyAt ? e.readyAt.toISOString() : null,
      expiresAt: e.expiresAt ? e.expiresAt.toISOString() : null,
    };
  }

  async function request(actor: Actor): Promise<ExportView> {
    const now = deps.now();
    // One export at a time: a pending one is answered again rather than queued twice.
    const pending = await models.DataExport.findOne({ userId: actor.userId, state: 'pending' }).lean<DataExport>();
    if (pending) return view(pending);
    const created = await models.DataExport.create({ userId: actor.userId, requestedAt: now });
    await deps.jobs.schedule(EXPORT_JOB, `privacy:export:${created._id}`, now, { exportId: String(created._id) });
    return view(created.toObject<DataExport>());
  }

  async function get(actor: Actor, id: string): Promise<ExportView> {
    const e = await models.DataExport.findOne({ _id: id, userId: actor.userId }).lean<DataExport>();
    if (!e) throw new NotFoundError('No such export');
    return view(e);
  }

  async function download(actor: Actor, id: string): Promise<{ body: Buffer; filename: string }> {
    const e = await models.DataExport.findOne({ _id: id, userId: actor.userId }).lean<DataExport>();
    if (!e) throw new NotFoundError('No such export');
    if (e.state !== 'ready' || !e.key) throw new ConflictError('The archive is not ready', ErrorCode.EXPORT_NOT_READY);
    if (!e.expiresAt || e.expiresAt.getTime() <= deps.now().getTime())
      throw new AppError(410, ErrorCode.EXPORT_EXPIRED, 'The archive expired; ask for a new one');
    return { body: await deps.files.get(e.key), filename: `linli-export-${String(e._id)}.zip` };
  }

  /** Everything about one person, as the files of the archive. */
  async function collect(userId: Types.ObjectId): Promise<Record<string, Uint8Array>> {
    const me = String(userId);
    const user = await models.User.findById(userId).lean();
    if (!user) throw new Error('The user is gone');
    const households = await models.Household.find({ 'members.userId': userId })
      .setOptions({ ...cross })
      .lean();
    const [units, grants, joinRequests, acceptances, consents] = await Promise.all([
      models.Node.find({ _id: { $in: households.map((h) => h.unitId) } }, { name: 1, ancestors: 1 })
        .setOptions({ ...cross })
        .lean(),
      models.RoleGrant.find({ userId })
        .setOptions({ ...cross })
        .lean(),
      models.JoinRequest.find({ userId })
        .setOptions({ ...cross })
        .lean(),
      models.PolicyAcceptance.find({ userId }).lean(),
      models.PrivacyConsent.find({ userId }).lean(),
    ]);
    const names = new Map(
      (
        await models.Node.find({ _id: { $in: units.flatMap((u) => [...u.ancestors, u._id]) } }, { name: 1 })
          .setOptions({ ...cross })
          .lean()
      ).map((n) => [String(n._id), n.name]),
    );
    const files: Record<string, Uint8Array> = {};
    files['README.txt'] = strToU8(
      [
        '邻里 个人信息导出（《个人信息保护法》第四十五条）',
        `导出时间：${deps.now().toISOString()}`,
        `隐私政策版本：${PRIVACY_POLICY_VERSION}`,
        '每个 JSON 文件是一类信息；photos/ 下是您上传的照片（已去除 EXIF/GPS）。',
        '其他居民的姓名和手机号不在导出中：代录心愿的受助人姓名已打码、手机号已删除，其他人只以编号或角色出现。',
        '',
      ].join('\n'),
    );
    files['profile.json'] = json({
      id: me,
      displayName: user.displayName,
      phone: user.phone ?? null,
      openid: user.openid,
      badges: user.badges,
      createdAt: (user as { createdAt?: Date }).createdAt ?? null,
      lastLoginAt: user.lastLoginAt ?? null,
      bans: user.bans,
      privacyAcceptances: acceptances.map((a) => ({ version: a.version, acceptedAt: a.acceptedAt })),
    });
    files['households.json'] = json(
      households.map((h) => {
        const mine = h.members.find((m) => m.userId.equals(userId))!;
        const unit = units.find((u) => u._id.equals(h.unitId));
        return {
          id: h._id,
          place: unit ? [...unit.ancestors, unit._id].map((id) => names.get(String(id)) ?? '').join(' · ') : null,
          room: h.room,
          floor: h.floor,
          relation: mine.relation,
          joinedAt: mine.joinedAt,
          ...(mine.relation === 'owner' ? { areaHundredths: h.areaHundredths } : {}),
          otherMembers: h.members.length - 1,
        };
      }),
    );
    files['roles.json'] = json(grants.map((g) => ({ role: g.role, nodeId: g.nodeId, gridId: g.gridId ?? null })));
    files['join-requests.json'] = json(joinRequests);

    const reports = await models.Report.find({ reporterId: userId })
      .setOptions({ ...cross })
      .lean();
    const wishesPosted = await models.Wish.find({ postedBy: userId })
      .setOptions({ ...cross })
      .lean();
    const wishesClaimed = await models.Wish.find({
      postedBy: { $ne: userId },
      $or: [{ 'claim.userId': userId }, { 'claims.userId': userId }],
    })
      .setOptions({ ...cross })
      .lean();
    const itemIds = [...reports.map((r) => r._id), ...wishesPosted.map((w) => w._id)];
    const [events, notices, flagged, messages, orders, registration, hours, activities] = await Promise.all([
      models.Event.find({
        $or: [
          { actorId: userId },
          { itemKind: 'user', itemId: userId },
          { itemKind: { $in: ['report', 'wish'] }, itemId: { $in: itemIds } },
        ],
      })
        .setOptions({ ...cross })
        .sort({ at: 1 })
        .lean(),
      models.Notice.find({ authorId: userId })
        .setOptions({ ...cross })
        .lean(),
      models.ModerationCase.find({ 'flags.userId': userId })
        .setOptions({ ...cross })
        .lean(),
      models.WishMessage.find({ authorId: userId })
        .setOptions({ ...cross })
        .lean(),
      models.VolunteerOrder.find({ $or: [{ requesterId: userId }, { orderedBy: userId }, { volunteerId: userId }] })
        .setOptions({ ...cross })
        .lean(),
      models.Volunteer.find({ userId })
        .setOptions({ ...cross })
        .lean(),
      models.HoursEntry.find({ userId })
        .setOptions({ ...cross })
        .lean(),
      models.VolunteerActivity.find(
        { $or: [{ participants: userId }, { waiting: userId }, { checkedIn: userId }, { organiserId: userId }] },
        { title: 1, startsAt: 1, endsAt: 1, communityId: 1 },
      )
        .setOptions({ ...cross })
        .lean(),
    ]);
    const [topics, comments, ballots, ratings, nominations, named] = await Promise.all([
      models.Topic.find({ authorId: userId })
        .setOptions({ ...cross })
        .lean(),
      models.TopicComment.find({ authorId: userId })
        .setOptions({ ...cross })
        .lean(),
      models.TopicVote.find({ castBy: userId })
        .setOptions({ ...cross })
        .lean(),
      models.TopicRating.find({ userId })
        .setOptions({ ...cross })
        .lean(),
      models.BoardEntry.find({ nominatedBy: userId })
        .setOptions({ ...cross })
        .lean(),
      models.BoardEntry.find({ subjectUserId: userId, nominatedBy: { $ne: userId } })
        .setOptions({ ...cross })
        .lean(),
    ]);

    files['reports.json'] = json(reports);
    files['notices.json'] = json(notices);
    files['flags.json'] = json(
      flagged.flatMap((c) =>
        c.flags
          .filter((f) => f.userId?.equals(userId))
          .map((f) => ({ itemKind: c.kind, itemId: c.itemId, reason: f.reason, at: f.at, caseStatus: c.status })),
      ),
    );
    files['wishes.json'] = json({
      posted: wishesPosted.map((w) => ({
        ...w,
        // A wish recorded for a neighbour (代录) carries their details: masked, phone dropped.
        beneficiary: w.onBehalf
          ? {
              name: maskName(w.beneficiary.name ?? ''),
              room: null,
              buildingName: w.beneficiary.buildingName ?? null,
            }
          : w.beneficiary,
      })),
      claimed: wishesClaimed.map((w) => ({
        id: w._id,
        text: w.text,
        kind: w.kind,
        state: w.state,
        beneficiaryKind: w.beneficiaryKind,
        claim: w.claim?.userId.equals(userId) ? w.claim : null,
        pastClaims: w.claims.filter((c) => c.userId.equals(userId)),
        fulfilment: w.claim?.userId.equals(userId) ? w.fulfilment : null,
      })),
      messages,
    });
    files['volunteer.json'] = json({
      registrations: registration,
      hours,
      // Orders they served: the service and its hours, not what the resident wrote about themselves.
      orders: orders.map((o) =>
        o.requesterId.equals(userId) || o.orderedBy.equals(userId)
          ? { ...o, offers: undefined }
          : {
              id: o._id,
              role: 'volunteer',
              kind: o.kind,
              state: o.state,
              windowStart: o.windowStart,
              windowEnd: o.windowEnd,
              checkInAt: o.checkInAt,
              checkOutAt: o.checkOutAt,
              credited: o.credited,
              rating: o.rating?.score ?? null,
            },
      ),
      activities,
    });
    files['deliberation.json'] = json({
      topics: topics.map((t) => ({ ...t, cosigners: undefined, cosignCount: t.cosigners.length })),
      comments: comments.map((c) => ({ ...c, likedBy: undefined, likes: c.likedBy.length })),
      ballots: ballots.map((b) => ({ ...b, receipt: undefined })),
      ratings,
    });
    files['boards.json'] = json({
      nominations,
      namingMe: named.map((e) => ({
        id: e._id,
        colour: e.colour,
        act: e.act,
        occurredAt: e.occurredAt,
        state: e.state,
        consent: e.consent,
      })),
    });
    files['consents.json'] = json(consents);
    files['audit-events.json'] = json(
      events.map((e) => ({
        at: e.at,
        itemKind: e.itemKind,
        itemId: e.itemId,
        action: e.action,
        from: e.from,
        to: e.to,
        actor: e.actorId?.equals(userId) ? 'me' : e.actorId ? 'other' : 'system',
        actorRole: e.actorRole,
        note: e.note,
      })),
    );
    const notifications = await models.Notification.find({ userId }).sort({ createdAt: -1 }).limit(1000).lean();
    files['notifications.json'] = json(notifications);

    const photos = await models.Media.find({ ownerId: userId })
      .setOptions({ ...cross })
      .lean();
    const photoIndex: unknown[] = [];
    for (const photo of photos) {
      const name = `photos/${String(photo._id)}.jpg`;
      try {
        files[name] = new Uint8Array(await deps.files.get(photo.keys.display));
        photoIndex.push({ file: name, id: photo._id, attachedTo: photo.attachedTo ?? null, at: photo.createdAt });
      } catch {
        photoIndex.push({ file: null, id: photo._id, missing: true });
      }
    }
    files['photos.json'] = json(photoIndex);
    return files;
  }

  /** The export job: builds the archive, stores it, schedules its removal. */
  async function build(exportId: string): Promise<void> {
    const e = await models.DataExport.findOne({ _id: exportId, state: 'pending' }).lean<DataExport>();
    if (!e) return;
    try {
      const archive = zipSync(await collect(e.userId), { level: 6 });
      const key = `exports/${String(e._id)}-${randomBytes(8).toString('hex')}.zip`;
      await deps.files.put(key, Buffer.from(archive), 'application/zip');
      const readyAt = deps.now();
      const expiresAt = new Date(readyAt.getTime() + EXPORT_TTL_HOURS * 3600_000);
      const done = await models.DataExport.updateOne(
        { _id: e._id, state: 'pending' },
        { $set: { state: 'ready', key, bytes: archive.length, readyAt, expiresAt } },
      );
      // The account was closed meanwhile (its exports deleted): the archive goes too.
      if (done.modifiedCount === 0) {
        await deps.files.remove(key);
        return;
      }
      await deps.jobs.schedule(EXPORT_EXPIRY_JOB, `privacy:export-expiry:${String(e._id)}`, expiresAt, {
        exportId: String(e._id),
      });
    } catch (err) {
      await models.DataExport.updateOne(
        { _id: e._id, state: 'pending' },
        { $set: { state: 'failed', error: err instanceof Error ? err.message.slice(0, 200) : 'failed' } },
      );
    }
  }

  /** At expiry the archive file goes; the record stays (without its key) so the status still answers. */
  async function expire(exportId: string): Promise<void> {
    const e = await models.DataExport.findOne({ _id: exportId }).lean<DataExport>();
    if (!e?.key) return;
    await deps.files.remove(e.key).catch(() => undefined);
    await models.DataExport.updateOne({ _id: e._id }, { $set: { key: null } });
  }

  return { request, get, download, build, expire };
}
export type Exports = ReturnType<typeof createExports>;

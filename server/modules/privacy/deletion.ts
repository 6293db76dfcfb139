import { Types, type Connection } from 'mongoose';
import { DELETED_USER_NAME } from '../../../shared/masking';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { Storage } from '../media/storage';
import { membersBesides } from '../places/model';
import type { ActorCache } from '../roles/actor-cache';
import type { Consents } from './consents';

/** The community recorded on a deletion's audit event when the person belonged to none. */
const NO_COMMUNITY = new Types.ObjectId('000000000000000000000000');

/**
 * Closing an account (PIPL Art. 47). The user document stays as a pseudonym (its id is what reports, topics,
 * ballots and ledgers point to), so history still resolves — to 已注销用户 in every view, masked or not — while
 * everything that identifies the person goes:
 *
 * - profile: name → 已注销用户, phone, unionid, WeChat session key, badges, bans erased; the openid replaced by
 *   `deleted:<id>`, so the same WeChat account logging in again starts a new, empty account;
 * - sessions and refresh tokens deleted: the access token stops working on its next request;
 * - household memberships and role grants end; join requests, inbox, subscribe consents and deliveries go;
 * - the volunteer registration keeps its hours ledger (the community's record) without the real name or phone;
 * - wishes they posted for their own household, or a proxy recorded with their phone, lose the beneficiary's
 *   name and phone snapshot (it was them);
 *   an organisation they are the contact of loses the contact's phone;
 * - every photo they uploaded (reports, wishes, boards, orders…) is deleted, files and records: photos are
 *   where people's faces and homes are, and a deleted account cannot consent to them any more. Items keep their
 *   text and history; views skip photos that are gone;
 * - standing consents are revoked (the items' flags flip), exports are deleted;
 * - the audit trail gets one `account_deleted` event per community they belonged to, naming only the id.
 */
export function createDeletion(deps: {
  models: Models;
  connection: Connection;
  files: Storage;
  consents: Pick<Consents, 'revokeAll'>;
  audit: Pick<Audit, 'record'>;
  actors: Pick<ActorCache, 'changed'>;
  now: () => Date;
}) {
  const { models } = deps;
  const cross = CROSS_COMMUNITY;

  async function removeFiles(keys: string[]): Promise<void> {
    for (const key of keys) await deps.files.remove(key).catch(() => undefined);
  }

  /** Deletes photos (records, then files): the ids named, or all a person uploaded. */
  async function deleteMedia(filter: Record<string, unknown>): Promise<number> {
    const media = await models.Media.find(filter, { keys: 1 })
      .setOptions({ ...cross })
      .lean();
    if (media.length === 0) return 0;
    await models.Media.deleteMany({ _id: { $in: media.map((m) => m._id) } }).setOptions({ ...cross });
    await removeFiles(media.flatMap((m) => [m.keys.display, m.keys.thumb]));
    return media.length;
  }

  async function deleteAccount(userId: Types.ObjectId): Promise<void> {
    const user = await models.User.findOne({ _id: userId, deletedAt: null }).lean();
    if (!user) throw new NotFoundError('No such user');
    const now = deps.now();

    // Sessions first: whatever happens next, the person is logged out everywhere.
    await models.Session.deleteMany({ userId });
    await models.RefreshToken.deleteMany({ userId });
    await deps.actors.changed([userId]);

    const [households, grants] = await Promise.all([
      models.Household.find({ 'members.userId': userId }, { communityId: 1, members: 1 })
        .setOptions({ ...cross })
        .lean(),
      models.RoleGrant.find({ userId }, { communityId: 1 })
        .setOptions({ ...cross })
        .lean(),
    ]);
    const communities = new Map<string, Types.ObjectId>();
    for (const c of [...households, ...grants].map((d) => d.communityId).filter(Boolean) as Types.ObjectId[])
      communities.set(String(c), c);

    await deps.consents.revokeAll(userId);

    await models.Household.updateMany({ 'members.userId': userId }, { $pull: { members: { userId } } }).setOptions({
      ...cross,
    });
    // The others in those households no longer see the person in their own GET /me.
    await deps.actors.changed(membersBesides(households, userId));
    await models.RoleGrant.deleteMany({ userId }).setOptions({ ...cross });
    await models.JoinRequest.deleteMany({ userId }).setOptions({ ...cross });
    await models.Notification.deleteMany({ userId });
    await models.SubscribeConsent.deleteMany({ userId });
    await models.Delivery.deleteMany({ userId });
    await models.NoticeRead.deleteMany({ userId }).setOptions({ ...cross });

    await models.Volunteer.updateMany(
      { userId },
      { $set: { realName: DELETED_USER_NAME, phone: '', status: 'suspended', statusReason: '账号已注销' } },
    ).setOptions({ ...cross });
    await models.Wish.updateMany(
      { postedBy: userId, onBehalf: false },
      { $set: { 'beneficiary.name': DELETED_USER_NAME, 'beneficiary.phone': null, showMaskedName: false } },
    ).setOptions({ ...cross });
    if (user.phone) {
      await models.Wish.updateMany(
        { 'beneficiary.phone': user.phone },
        { $set: { 'beneficiary.name': DELETED_USER_NAME, 'beneficiary.phone': null, showMaskedName: false } },
      ).setOptions({ ...cross });
      await models.WishOrganisation.updateMany(
        { contactPhone: user.phone },
        { $set: { contactPhone: '', contactName: DELETED_USER_NAME } },
      ).setOptions({ ...cross });
    }
    await models.WishOrganisation.updateMany({ members: userId }, { $pull: { members: userId } }).setOptions({
      ...cross,
    });

    await deleteMedia({ ownerId: userId });

    const exports = await models.DataExport.find({ userId }, { key: 1 }).lean();
    await removeFiles(exports.map((e) => e.key).filter((k): k is string => !!k));
    await models.DataExport.deleteMany({ userId });
    await models.PolicyAcceptance.deleteMany({ userId });

    // The identity goes last: a deletion that failed half-way can be asked for again after logging in.
    await models.User.updateOne(
      { _id: userId },
      {
        $set: {
          openid: `deleted:${userId}`,
          displayName: DELETED_USER_NAME,
          badges: [],
          bans: [],
          deletedAt: now,
        },
        $unset: { phone: 1, unionid: 1, sessionKey: 1, lastLoginAt: 1 },
      },
    );

    for (const communityId of communities.size > 0 ? communities.values() : [NO_COMMUNITY]) {
      await deps.audit.record({
        communityId,
        itemKind: 'user',
        itemId: userId,
        action: 'account_deleted',
        actorId: userId,
        actorRole: 'self',
      });
    }
  }

  return { deleteAccount, deleteMedia };
}
export type Deletion = ReturnType<typeof createDeletion>;

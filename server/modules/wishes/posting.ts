import { ErrorCode } from '../../../shared/errors';
import type {
  CreateWishBody,
  ResubmitWishBody,
  WishSettingsBody,
  WishSettingsView,
  WishView,
} from '../../../shared/schemas/wishes';
import {
  beneficiaryLabel,
  wishKindLabel,
  wishProblem,
  type BeneficiaryKind,
  type WishSettings,
} from '../../../shared/wishes';
import { itemIdFor } from '../../data/idempotency';
import { inScope } from '../../data/tenant-scope';
import { AppError, BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Household, PlaceNode } from '../places/model';
import { recordConsent } from '../privacy/consents';
import type { Actor } from '../roles/access';
import type { WishCore, WishDeps } from './context';
import type { Wish } from './model';
import type { WishViews } from './view';

/** Refuses a value over the community's cap or a wanted-by date already past (422 with the rule's code). */
function checkWish(fields: { valueYuan: number; wantedBy: string }, settings: WishSettings, now: Date) {
  const problem = wishProblem(fields, settings, now);
  if (problem) throw new AppError(422, problem.code, problem.message);
}

/** Posting (for one's own household or 代录 for a neighbour), editing after a return, review, withdrawal, settings. */
export function createPosting(deps: WishDeps, core: WishCore, views: WishViews) {
  const { models, access } = deps;

  async function settings(actor: Actor, communityId: string): Promise<WishSettingsView> {
    const community = await access.findNode(actor, communityId);
    if (community.kind !== 'community') throw new NotFoundError('No such community');
    return { ...(await core.settingsOf(community._id)), canEdit: access.can(actor, 'wish.review', community) };
  }

  async function saveSettings(actor: Actor, communityId: string, body: WishSettingsBody): Promise<WishSettingsView> {
    const community = await access.authorize(actor, 'wish.review', communityId);
    if (community.kind !== 'community') throw new BadRequestError('Settings belong to a community');
    await models.WishSettings.updateOne({ communityId: community._id }, { $set: body }, { upsert: true });
    return settings(actor, communityId);
  }

  /**
   * The household the wish is for and whether the caller records it for a neighbour: their own by default
   * (they must say which when they have several), someone else's only with `wish.on_behalf` over its unit.
   */
  async function householdFor(actor: Actor, body: CreateWishBody): Promise<{ household: Household; proxy: boolean }> {
    if (!body.householdId) {
      const own = await models.Household.find({ 'members.userId': actor.userId, ...inScope(actor.scope) }).lean<
        Household[]
      >();
      if (own.length === 0) throw new AppError(400, ErrorCode.NO_HOUSEHOLD, 'Join a household first');
      if (own.length > 1) throw new AppError(400, ErrorCode.HOUSEHOLD_REQUIRED, 'Say which household it is for');
      if (body.beneficiary) throw beneficiaryRefused();
      return { household: own[0]!, proxy: false };
    }
    const household = await models.Household.findOne({
      _id: body.householdId,
      ...inScope(actor.scope),
    }).lean<Household>();
    if (!household) throw new NotFoundError('No such household');
    if (household.members.some((m) => m.userId.equals(actor.userId))) {
      if (body.beneficiary) throw beneficiaryRefused();
      return { household, proxy: false };
    }
    const unit = { _id: household.unitId, ancestors: household.ancestors.filter((a) => !a.equals(household.unitId)) };
    if (!access.can(actor, 'wish.on_behalf', unit))
      throw new ForbiddenError('Only captains, grid workers and staff record wishes for a neighbour');
    if (!body.beneficiary)
      throw new AppError(422, ErrorCode.WISH_BENEFICIARY, "Give the neighbour's name when recording a wish for them");
    return { household, proxy: true };
  }

  const beneficiaryRefused = () =>
    new AppError(422, ErrorCode.WISH_BENEFICIARY, "A neighbour's name is given only when recording a wish for them");

  async function create(actor: Actor, body: CreateWishBody): Promise<{ created: boolean; wish: WishView }> {
    const existing = await models.Wish.findOne({
      postedBy: actor.userId,
      idempotencyKey: body.idempotencyKey,
      ...inScope(actor.scope),
    }).lean<Wish>();
    if (existing) return { created: false, wish: await views.one(actor, existing) };
    const { household, proxy } = await householdFor(actor, body);
    const communityId = household.communityId;
    const places = await models.Node.find({ _id: { $in: household.ancestors }, communityId }).lean<PlaceNode[]>();
    const estate = places.find((p) => p.kind === 'estate');
    const building = places.find((p) => p.kind === 'building');
    const unit = places.find((p) => p._id.equals(household.unitId));
    if (!estate) throw new BadRequestError('The household belongs to no estate');
    checkWish(body, await core.settingsOf(communityId), deps.now());
    const screening = await deps.moderation.screenText(actor, 3, { text: body.text }, communityId);
    const me = proxy ? null : await models.User.findById(actor.userId, { displayName: 1, phone: 1 }).lean();
    const _id = itemIdFor(actor.userId, body.idempotencyKey);
    let wish: Wish;
    try {
      wish = await deps.media.attachFor(
        actor,
        body.mediaIds ?? [],
        { kind: 'wish', itemId: _id, communityId },
        (mediaIds) =>
          deps.connection.transaction(async (session) => {
            const [created] = (await models.Wish.create(
              [
                {
                  _id,
                  communityId,
                  nodeId: estate._id,
                  ancestors: [...estate.ancestors, estate._id],
                  householdId: household._id,
                  postedBy: actor.userId,
                  onBehalf: proxy,
                  idempotencyKey: body.idempotencyKey,
                  text: body.text,
                  kind: body.kind,
                  beneficiaryKind: body.beneficiaryKind,
                  valueYuan: body.valueYuan,
                  wantedBy: body.wantedBy,
                  mediaIds,
                  showMaskedName: body.showMaskedName,
                  beneficiary: {
                    name: proxy ? body.beneficiary!.name : (me?.displayName ?? ''),
                    phone: proxy ? (body.beneficiary!.phone ?? null) : (me?.phone ?? null),
                    room: `${building?.name ?? ''}${unit?.name ?? ''}${household.room}`,
                    buildingName: building?.name ?? null,
                  },
                  moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
                  // The app's clock, not the database's: figures count a month's posts by it.
                  createdAt: deps.now(),
                },
              ],
              { session },
            )) as unknown as [Wish];
            await deps.audit.record(
              {
                communityId,
                itemKind: 'wish',
                itemId: created._id,
                nodeId: estate._id,
                action: proxy ? 'post_on_behalf' : 'post',
                to: 'pending',
                actorId: actor.userId,
                actorRole: 'owner',
              },
              session,
            );
            // The poster consents for their own household only; a proxy's 代录 is no consent of theirs.
            if (!proxy && body.showMaskedName)
              await recordConsent(
                deps.connection,
                {
                  userId: actor.userId,
                  communityId,
                  kind: 'wish_beneficiary_name',
                  itemId: created._id,
                  granted: true,
                  at: deps.now(),
                },
                session,
              );
            return created;
          }),
      );
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // The same wish sent twice at once: answer with the one stored.
      const winner = await models.Wish.findOne({ _id, communityId }).lean<Wish>();
      return { created: false, wish: await views.one(actor, winner!) };
    }
    await deps.moderation.afterCreate('wish', wish, screening);
    await core.tell(await core.staffOf(wish), wish, '新的微心愿待审核');
    return { created: true, wish: await views.one(actor, wish) };
  }

  /** The poster edits a returned wish and sends it for review again. */
  async function resubmit(actor: Actor, id: string, body: ResubmitWishBody): Promise<WishView> {
    const wish = await core.load(actor, id);
    const parties = core.partiesOf(actor, wish);
    checkWish(body, await core.settingsOf(wish.communityId), deps.now());
    const screening = await deps.moderation.screenText(actor, 3, { text: body.text }, wish.communityId);
    const target = { kind: 'wish', itemId: wish._id, communityId: wish.communityId };
    const updated = await deps.media.attachFor(actor, body.mediaIds ?? [], target, (mediaIds) =>
      core.move(actor, wish, 'resubmit', parties, {
        set: {
          text: body.text,
          kind: body.kind,
          beneficiaryKind: body.beneficiaryKind,
          valueYuan: body.valueYuan,
          wantedBy: body.wantedBy,
          showMaskedName: body.showMaskedName,
          ...(body.mediaIds ? { mediaIds } : {}),
          reviewNote: null,
          'moderation.state': screening.verdict === 'pass' ? 'visible' : 'review',
        },
        within: (w, session) =>
          w.onBehalf
            ? Promise.resolve()
            : recordConsent(
                deps.connection,
                {
                  userId: w.postedBy,
                  communityId: w.communityId,
                  kind: 'wish_beneficiary_name',
                  itemId: w._id,
                  granted: !!body.showMaskedName,
                  at: deps.now(),
                },
                session,
              ),
      }),
    );
    await deps.moderation.afterCreate('wish', updated, screening);
    await core.tell(await core.staffOf(updated), updated, '微心愿已修改，待审核');
    return views.one(actor, updated);
  }

  /** Staff publish a pending wish: on the wall, and as a notice in the estate's channel. */
  async function publish(actor: Actor, id: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const parties = core.partiesOf(actor, wish);
    if (parties.includes('staff') && wish.state === 'pending' && !core.isVisible(wish))
      throw new ConflictError('The wish awaits moderation', ErrorCode.WISH_UNDER_REVIEW);
    const now = deps.now();
    const updated = await core.move(actor, wish, 'publish', parties, {
      set: { publishedAt: now, reviewNote: null },
      where: { 'moderation.state': { $nin: ['review', 'hidden'] } },
    });
    const label = beneficiaryLabel({
      kind: updated.beneficiaryKind as BeneficiaryKind,
      consent: !!updated.showMaskedName,
      name: updated.beneficiary.name ?? '',
      buildingName: updated.beneficiary.buildingName ?? null,
    });
    await models.Notice.create({
      communityId: updated.communityId,
      channelId: updated.nodeId,
      title: `新的微心愿：${wishKindLabel[updated.kind as keyof typeof wishKindLabel]}`,
      body: `${label}的心愿：${updated.text}（期望${updated.wantedBy}前实现）。党员、志愿者和爱心组织可在心愿墙认领。`,
      authorId: actor.userId,
      authorRole: 'community_staff',
      publishedAt: now,
    });
    await core.tell([updated.postedBy], updated, '您的微心愿已发布到心愿墙');
    return views.one(actor, updated);
  }

  /** Staff send a pending wish back for changes, or turn it down, with a reason. */
  async function review(actor: Actor, id: string, action: 'return' | 'reject', reason: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const updated = await core.move(actor, wish, action, core.partiesOf(actor, wish), {
      set: { reviewNote: reason },
      note: reason,
    });
    await core.tell([updated.postedBy], updated, action === 'return' ? '您的微心愿需要修改' : '您的微心愿未通过审核');
    return views.one(actor, updated);
  }

  /** The poster or staff withdraw a wish nobody has claimed. */
  async function withdraw(actor: Actor, id: string, reason?: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const parties = core.partiesOf(actor, wish);
    const updated = await core.move(actor, wish, 'withdraw', parties, { note: reason ?? null });
    if (!parties.includes('owner')) await core.tell([updated.postedBy], updated, '您的微心愿已被撤回');
    return views.one(actor, updated);
  }

  return { settings, saveSettings, create, resubmit, publish, review, withdraw };
}
export type Posting = ReturnType<typeof createPosting>;

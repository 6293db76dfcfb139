import { Types } from 'mongoose';
import {
  DEFAULT_WISH_SETTINGS,
  autoConfirmsAt,
  lapsesAt,
  type BeneficiaryKind,
  type ClaimantType,
  type WishKind,
  type WishState,
} from '../../../shared/wishes';
import { chinaDate } from '../../../shared/china-time';
import type { Models } from '../../plugins/models';
import type { Household, PlaceNode } from '../places/model';
import { LAPSE_JOB, lapseJobKey } from '../wishes/claims';
import { AUTO_CONFIRM_JOB, confirmJobKey } from '../wishes/fulfilment';
import type { DemoPlace } from './data';

const DAY = 24 * 3600_000;

interface DemoWish {
  state: WishState;
  /** Who posted it; with `for`, the proxy who recorded it for the neighbour in that room (代录). */
  by: string;
  for?: { unit: string[]; room: string; name: string; phone?: string };
  text: string;
  kind: WishKind;
  beneficiaryKind: BeneficiaryKind;
  valueYuan: number;
  consent: boolean;
  daysAgo: number;
  claimant?: { key: string; as: ClaimantType };
  reviewNote?: string;
  thanks?: string;
  dispute?: string;
  auto?: boolean;
}

const sunshine1 = ['阳光花园', '1栋'];

/** Wishes in every state, so the wall, the done wall, my wishes, my claims and the review queue show something. */
const demoWishes: DemoWish[] = [
  {
    state: 'pending',
    by: 'owner',
    text: '想要一台能插卡的老人收音机，平时听听戏',
    kind: 'goods',
    beneficiaryKind: 'elderly_alone',
    valueYuan: 120,
    consent: true,
    daysAgo: 1,
  },
  {
    state: 'returned',
    by: 'unitcap',
    text: '想请人帮忙修理',
    kind: 'service',
    beneficiaryKind: 'other',
    valueYuan: 50,
    consent: false,
    daysAgo: 3,
    reviewNote: '请写清楚需要修理什么，方便志愿者准备工具',
  },
  {
    state: 'rejected',
    by: 'owner',
    text: '想要一部新款智能手机',
    kind: 'goods',
    beneficiaryKind: 'other',
    valueYuan: 300,
    consent: false,
    daysAgo: 6,
    reviewNote: '微心愿面向困难群众的小额需求，建议通过其他渠道解决',
  },
  {
    state: 'published',
    by: 'captain',
    for: { unit: [...sunshine1, '1单元'], room: '602', name: '李秀兰', phone: '13700000601' },
    text: '老人独居，想请人每周来陪她聊聊天、读读报',
    kind: 'companionship',
    beneficiaryKind: 'elderly_alone',
    valueYuan: 0,
    consent: true,
    daysAgo: 2,
  },
  {
    state: 'published',
    by: 'owner',
    text: '想要一把带放大镜的指甲剪',
    kind: 'goods',
    beneficiaryKind: 'elderly_alone',
    valueYuan: 30,
    consent: false,
    daysAgo: 2,
  },
  {
    state: 'published',
    by: 'grid',
    for: { unit: ['阳光花园', '3栋', '2单元'], room: '401', name: '周小宇' },
    text: '孩子想要一套初中数学辅导书',
    kind: 'goods',
    beneficiaryKind: 'child',
    valueYuan: 80,
    consent: false,
    daysAgo: 4,
  },
  {
    state: 'claimed',
    by: 'captain',
    for: { unit: [...sunshine1, '2单元'], room: '101', name: '赵德明' },
    text: '腿脚不便，想请人帮忙把阳台的旧花盆搬下楼',
    kind: 'service',
    beneficiaryKind: 'disabled',
    valueYuan: 0,
    consent: true,
    daysAgo: 3,
    claimant: { key: 'volunteer', as: 'volunteer' },
  },
  {
    state: 'fulfilled',
    by: 'owner',
    text: '想要一个冬天用的暖手宝',
    kind: 'goods',
    beneficiaryKind: 'elderly_alone',
    valueYuan: 60,
    consent: true,
    daysAgo: 5,
    claimant: { key: 'handyman', as: 'volunteer' },
  },
  {
    state: 'disputed',
    by: 'captain',
    for: { unit: [...sunshine1, '1单元'], room: '501', name: '钱桂芳' },
    text: '想要一床厚棉被过冬',
    kind: 'goods',
    beneficiaryKind: 'low_income',
    valueYuan: 150,
    consent: false,
    daysAgo: 9,
    claimant: { key: 'teacher', as: 'organisation' },
    dispute: '送来的是薄被，不够厚',
  },
  {
    state: 'confirmed',
    by: 'owner',
    text: '想请人教我用手机视频通话，和外地的孙子聊天',
    kind: 'service',
    beneficiaryKind: 'elderly_alone',
    valueYuan: 0,
    consent: true,
    daysAgo: 12,
    claimant: { key: 'volunteer', as: 'party_member' },
    thanks: '小吴教得很耐心，现在每周都能和孙子视频了，谢谢！',
  },
  {
    state: 'confirmed',
    by: 'captain',
    for: { unit: [...sunshine1, '2单元'], room: '302', name: '孙凤英' },
    text: '想要一个带扶手的洗澡凳',
    kind: 'goods',
    beneficiaryKind: 'disabled',
    valueYuan: 90,
    consent: true,
    daysAgo: 20,
    claimant: { key: 'teacher', as: 'organisation' },
    auto: true,
  },
  {
    state: 'withdrawn',
    by: 'owner',
    text: '想请人帮忙贴春联',
    kind: 'service',
    beneficiaryKind: 'other',
    valueYuan: 0,
    consent: false,
    daysAgo: 8,
  },
];

/** Micro-wishes in every state, with an organisation (爱心车队, code AIXIN1) and wishes recorded for neighbours. */
export async function seedWishes(
  models: Models,
  community: PlaceNode,
  resolve: (place: DemoPlace) => Promise<PlaceNode>,
) {
  const now = Date.now();
  const communityId = community._id;
  const user = async (key: string) => (await models.User.findOne({ openid: `demo-${key}` }).lean())!;
  const staff = await user('staff');
  const organisation = await models.WishOrganisation.create({
    communityId,
    name: '幸福里爱心车队',
    contactName: '钱老师',
    contactPhone: '13900000010',
    joinCode: 'AIXIN1',
    members: [(await user('teacher'))._id],
    createdBy: staff._id,
  });
  for (const [i, demo] of demoWishes.entries()) {
    const poster = await user(demo.by);
    const household = demo.for
      ? await models.Household.findOne({
          communityId,
          unitId: (await resolve([community.name, ...demo.for.unit]))._id,
          room: demo.for.room,
        }).lean<Household>()
      : await models.Household.findOne({ communityId, 'members.userId': poster._id }).lean<Household>();
    const places = await models.Node.find({ communityId, _id: { $in: household!.ancestors } }).lean<PlaceNode[]>();
    const estate = places.find((p) => p.kind === 'estate')!;
    const building = places.find((p) => p.kind === 'building')!;
    const unit = places.find((p) => p._id.equals(household!.unitId))!;
    const createdAt = new Date(now - demo.daysAgo * DAY);
    const publishedAt = new Date(createdAt.getTime() + DAY / 2);
    const claimedAt = new Date(publishedAt.getTime() + DAY / 4);
    const fulfilledAt = new Date(claimedAt.getTime() + DAY);
    const claimant = demo.claimant ? await user(demo.claimant.key) : null;
    const reached = (state: WishState) => {
      const order: WishState[] = ['published', 'claimed', 'fulfilled', 'disputed', 'confirmed'];
      return order.indexOf(demo.state) >= order.indexOf(state) && order.includes(demo.state);
    };
    const wish = await models.Wish.create({
      _id: new Types.ObjectId(),
      communityId,
      nodeId: estate._id,
      ancestors: [...estate.ancestors, estate._id],
      householdId: household!._id,
      postedBy: poster._id,
      onBehalf: !!demo.for,
      idempotencyKey: `demo-wish-${i}`,
      text: demo.text,
      kind: demo.kind,
      beneficiaryKind: demo.beneficiaryKind,
      valueYuan: demo.valueYuan,
      wantedBy: chinaDate(new Date(now + (10 + i) * DAY)),
      showMaskedName: demo.consent,
      beneficiary: {
        name: demo.for?.name ?? poster.displayName,
        phone: demo.for ? (demo.for.phone ?? null) : (poster.phone ?? null),
        room: `${building.name}${unit.name}${household!.room}`,
        buildingName: building.name,
      },
      state: demo.state,
      reviewNote: demo.reviewNote ?? null,
      publishedAt: reached('published') || demo.state === 'withdrawn' ? publishedAt : null,
      claim:
        claimant && reached('claimed')
          ? {
              userId: claimant._id,
              type: demo.claimant!.as,
              organisationId: demo.claimant!.as === 'organisation' ? organisation._id : null,
              showName: true,
              claimedAt,
              lapsesAt: lapsesAt(claimedAt, DEFAULT_WISH_SETTINGS),
            }
          : null,
      fulfilment: reached('fulfilled')
        ? {
            note: '已送到家中，老人很满意',
            mediaIds: [],
            at: fulfilledAt,
            autoConfirmsAt: autoConfirmsAt(fulfilledAt, DEFAULT_WISH_SETTINGS),
          }
        : null,
      dispute: demo.dispute
        ? { reason: demo.dispute, at: new Date(fulfilledAt.getTime() + DAY), decision: null }
        : null,
      confirmation:
        demo.state === 'confirmed'
          ? {
              by: demo.auto ? 'auto' : 'beneficiary',
              thanks: demo.thanks ?? null,
              at: new Date(fulfilledAt.getTime() + DAY),
            }
          : null,
      confirmedAt: demo.state === 'confirmed' ? new Date(fulfilledAt.getTime() + DAY) : null,
      createdAt,
    });
    await models.Event.create({
      communityId,
      itemKind: 'wish',
      itemId: wish._id,
      nodeId: estate._id,
      action: demo.for ? 'post_on_behalf' : 'post',
      to: 'pending',
      actorId: poster._id,
      actorRole: 'owner',
      at: createdAt,
    });
    if (demo.state === 'claimed')
      await models.Job.create({
        name: LAPSE_JOB,
        key: lapseJobKey(wish),
        runAt: wish.claim!.lapsesAt,
        payload: { wishId: String(wish._id), lapsesAt: wish.claim!.lapsesAt.toISOString() },
      });
    if (demo.state === 'fulfilled')
      await models.Job.create({
        name: AUTO_CONFIRM_JOB,
        key: confirmJobKey(wish),
        runAt: wish.fulfilment!.autoConfirmsAt!,
        payload: { wishId: String(wish._id), autoConfirmsAt: wish.fulfilment!.autoConfirmsAt!.toISOString() },
      });
  }
}

import type { Types } from 'mongoose';
import { boardMonth, DEFAULT_ACTS, freezesAt, previousMonth, respondBy, type EntryState } from '../../../shared/boards';
import { monthBounds } from '../../../shared/china-time';
import type { Models } from '../../plugins/models';
import { createFreezer } from '../boards/freeze';
import type { BoardEntry } from '../boards/model';
import { createEntryPlaces } from '../boards/places';
import { createPoints } from '../boards/points';
import { WINDOW_JOB, windowJobKey } from '../boards/review';
import { createPublisher } from '../deliberation/publish';
import type { Household, PlaceNode } from '../places/model';
import type { DemoPlace } from './data';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface DemoEntry {
  state: EntryState;
  act: string;
  by: string;
  /** Where it happened, below the community. */
  at: DemoPlace;
  /** The household concerned: its unit below the community and room. */
  household?: { unit: DemoPlace; room: string };
  /** Red: the demo user named, and whether they consent. */
  subject?: { key: string; consent: boolean };
  description: string;
  staffNote?: string;
  response?: string;
  rectification?: string;
  appeal?: { reason: string; decision?: { upheld: boolean; note: string } };
  /** Hours before now (this month) or days into the past month. */
  ago: number;
}

const sun = (...rest: string[]) => ['阳光花园', ...rest];
const bamboo = (...rest: string[]) => ['翠竹苑', ...rest];

/** Last month's board: frozen when seeded, with a building alone at the top for the 流动红旗 and a correction. */
const pastMonth: DemoEntry[] = [
  {
    state: 'published',
    act: 'caring_for_elders',
    by: 'captain',
    at: sun('1栋', '1单元'),
    household: { unit: sun('1栋', '1单元'), room: '302' },
    subject: { key: 'owner', consent: true },
    description: '每天帮楼上独居的李奶奶取药送饭',
    ago: 3,
  },
  {
    state: 'published',
    act: 'returning_lost_property',
    by: 'owner',
    at: sun('1栋', '1单元'),
    household: { unit: sun('1栋', '1单元'), room: '101' },
    subject: { key: 'captain', consent: false },
    description: '在单元门口捡到钱包，交还失主',
    ago: 6,
  },
  {
    state: 'published',
    act: 'helping_neighbours',
    by: 'grid',
    at: sun('2栋', '2单元'),
    household: { unit: sun('2栋', '2单元'), room: '202' },
    subject: { key: 'handyman', consent: true },
    description: '义务帮邻居修好了漏水的水管',
    ago: 10,
  },
  {
    state: 'published',
    act: 'ebike_indoor',
    by: 'grid',
    at: sun('3栋', '1单元'),
    household: { unit: sun('3栋', '1单元'), room: '201' },
    description: '电动车推进家里充电，存在火灾隐患',
    response: '不知道有规定，以后去充电棚充',
    ago: 12,
  },
  {
    state: 'published',
    act: 'blocking_fire_lane',
    by: 'grid',
    at: ['阳光花园'],
    description: '小区东门消防通道被私家车长期占用',
    ago: 15,
  },
  {
    state: 'removed',
    act: 'littering',
    by: 'tenant',
    at: bamboo('2栋', '2单元'),
    household: { unit: bamboo('2栋', '2单元'), room: '101' },
    description: '楼下绿化带里经常有人乱扔垃圾袋',
    appeal: { reason: '垃圾袋不是我家扔的', decision: { upheld: true, note: '经调取记录核实并非该户所为' } },
    ago: 18,
  },
];

/** This month: one entry in every state, about the demo users' households where that shows something. */
const thisMonth: DemoEntry[] = [
  {
    state: 'nominated',
    act: 'noise',
    by: 'owner',
    at: sun('1栋'),
    description: '夜里十一点后楼上还在拖动家具',
    ago: 2,
  },
  {
    state: 'more_info',
    act: 'helping_neighbours',
    by: 'tenant',
    at: sun('2栋', '1单元'),
    household: { unit: sun('2栋', '1单元'), room: '502' },
    description: '邻居帮我照看孩子',
    staffNote: '请补充具体时间和经过',
    ago: 20,
  },
  {
    state: 'dismissed',
    act: 'dog_mess',
    by: 'tenant',
    at: sun('2栋'),
    description: '楼前草地上有狗粪',
    staffNote: '无法确认是哪一户，已请物业加强清扫',
    ago: 30,
  },
  {
    state: 'notified',
    act: 'hallway_clutter',
    by: 'grid',
    at: sun('2栋', '1单元'),
    household: { unit: sun('2栋', '1单元'), room: '501' },
    description: '五楼楼道堆放旧家具和纸箱，挡住通道',
    ago: 26,
  },
  {
    state: 'awaiting_decision',
    act: 'ebike_indoor',
    by: 'grid',
    at: sun('3栋', '2单元'),
    household: { unit: sun('3栋', '2单元'), room: '601' },
    description: '电动车电池拿回家中充电',
    response: '电池是拿上来保管的，没有充电',
    ago: 200,
  },
  {
    state: 'rectified',
    act: 'hallway_clutter',
    by: 'grid',
    at: sun('1栋', '1单元'),
    household: { unit: sun('1栋', '1单元'), room: '302' },
    description: '三楼楼道放着两袋杂物',
    rectification: '当天已经清理干净',
    ago: 60,
  },
  {
    state: 'published',
    act: 'caring_for_elders',
    by: 'captain',
    at: sun('1栋', '1单元'),
    household: { unit: sun('1栋', '1单元'), room: '302' },
    subject: { key: 'owner', consent: false },
    description: '陪独居老人去医院复查',
    ago: 40,
  },
  {
    state: 'published',
    act: 'beautifying',
    by: 'grid',
    at: bamboo('1栋'),
    household: { unit: bamboo('1栋', '1单元'), room: '402' },
    subject: { key: 'volunteer', consent: true },
    description: '组织邻居在楼前种花，美化环境',
    ago: 50,
  },
  {
    state: 'appealed',
    act: 'noise',
    by: 'grid',
    at: bamboo('2栋', '1单元'),
    household: { unit: bamboo('2栋', '1单元'), room: '301' },
    description: '周末早上七点装修电钻声',
    appeal: { reason: '装修在规定时间内进行，已提前告知邻居' },
    ago: 70,
  },
  {
    state: 'removed',
    act: 'throwing_from_height',
    by: 'tenant',
    at: bamboo('1栋', '1单元'),
    household: { unit: bamboo('1栋', '1单元'), room: '602' },
    description: '楼上扔下一个饮料瓶',
    appeal: { reason: '我家当天不在家', decision: { upheld: true, note: '经核实当天该户无人在家' } },
    ago: 80,
  },
];

const publishedLike: EntryState[] = ['published', 'appealed', 'removed'];

/**
 * The civility board's demo: last month frozen (with its ranking, the 流动红旗 and a correction line), this
 * month's entries in every state with their ledger lines, and the window job of the entry waiting for its
 * household.
 */
export async function seedBoards(
  models: Models,
  community: PlaceNode,
  resolve: (place: DemoPlace) => Promise<PlaceNode>,
) {
  const now = Date.now();
  const communityId = community._id;
  const current = boardMonth(new Date(now));
  const past = previousMonth(current);
  const user = async (key: string) => (await models.User.findOne({ openid: `demo-${key}` }).lean())!._id;
  const staff = await user('staff');
  const points = createPoints(models);
  let index = 0;

  async function create(demo: DemoEntry, at: Date, publishedAt: Date | null) {
    index += 1;
    const node = await resolve([community.name, ...demo.at]);
    const household = demo.household
      ? await models.Household.findOne({
          communityId,
          unitId: (await resolve([community.name, ...demo.household.unit]))._id,
          room: demo.household.room,
        }).lean<Household>()
      : null;
    const around = await models.Node.find({
      communityId,
      _id: { $in: [...node.ancestors, node._id, ...(household?.ancestors ?? [])] },
    }).lean<PlaceNode[]>();
    const within = (ids: Types.ObjectId[], kind: string) =>
      around.find((n) => n.kind === kind && ids.some((id) => id.equals(n._id)))?._id ?? null;
    const act = DEFAULT_ACTS.find((a) => a.key === demo.act)!;
    const notified = ['notified', 'awaiting_decision', 'rectified'].includes(demo.state);
    const deadline = respondBy(at);
    const entry = await models.BoardEntry.create({
      communityId,
      nodeId: node._id,
      ancestors: [...node.ancestors, node._id],
      estateId: within([...node.ancestors, node._id], 'estate')!,
      colour: act.colour,
      act: { ...act },
      occurredAt: new Date(at.getTime() - 2 * HOUR),
      description: demo.description,
      householdId: household?._id ?? null,
      buildingId: within(household ? household.ancestors : [...node.ancestors, node._id], 'building'),
      subjectUserId: demo.subject ? await user(demo.subject.key) : null,
      consent: demo.subject?.consent ?? false,
      nominatedBy: await user(demo.by),
      idempotencyKey: `demo-board-${index}`,
      state: demo.state,
      staffNote: demo.staffNote ?? null,
      notifiedAt: notified ? at : null,
      respondBy: notified ? deadline : null,
      response: demo.response ? { text: demo.response, at: new Date(at.getTime() + DAY) } : null,
      rectification: demo.rectification
        ? { note: demo.rectification, mediaIds: [], at: new Date(at.getTime() + HOUR) }
        : null,
      appeal: demo.appeal
        ? {
            reason: demo.appeal.reason,
            at: new Date((publishedAt ?? at).getTime() + DAY),
            decision: demo.appeal.decision ?? null,
          }
        : null,
      publishedAt,
      month: publishedAt ? boardMonth(publishedAt) : null,
      createdAt: at,
    });
    const stored = entry.toObject<BoardEntry>();
    await models.Event.create({
      communityId,
      itemKind: 'board_entry',
      itemId: stored._id,
      nodeId: node._id,
      action: 'nominate',
      to: 'nominated',
      actorId: stored.nominatedBy,
      actorRole: 'nominator',
      at,
    });
    if (demo.state !== 'nominated')
      await models.Event.create({
        communityId,
        itemKind: 'board_entry',
        itemId: stored._id,
        nodeId: node._id,
        action: demo.state,
        from: 'nominated',
        to: demo.state,
        actorId: staff,
        actorRole: 'staff',
        at: publishedAt ?? new Date(at.getTime() + HOUR),
      });
    if (publishedLike.includes(demo.state)) await points.credit(stored, publishedAt!);
    if (demo.state === 'removed') {
      const decided = new Date(publishedAt!.getTime() + 2 * DAY);
      await points.reverse(stored, decided);
      await models.BoardCorrection.create({
        communityId,
        month: stored.month!,
        entryId: stored._id,
        text: `更正：${act.label}一条经申诉核实不成立，已撤榜。${demo.appeal?.decision?.note ?? ''}`,
        at: decided,
      });
    }
    if (demo.state === 'notified')
      await models.Job.create({
        name: WINDOW_JOB,
        key: windowJobKey(stored),
        runAt: deadline,
        payload: { entryId: String(stored._id), respondBy: deadline.toISOString() },
      });
  }

  const { start } = monthBounds(past);
  for (const demo of pastMonth) {
    const at = new Date(start.getTime() + demo.ago * DAY);
    await create(demo, at, ['published', 'removed'].includes(demo.state) ? new Date(at.getTime() + DAY) : null);
  }
  // This month's: never before its first minute, whatever day it is.
  const first = monthBounds(current).start.getTime();
  for (const [i, demo] of thisMonth.entries()) {
    const at = new Date(Math.max(now - demo.ago * HOUR, first + (i + 1) * 60_000));
    const published = publishedLike.includes(demo.state) ? new Date(Math.min(at.getTime() + HOUR, now)) : null;
    await create(demo, at, published);
  }

  // Last month froze at its moment: its snapshot and notice, as the job would have made them.
  const frozeAt = freezesAt(past);
  const publish = createPublisher({ models, notifier: { notify: async () => undefined }, now: () => frozeAt });
  await createFreezer({ models, now: () => frozeAt }, createEntryPlaces(models), points, publish).freeze(
    communityId,
    past,
  );
}

import type { Badge, Role } from '../../../shared/roles';
import type { HouseholdRelation } from '../../../shared/places';
import type { AvailabilitySlot, OrderState, ServiceKind } from '../../../shared/volunteers';

/**
 * The demo community `npm start` seeds on an empty database outside production, so every screen has
 * something to show. Demo users log in through the WeChat stand-in with openid `demo-<key>`.
 */
export const demoStreet = '和平街道';
export const demoCommunity = '幸福里社区';
export const otherCommunity = '和美社区';

export interface DemoEstate {
  name: string;
  buildings: string[];
  units: string[];
  floors: number;
  roomsPerFloor: number;
}

export const demoEstates: DemoEstate[] = [
  { name: '阳光花园', buildings: ['1栋', '2栋', '3栋'], units: ['1单元', '2单元'], floors: 6, roomsPerFloor: 2 },
  { name: '翠竹苑', buildings: ['1栋', '2栋'], units: ['1单元', '2单元'], floors: 6, roomsPerFloor: 2 },
];
export const otherEstates: DemoEstate[] = [
  { name: '和美家园', buildings: ['1栋'], units: ['1单元'], floors: 4, roomsPerFloor: 2 },
];

export const demoGrids = [
  { name: '第一网格', buildings: ['阳光花园/1栋', '阳光花园/2栋', '阳光花园/3栋'] },
  { name: '第二网格', buildings: ['翠竹苑/1栋', '翠竹苑/2栋'] },
];

/** A place named by its path of names; the first element is the community, or the street alone. */
export type DemoPlace = string[];

export interface DemoUser {
  key: string;
  displayName: string;
  description: string;
  phone?: string;
  badges?: Badge[];
  roles?: { role: Role; at: DemoPlace }[];
  gridWorkerOf?: string;
  home?: { unit: DemoPlace; room: string; relation: HouseholdRelation };
}

const sunshine = (building: string, unit: string): DemoPlace => [demoCommunity, '阳光花园', building, unit];

export const demoUsers: DemoUser[] = [
  {
    key: 'admin',
    displayName: '系统管理员',
    description: '管理员 · 和平街道',
    roles: [{ role: 'admin', at: [demoStreet] }],
  },
  {
    key: 'street',
    displayName: '赵街道',
    description: '街道工作人员',
    phone: '13900000001',
    roles: [{ role: 'street_staff', at: [demoStreet] }],
  },
  {
    key: 'staff',
    displayName: '李社工',
    description: '社区工作者 · 幸福里社区',
    phone: '13900000002',
    roles: [{ role: 'community_staff', at: [demoCommunity] }],
  },
  {
    key: 'grid',
    displayName: '周网格',
    description: '网格员 · 第一网格（阳光花园）',
    phone: '13900000003',
    gridWorkerOf: '第一网格',
  },
  {
    key: 'property',
    displayName: '孙物业',
    description: '物业 · 阳光花园',
    phone: '13900000004',
    roles: [{ role: 'property_handler', at: [demoCommunity, '阳光花园'] }],
  },
  {
    key: 'captain',
    displayName: '张楼长',
    description: '楼长 · 阳光花园1栋',
    phone: '13800000005',
    badges: ['party_member'],
    roles: [{ role: 'building_captain', at: [demoCommunity, '阳光花园', '1栋'] }],
    home: { unit: sunshine('1栋', '1单元'), room: '101', relation: 'owner' },
  },
  {
    key: 'unitcap',
    displayName: '陈单元长',
    description: '单元长 · 阳光花园1栋2单元',
    roles: [{ role: 'unit_captain', at: sunshine('1栋', '2单元') }],
    home: { unit: sunshine('1栋', '2单元'), room: '201', relation: 'owner' },
  },
  {
    key: 'owner',
    displayName: '王阿姨',
    description: '业主 · 阳光花园1栋1单元302',
    phone: '13800000007',
    home: { unit: sunshine('1栋', '1单元'), room: '302', relation: 'owner' },
  },
  {
    key: 'tenant',
    displayName: '刘小刚',
    description: '租户 · 阳光花园2栋1单元501',
    home: { unit: sunshine('2栋', '1单元'), room: '501', relation: 'tenant' },
  },
  {
    key: 'volunteer',
    displayName: '吴志愿',
    description: '志愿者、党员 · 翠竹苑1栋1单元',
    badges: ['volunteer', 'party_member'],
    home: { unit: [demoCommunity, '翠竹苑', '1栋', '1单元'], room: '402', relation: 'owner' },
  },
  {
    key: 'handyman',
    displayName: '郑师傅',
    description: '志愿者（维修）· 阳光花园2栋2单元',
    badges: ['volunteer'],
    home: { unit: sunshine('2栋', '2单元'), room: '202', relation: 'owner' },
  },
  {
    key: 'teacher',
    displayName: '钱老师',
    description: '志愿者（课业辅导）· 翠竹苑2栋1单元',
    badges: ['volunteer'],
    home: { unit: [demoCommunity, '翠竹苑', '2栋', '1单元'], room: '301', relation: 'owner' },
  },
  { key: 'newcomer', displayName: '新邻居小林', description: '尚未加入社区（体验加入流程）' },
  {
    key: 'other',
    displayName: '何居民',
    description: '和美社区居民（另一个社区）',
    home: { unit: [otherCommunity, '和美家园', '1栋', '1单元'], room: '101', relation: 'owner' },
  },
];

/** Reports the demo starts with: place, reporter, state and how long ago it was filed. */
export const demoReports: {
  place: DemoPlace;
  reporter: string;
  category: string;
  description: string;
  state: 'submitted' | 'accepted' | 'assigned' | 'closed';
  hoursAgo: number;
  location: [number, number];
}[] = [
  {
    place: sunshine('1栋', '1单元'),
    reporter: 'owner',
    category: 'sanitation',
    description: '1单元楼道堆放了很多纸箱杂物，影响消防通行',
    state: 'submitted',
    hoursAgo: 2,
    location: [116.3972, 39.9091],
  },
  {
    place: sunshine('2栋', '1单元'),
    reporter: 'tenant',
    category: 'facility',
    description: '2栋单元门门禁坏了，刷卡打不开',
    state: 'assigned',
    hoursAgo: 5,
    location: [116.3975, 39.9093],
  },
  {
    place: [demoCommunity, '阳光花园'],
    reporter: 'captain',
    category: 'parking',
    description: '小区东门消防通道长期停放私家车',
    state: 'closed',
    hoursAgo: 30,
    location: [116.398, 39.9095],
  },
  {
    place: [demoCommunity, '翠竹苑', '1栋', '1单元'],
    reporter: 'volunteer',
    category: 'noise',
    description: '楼上深夜装修，噪音很大',
    state: 'accepted',
    hoursAgo: 10,
    location: [116.401, 39.912],
  },
];

/** Deterministic areas between 75.00 and 139.99 m², so the demo looks the same on every start. */
export function demoArea(index: number): number {
  return 7500 + ((index * 2971) % 6500);
}

const everyDay = (parts: AvailabilitySlot['part'][]): AvailabilitySlot[] =>
  [0, 1, 2, 3, 4, 5, 6].flatMap((day) => parts.map((part) => ({ day, part })));

/** Verified volunteers of 幸福里社区: their skills, the estates they serve (none: the whole community) and when. */
export const demoVolunteers: {
  key: string;
  realName: string;
  phone: string;
  skills: ServiceKind[];
  estates: string[];
  availability: AvailabilitySlot[];
  rating: [sum: number, count: number];
}[] = [
  {
    key: 'volunteer',
    realName: '吴志愿',
    phone: '13800000010',
    skills: ['elderly_help', 'companionship', 'errands'],
    estates: [],
    availability: everyDay(['morning', 'afternoon', 'evening']),
    rating: [29, 6],
  },
  {
    key: 'handyman',
    realName: '郑建国',
    phone: '13800000011',
    skills: ['repairs', 'elderly_help'],
    estates: ['阳光花园'],
    availability: everyDay(['evening']),
    rating: [14, 3],
  },
  {
    key: 'teacher',
    realName: '钱文静',
    phone: '13800000012',
    skills: ['tutoring', 'psychological'],
    estates: ['翠竹苑'],
    availability: [6, 0].flatMap((day) => everyDay(['morning', 'afternoon']).filter((s) => s.day === day)),
    rating: [0, 0],
  },
];

/** Orders in every state: who ordered, what, whose volunteer, and when (hours from now; negative is past). */
export const demoOrders: {
  requester: string;
  kind: ServiceKind;
  description: string;
  state: OrderState;
  volunteer?: string;
  startsInHours: number;
}[] = [
  {
    requester: 'owner',
    kind: 'elderly_help',
    description: '家里老人腿脚不便，想请人陪同去社区医院取药',
    state: 'ordered',
    startsInHours: 20,
  },
  {
    requester: 'tenant',
    kind: 'repairs',
    description: '厨房水龙头一直滴水，想请师傅帮忙看看',
    state: 'dispatched',
    volunteer: 'handyman',
    startsInHours: 26,
  },
  { requester: 'captain', kind: 'errands', description: '帮忙代取快递并送到家门口', state: 'open', startsInHours: 6 },
  {
    requester: 'unitcap',
    kind: 'companionship',
    description: '独居老人想找人聊聊天、读读报',
    state: 'accepted',
    volunteer: 'volunteer',
    startsInHours: 30,
  },
  {
    requester: 'owner',
    kind: 'repairs',
    description: '卫生间灯不亮，需要换灯泡',
    state: 'in_service',
    volunteer: 'handyman',
    startsInHours: -0.5,
  },
  {
    requester: 'tenant',
    kind: 'elderly_help',
    description: '帮老人整理药箱、看说明书',
    state: 'completed',
    volunteer: 'volunteer',
    startsInHours: -26,
  },
  {
    requester: 'captain',
    kind: 'tutoring',
    description: '孩子数学作业辅导一次',
    state: 'rated',
    volunteer: 'teacher',
    startsInHours: -50,
  },
  {
    requester: 'unitcap',
    kind: 'errands',
    description: '代买一周的蔬菜（已由家人解决）',
    state: 'cancelled',
    startsInHours: -10,
  },
];

/** An upcoming activity with a few places taken. */
export const demoActivity = {
  title: '周末小区环境清洁',
  kind: 'cleanup' as const,
  description: '清理阳光花园绿地和楼道杂物，工具由社区提供。',
  estate: '阳光花园',
  startsInHours: 48,
  hours: 2,
  places: 10,
  participants: ['volunteer', 'handyman'],
};

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/**
 * Topics (议事) the demo starts with, one in each stage: where, who raised it, how many households co-signed,
 * the discussion, and the ballots cast (in order over the place's households; closed ones are tallied for real).
 */
export const demoTopics: {
  place: DemoPlace;
  author: string;
  kind: 'public' | 'owners_ordinary' | 'owners_major';
  status:
    'proposed' | 'lapsed' | 'agenda' | 'voting' | 'decided' | 'rejected' | 'implementing' | 'rating' | 'completed';
  title: string;
  text: string;
  daysAgo: number;
  cosigns: number;
  comments?: string[];
  summary?: string;
  ballots?: ('yes' | 'no' | 'abstain')[];
}[] = [
  {
    place: sunshine('1栋', '1单元'),
    author: 'owner',
    kind: 'public',
    status: 'proposed',
    title: '楼道加装扶手',
    text: '单元里老人多，上下楼不方便，建议在楼道靠墙一侧加装扶手，费用从公共收益中列支。',
    daysAgo: 2,
    cosigns: 1,
    comments: ['支持，家里老人上楼很吃力', '建议先统计一下需要的住户'],
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'tenant',
    kind: 'public',
    status: 'lapsed',
    title: '小区增设乒乓球台',
    text: '希望在中心花园旁边增设两张乒乓球台，方便邻居们锻炼。',
    daysAgo: 30,
    cosigns: 1,
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'captain',
    kind: 'public',
    status: 'agenda',
    title: '小区增设电动自行车充电桩',
    text: '电动自行车楼道充电有火灾隐患，建议在东门车棚增设集中充电桩，按次扫码收费。',
    daysAgo: 6,
    cosigns: 3,
    comments: ['非常需要，楼道充电太危险了', '收费标准要公开', '车棚位置够不够？'],
    summary: '多数邻居支持，物业测算车棚可容纳20个充电位，下周提交表决。',
  },
  {
    place: [demoCommunity, '阳光花园', '1栋'],
    author: 'owner',
    kind: 'owners_ordinary',
    status: 'voting',
    title: '更换1栋单元门禁系统',
    text: '现有门禁经常失灵，建议更换为刷卡加人脸识别门禁，费用由公共收益支出。',
    daysAgo: 5,
    cosigns: 3,
    ballots: ['yes', 'yes', 'no', 'yes', 'abstain', 'yes', 'yes', 'no'],
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'captain',
    kind: 'owners_major',
    status: 'decided',
    title: '使用专项维修资金更换小区电梯',
    text: '小区电梯已运行18年，故障频繁，拟申请使用住宅专项维修资金分批更换全部电梯。',
    daysAgo: 40,
    cosigns: 5,
    ballots: [...times(44, 'yes' as const), ...times(6, 'no' as const), 'abstain', 'abstain'],
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'unitcap',
    kind: 'owners_ordinary',
    status: 'rejected',
    title: '外墙改为浅灰色',
    text: '外墙翻新时全部改为浅灰色。',
    daysAgo: 50,
    cosigns: 3,
    ballots: [...times(40, 'no' as const), ...times(6, 'yes' as const), 'abstain', 'abstain'],
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'owner',
    kind: 'public',
    status: 'implementing',
    title: '楼顶防水修缮',
    text: '顶楼住户反映雨季渗水，建议对楼顶防水层进行修缮。',
    daysAgo: 45,
    cosigns: 4,
    ballots: [...times(9, 'yes' as const), 'no'],
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'captain',
    kind: 'public',
    status: 'rating',
    title: '中心花园绿化带补种',
    text: '中心花园部分绿化带枯死，建议补种冬青和月季。',
    daysAgo: 60,
    cosigns: 5,
    ballots: [...times(10, 'yes' as const), 'abstain'],
  },
  {
    place: [demoCommunity, '阳光花园'],
    author: 'owner',
    kind: 'public',
    status: 'completed',
    title: '修缮小区北侧围墙',
    text: '北侧围墙有一段破损，存在安全隐患，建议尽快修缮。',
    daysAgo: 90,
    cosigns: 6,
    ballots: [...times(11, 'yes' as const), 'no'],
  },
];

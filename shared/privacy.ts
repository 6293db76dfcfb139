/**
 * The privacy policy (隐私政策) both sides show, its version and the separate consents (单独同意) the product asks
 * for. Pure data: the server records acceptances and consents against `PRIVACY_POLICY_VERSION`, the mini-program
 * renders `privacyPolicy` on its 隐私政策 page and the labels on 我的授权.
 *
 * Change the text → change the version: an acceptance names the version it was given for.
 */

/** The version of the policy in force; an acceptance of any other version is refused (422). */
export const PRIVACY_POLICY_VERSION = '2026-12-03';

/** Versions an acceptance may name (the one in force; older ones are kept only in records). */
export const PRIVACY_POLICY_VERSIONS: readonly string[] = [PRIVACY_POLICY_VERSION];

/** Default retention of closed reports' photos and personal fields, in years (server: `LINLI_REPORT_RETENTION_YEARS`). */
export const DEFAULT_REPORT_RETENTION_YEARS = 3;

/** How long a data export stays downloadable, in hours. */
export const EXPORT_TTL_HOURS = 24;

/** The phrase a resident types to close their account. */
export const DELETION_CONFIRMATION = '注销账号';

/** What a deleted account's posts show instead of a name (kept whole by maskName). */
export { DELETED_USER_NAME } from './masking';

/**
 * The separate consents the product asks for today, each about one item:
 * - `report_name`: the reporter's masked name on their report (随手拍 `showName`);
 * - `wish_beneficiary_name`: the beneficiary's masked name on the wish wall, given by the poster for their own
 *   household (微心愿 `showMaskedName`);
 * - `wish_claimant_name`: the claimant's name on the wishes' roll of honour (微心愿 claim `showName`);
 * - `board_name`: the named person's name on a red board entry (红黑榜 consent).
 */
export const CONSENT_KINDS = ['report_name', 'wish_beneficiary_name', 'wish_claimant_name', 'board_name'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/** The kind of item a consent is about. */
export const CONSENT_ITEM_KINDS = ['report', 'wish', 'board_entry'] as const;
export type ConsentItemKind = (typeof CONSENT_ITEM_KINDS)[number];

export const CONSENT_KIND_ITEM: Record<ConsentKind, ConsentItemKind> = {
  report_name: 'report',
  wish_beneficiary_name: 'wish',
  wish_claimant_name: 'wish',
  board_name: 'board_entry',
};

/** Chinese labels of the consents, as 我的授权 lists them. */
export const CONSENT_KIND_LABELS: Record<ConsentKind, { title: string; description: string }> = {
  report_name: {
    title: '随手拍显示我的姓名',
    description: '在我提交的随手拍上向其他居民显示我的打码姓名（如“王**”）；不授权时显示为“某居民”。手机号从不显示。',
  },
  wish_beneficiary_name: {
    title: '心愿墙显示受助人姓名',
    description: '在心愿墙上显示我家受助人的楼栋和打码姓名（如“3栋 王**”）；不授权时只显示“一位独居老人”等称呼。',
  },
  wish_claimant_name: {
    title: '心愿光荣榜显示我的姓名',
    description: '在微心愿光荣榜上显示我认领并完成心愿时的姓名；不授权时不列出我的姓名。',
  },
  board_name: {
    title: '红榜显示我的姓名',
    description: '在文明行为红榜上显示我的姓名；不授权时只显示楼栋、单元和善行。黑榜从不显示姓名。',
  },
};

export const CONSENT_ITEM_KIND_LABELS: Record<ConsentItemKind, string> = {
  report: '随手拍',
  wish: '微心愿',
  board_entry: '红黑榜',
};

export interface PolicySection {
  /** A stable key the mini-program may anchor to. */
  key: string;
  title: string;
  paragraphs: string[];
  /** Optional list items under the paragraphs. */
  items?: string[];
}

export interface PrivacyPolicy {
  version: string;
  title: string;
  /** The operator named in the policy; deployments override it in configuration of the mini-program build. */
  summary: string;
  sections: PolicySection[];
}

/**
 * The policy text. `retentionYears` is the configured retention of closed reports (default 3 years); the server
 * answers the configured value so the text shown matches what the retention job does.
 */
export function privacyPolicy(retentionYears: number = DEFAULT_REPORT_RETENTION_YEARS): PrivacyPolicy {
  return {
    version: PRIVACY_POLICY_VERSION,
    title: '邻里 隐私政策',
    summary:
      '邻里是社区居民参与社区事务的小程序：随手拍、微心愿、议事协商、志愿服务和文明行为红黑榜。' +
      '我们只处理这些功能必需的个人信息，姓名和手机号在其他居民可见的页面上一律打码，并让您随时查看、导出和删除自己的信息。',
    sections: [
      {
        key: 'controller',
        title: '一、谁处理您的个人信息',
        paragraphs: [
          '邻里由您所在社区的社区居民委员会（下称“社区”）运营，社区是您个人信息的处理者，负责本小程序的服务与数据安全。',
          '社区工作者、网格员、楼长和单元长只能在其负责的社区、网格、楼栋或单元范围内看到完成工作所需的信息；每一次查看敏感信息和每一次状态变更都记入不可修改的审计日志。',
        ],
      },
      {
        key: 'what',
        title: '二、我们处理哪些个人信息',
        paragraphs: ['我们只收集下列信息，不收集您的通讯录、身份证号或精确行踪。'],
        items: [
          '微信身份：登录时由微信提供的 openid（及 unionid，如有）；微信的 session_key 只保存在服务器，从不发给小程序。',
          '账户资料：您填写的称呼，以及您自愿填写的手机号（其他居民只会看到打码后的号码，如 138****5678）。',
          '住户信息：您加入的社区、小区、楼栋、单元和房号，与户内成员的关系（业主、家庭成员、租户），业主的专有部分面积（用于表决计票）。',
          '随手拍：您拍摄的 1–3 张照片、问题类别、文字描述、选择的位置（地图上的点）和所属楼栋，以及处理过程、评价。照片上传后在服务器重新编码，去除 EXIF 信息（包括拍摄地点 GPS）。',
          '微心愿：心愿内容、照片；代录时受助人的姓名、房号和手机号；认领人、完成凭证照片、感谢留言和双方的留言。',
          '议事协商：您发起或附议的议题、评论、您户的投票（投票在截止前保密）、代投记录及说明、评价。',
          '志愿服务：志愿者登记的真实姓名、手机号、技能、服务区域和可服务时间；点单、派单、上门签到签退和服务时长记录、评价与投诉。',
          '文明行为红黑榜：提名内容和证据照片（公开前由工作人员遮挡人脸和车牌）、涉及的楼栋和户、户的回应和申诉。',
          '举报与审核：您对内容的举报，以及内容安全检查的结果。',
          '订阅消息：您每次点击同意的订阅消息授权（一次授权发送一条）。',
        ],
      },
      {
        key: 'purpose',
        title: '三、为了什么',
        paragraphs: [
          '以上信息只用于：识别您的身份并确认您是本社区住户；把随手拍派给网格员、社区或物业处理并向您反馈；发布和认领微心愿；按户计票（包括《民法典》第二百七十八条要求的面积和人数双过三分之二/四分之三等规则）；派单和记录志愿服务时长；评定文明行为；保障内容安全；向您发送站内消息和您同意的订阅消息；生成不含个人身份的社区统计。',
          '我们不会将您的个人信息用于广告、画像或出售，也不会在您未单独同意时公开您的姓名。',
        ],
      },
      {
        key: 'retention',
        title: '四、保存多久',
        paragraphs: [
          `已办结（关闭）的随手拍，自关闭之日起满 ${retentionYears} 年后，其照片和报告人的个人信息（如发现地点、评价留言）会被自动清除，只保留不含个人信息的类别、地点层级和办理时限记录用于社区统计。这一期限可由社区配置，当前为 ${retentionYears} 年。`,
          '其他信息在您使用服务期间保存；您注销账户后，您的账户资料、手机号、志愿者实名信息、微信 openid 和登录会话立即删除（详见第六节）。',
          '审计日志为满足法定记录义务长期保存；注销后其中与您相关的记录只以化名标识保存。',
          '您申请导出的数据压缩包在生成后 24 小时内可下载，过期即删除。',
        ],
      },
      {
        key: 'recipients',
        title: '五、还有谁会收到您的信息',
        paragraphs: ['我们不向第三方出售或提供您的个人信息，以下情形除外：'],
        items: [
          '微信内容安全：您发布的文字和照片会发送给微信（深圳市腾讯计算机系统有限公司）的内容安全接口（msgSecCheck、mediaCheckAsync）检查违法违规内容；检查文字时需附带您的 openid。',
          '微信订阅消息：您同意接收的通知通过微信发送给您。',
          '物业公司：被指派给物业处理的随手拍，物业公司的处理人员可以看到该报告的内容、照片和位置，但看不到您的手机号。',
          '城市热线（12345）等外部系统：只能通过 Open311 接口读取公开的随手拍（不含报告人姓名和手机号）。',
          '法律法规要求或有权机关依法要求时。',
        ],
      },
      {
        key: 'rights',
        title: '六、如何行使您的权利',
        paragraphs: ['在“我的 → 隐私与授权”中，您可以随时：'],
        items: [
          '查看和更正：在“我的”中查看和修改称呼、手机号。',
          '撤回单独同意：在“我的授权”中撤回在随手拍、心愿墙、心愿光荣榜或红榜上显示姓名的授权；撤回后所有页面立即不再显示您的姓名（已冻结的往月榜单也一样）。撤回不影响撤回前的处理。',
          '导出：申请导出您的个人信息副本（JSON 文件和您上传的照片），通常几分钟内生成，24 小时内可下载；压缩包中不含其他居民的个人信息。',
          '注销：输入“注销账号”确认后，您的账户资料、手机号、志愿者实名信息、微信 openid 关联和全部登录会话立即删除，您在各户的成员身份结束；您发布的随手拍、议题等为社区办事所需的记录保留，但显示为“已注销用户”，您上传的照片一并删除。再次用同一微信登录将得到一个全新的空账户。',
          '撤回隐私政策授权：在微信“设置 → 隐私”中管理本小程序的授权；不同意时，需要位置、照片或手机号的功能将无法使用，其余功能不受影响。',
        ],
      },
      {
        key: 'contact',
        title: '七、联系我们',
        paragraphs: [
          '如对本政策或您的个人信息有任何疑问、意见或投诉，请联系您所在社区的社区居民委员会（居委会办公室），我们将在收到后 15 个工作日内答复。您也可以向网信、公安等履行个人信息保护职责的部门投诉、举报。',
          `本政策版本：${PRIVACY_POLICY_VERSION}。政策更新时，我们会在您下次打开小程序时请您重新阅读并同意。`,
        ],
      },
    ],
  };
}

import { ErrorCode } from '../../shared/errors';

/** Codes the client produces itself, for failures that never reached the server's error handler. */
export const ClientErrorCode = {
  NETWORK: 'NETWORK',
  UNEXPECTED_RESPONSE: 'UNEXPECTED_RESPONSE',
  /** The session ended (refresh refused, revoked): the user has to log in again. */
  LOGIN_REQUIRED: 'LOGIN_REQUIRED',
  WECHAT_LOGIN_FAILED: 'WECHAT_LOGIN_FAILED',
  /** A photo picked earlier is no longer on the phone (a browser page was reloaded): pick it again. */
  PHOTO_UNAVAILABLE: 'PHOTO_UNAVAILABLE',
} as const;

const messages: Record<string, string> = {
  [ErrorCode.VALIDATION_FAILED]: '填写的内容有误，请检查后重试',
  [ErrorCode.BAD_REQUEST]: '请求有误，请检查后重试',
  [ErrorCode.UNAUTHORIZED]: '请先登录',
  [ErrorCode.TOKEN_EXPIRED]: '登录已过期，请重新登录',
  [ErrorCode.FORBIDDEN]: '您没有权限进行此操作',
  [ErrorCode.NOT_FOUND]: '内容不存在或已被删除',
  [ErrorCode.ROUTE_NOT_FOUND]: '功能暂不可用，请升级小程序',
  [ErrorCode.CONFLICT]: '操作冲突，请刷新后重试',
  [ErrorCode.PAYLOAD_TOO_LARGE]: '内容过大，请压缩后再试',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: '不支持的文件格式',
  [ErrorCode.RATE_LIMITED]: '操作太频繁，请稍后再试',
  [ErrorCode.SERVICE_UNAVAILABLE]: '服务暂不可用，请稍后再试',
  [ErrorCode.INTERNAL]: '服务器开小差了，请稍后再试',
  [ErrorCode.WECHAT_CODE_INVALID]: '微信登录凭证已失效，请重新登录',
  [ErrorCode.WECHAT_CODE_USED]: '微信登录凭证已使用，请重新登录',
  [ErrorCode.WECHAT_RATE_LIMITED]: '登录太频繁，请稍后再试',
  [ErrorCode.WECHAT_USER_BLOCKED]: '该微信账号暂时无法登录',
  [ErrorCode.WECHAT_UNAVAILABLE]: '微信服务暂不可用，请稍后再试',
  [ErrorCode.REFRESH_TOKEN_INVALID]: '登录已失效，请重新登录',
  [ErrorCode.REFRESH_TOKEN_REUSED]: '登录状态异常，为保护账号安全请重新登录',
  [ErrorCode.SESSION_REVOKED]: '您已退出登录，请重新登录',
  [ErrorCode.DEMO_LOGIN_DISABLED]: '当前环境不支持演示账号登录',
  [ErrorCode.IMPORT_INVALID]: '导入的数据有误，请检查后重试',
  [ErrorCode.INVITE_INVALID]: '邀请码无效、已过期或已撤销，请向楼长索取新的邀请码',
  [ErrorCode.ROOM_NOT_FOUND]: '该单元没有这个房号，请重新选择',
  [ErrorCode.ALREADY_MEMBER]: '您已经是这户的成员了',
  [ErrorCode.JOIN_REQUEST_PENDING]: '您已有一份申请正在审核中',
  [ErrorCode.JOIN_REQUEST_DECIDED]: '该申请已被他人处理',
  [ErrorCode.ROLE_NOT_GRANTABLE]: '该角色不能在这里授予',
  [ErrorCode.ROLE_ABOVE_RANK]: '您的职级不足以进行此操作',
  [ErrorCode.CONTENT_RISKY]: '内容未通过安全检查，请修改后再提交',
  [ErrorCode.USER_BANNED]: '您的账号暂时不能发布内容，如有疑问请联系社区',
  [ErrorCode.NOT_IN_COMMUNITY]: '您还不是这个社区的居民',
  [ErrorCode.IMAGE_INVALID]: '图片无法识别，请换一张',
  [ErrorCode.IMAGE_TOO_LARGE]: '图片尺寸过大，请换一张',
  [ErrorCode.MEDIA_ATTACHED]: '这张照片已用于其他内容，请重新上传',
  [ErrorCode.ALREADY_FLAGGED]: '您已经举报过这条内容',
  [ErrorCode.CASE_CLOSED]: '该事项已处理完毕',
  [ErrorCode.INVALID_TRANSITION]: '该报事当前状态不能进行此操作，请刷新后查看',
  [ErrorCode.STALE_REPORT]: '该报事刚被他人处理，已为您刷新',
  [ErrorCode.NO_HOUSEHOLD]: '请先加入社区（绑定您的房屋）再随手拍',
  [ErrorCode.UNKNOWN_CATEGORY]: '该问题分类已停用，请重新选择',
  [ErrorCode.TOPIC_STATE]: '议题当前阶段不能进行此操作，已为您刷新',
  [ErrorCode.NOT_ELIGIBLE]: '您的房屋不在本次表决范围内',
  [ErrorCode.BALLOT_CLOSED]: '投票不在进行中（未开始或已截止）',
  [ErrorCode.BALLOT_NOT_CLOSED]: '投票截止后才能查询回执',
  [ErrorCode.ALREADY_VOTED]: '该户已自行投票，不能代投',
  [ErrorCode.STAGE_ORDER]: '请按四议两公开的顺序逐项记录，不能跳过',
  [ErrorCode.DISCUSSION_CLOSED]: '讨论已结束',
  [ErrorCode.NOT_A_VOLUNTEER]: '请先注册成为志愿者，并等待社区认证',
  [ErrorCode.VOLUNTEER_EXISTS]: '您已在这个社区注册过志愿者',
  [ErrorCode.ORDER_STATE_CHANGED]: '该订单状态已变化，已为您刷新',
  [ErrorCode.ORDER_TAKEN]: '手慢了，这单已被其他志愿者接走',
  [ErrorCode.DOOR_CODE_INVALID]: '服务码不正确或已过期，请让居民刷新后重新告诉您',
  [ErrorCode.DOOR_CODE_LOCKED]: '输错次数过多，请15分钟后再试',
  [ErrorCode.ALREADY_COMPLAINED]: '您已经投诉过这单服务',
  [ErrorCode.ALREADY_SIGNED_UP]: '您已报名该活动',
  [ErrorCode.ACTIVITY_CODE_INVALID]: '签到码不正确',
  [ClientErrorCode.NETWORK]: '网络不给力，请检查网络后重试',
  [ClientErrorCode.UNEXPECTED_RESPONSE]: '服务返回异常，请稍后再试',
  [ClientErrorCode.LOGIN_REQUIRED]: '登录已失效，请重新登录',
  [ClientErrorCode.WECHAT_LOGIN_FAILED]: '微信登录失败，请稍后重试',
  [ClientErrorCode.PHOTO_UNAVAILABLE]: '照片已失效，请重新选择',
};

/** The Chinese message a resident sees for an error code; unknown codes fall back by HTTP status. */
export function friendlyMessage(code: string, statusCode = 0): string {
  const known = messages[code];
  if (known) return known;
  if (statusCode >= 500) return messages[ErrorCode.INTERNAL]!;
  return messages[ErrorCode.BAD_REQUEST]!;
}

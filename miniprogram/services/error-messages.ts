import { ErrorCode } from '../../shared/errors';

/** Codes the client produces itself, for failures that never reached the server's error handler. */
export const ClientErrorCode = {
  NETWORK: 'NETWORK',
  UNEXPECTED_RESPONSE: 'UNEXPECTED_RESPONSE',
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
  [ClientErrorCode.NETWORK]: '网络不给力，请检查网络后重试',
  [ClientErrorCode.UNEXPECTED_RESPONSE]: '服务返回异常，请稍后再试',
};

/** The Chinese message a resident sees for an error code; unknown codes fall back by HTTP status. */
export function friendlyMessage(code: string, statusCode = 0): string {
  const known = messages[code];
  if (known) return known;
  if (statusCode >= 500) return messages[ErrorCode.INTERNAL]!;
  return messages[ErrorCode.BAD_REQUEST]!;
}

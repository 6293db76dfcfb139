import Taro from '@tarojs/taro';
import type { AppInfoResponse, ErrorResponse } from '../../shared/schemas/common';
import { ClientErrorCode, friendlyMessage } from './error-messages';

/** A failed call, carrying the server's stable code and a message fit to show a resident. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly reqId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

function isErrorBody(data: unknown): data is ErrorResponse {
  return typeof data === 'object' && data !== null && typeof (data as ErrorResponse).code === 'string';
}

function withQuery(path: string, query: RequestOptions['query']): string {
  const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
  if (pairs.length === 0) return path;
  return `${path}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}

/** The one way the mini-program talks to the service. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  let response: Taro.request.SuccessCallbackResult;
  try {
    response = await Taro.request({
      url: `${LINLI_API_BASE}/api${withQuery(path, options.query)}`,
      method,
      data: options.body as Taro.request.Option['data'],
      header: { 'content-type': 'application/json' },
      timeout: 15_000,
    });
  } catch {
    throw new ApiError(ClientErrorCode.NETWORK, friendlyMessage(ClientErrorCode.NETWORK), 0);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
  if (isErrorBody(response.data)) {
    const { code, statusCode, reqId } = response.data;
    throw new ApiError(code, friendlyMessage(code, statusCode), statusCode, reqId);
  }
  throw new ApiError(
    ClientErrorCode.UNEXPECTED_RESPONSE,
    friendlyMessage(ClientErrorCode.UNEXPECTED_RESPONSE, response.statusCode),
    response.statusCode,
  );
}

export const api = {
  appInfo: () => request<AppInfoResponse>('GET', '/app-info'),
};

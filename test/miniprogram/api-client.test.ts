import Taro from '@tarojs/taro';
import { ApiError, request } from '../../miniprogram/services/api';

const taroRequest = Taro.request as jest.Mock;

beforeEach(() => taroRequest.mockReset());

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof ApiError)) throw new Error('expected an ApiError');
  return error;
}

test('sends JSON with the query string encoded under /api', async () => {
  taroRequest.mockResolvedValueOnce({ statusCode: 200, data: { ok: true } });
  await expect(request('GET', '/things', { query: { q: '王 先生', page: 2, skip: undefined } })).resolves.toEqual({
    ok: true,
  });
  expect(taroRequest.mock.calls[0][0]).toMatchObject({
    url: '/api/things?q=%E7%8E%8B%20%E5%85%88%E7%94%9F&page=2',
    method: 'GET',
  });
});

test('maps the error shape to its code, a Chinese message and the request id', async () => {
  taroRequest.mockResolvedValueOnce({
    statusCode: 403,
    data: { statusCode: 403, code: 'FORBIDDEN', message: 'nope', reqId: 'abc' },
  });
  const error = await failure(request('POST', '/x', { body: { a: 1 } }));
  expect(error).toMatchObject({ code: 'FORBIDDEN', statusCode: 403, reqId: 'abc', message: '您没有权限进行此操作' });
});

test('an unknown code falls back by status, and a non-JSON body is an unexpected response', async () => {
  taroRequest.mockResolvedValueOnce({
    statusCode: 418,
    data: { statusCode: 418, code: 'SOMETHING_NEW', message: '', reqId: 'r' },
  });
  expect((await failure(request('GET', '/x'))).message).toBe('请求有误，请检查后重试');

  taroRequest.mockResolvedValueOnce({ statusCode: 502, data: '<html>Bad gateway</html>' });
  const error = await failure(request('GET', '/x'));
  expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', statusCode: 502, message: '服务返回异常，请稍后再试' });
});

test('too many requests says 操作太频繁，请稍后再试, from the service or from a proxy in front of it', async () => {
  taroRequest.mockResolvedValueOnce({
    statusCode: 429,
    data: { statusCode: 429, code: 'RATE_LIMITED', message: 'Too many requests, slow down', reqId: 'r' },
  });
  expect(await failure(request('POST', '/reports', { body: {} }))).toMatchObject({
    code: 'RATE_LIMITED',
    statusCode: 429,
    message: '操作太频繁，请稍后再试',
  });

  taroRequest.mockResolvedValueOnce({ statusCode: 429, data: '<html>429 Too Many Requests</html>' });
  expect(await failure(request('GET', '/x'))).toMatchObject({
    code: 'RATE_LIMITED',
    message: '操作太频繁，请稍后再试',
  });
});

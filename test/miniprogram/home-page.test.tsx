import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { __pullDown } from './doubles/taro';
import HomePage from '../../miniprogram/pages/index';

const request = Taro.request as jest.Mock;

beforeEach(() => request.mockReset());

test('shows a loading state, then the service version', async () => {
  let answer!: (value: unknown) => void;
  request.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
  render(<HomePage />);
  expect(screen.getByText('加载中…')).toBeTruthy();
  await act(async () => answer({ statusCode: 200, data: { name: '邻里', version: '9.9.9', serverTime: '' } }));
  expect(screen.getByText(/版本 9\.9\.9/)).toBeTruthy();
  expect(request.mock.calls[0][0].url).toBe('/api/app-info');
});

test('shows the server error in Chinese and recovers on retry', async () => {
  request.mockResolvedValueOnce({
    statusCode: 503,
    data: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'down', reqId: 'r1' },
  });
  render(<HomePage />);
  expect(await screen.findByText('服务暂不可用，请稍后再试')).toBeTruthy();

  request.mockResolvedValueOnce({ statusCode: 200, data: { name: '邻里', version: '1.2.3', serverTime: '' } });
  await act(async () => fireEvent.click(screen.getByText('重试')));
  expect(screen.getByText(/版本 1\.2\.3/)).toBeTruthy();
});

test('a dropped network shows a network message; pull-down-refresh reloads', async () => {
  request.mockRejectedValueOnce(new Error('request:fail timeout'));
  render(<HomePage />);
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy();

  request.mockResolvedValueOnce({ statusCode: 200, data: { name: '邻里', version: '2.0.0', serverTime: '' } });
  await act(async () => __pullDown());
  expect(screen.getByText(/版本 2\.0\.0/)).toBeTruthy();
  expect(Taro.stopPullDownRefresh).toHaveBeenCalled();
});

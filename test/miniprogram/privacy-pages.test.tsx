import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { CONSENT_KIND_LABELS, PRIVACY_POLICY_VERSION } from '../../shared/privacy';
import type { ConsentView, ExportView } from '../../shared/schemas/privacy';
import { PhotoUploader, usePhotoUploads } from '../../miniprogram/components/photo-uploader';
import { PrivacyPopup } from '../../miniprogram/components/privacy-popup';
import ConsentsPage from '../../miniprogram/packages/privacy/consents';
import DataPage, { exportPolling } from '../../miniprogram/packages/privacy/data';
import PolicyPage from '../../miniprogram/packages/privacy/policy';
import ProfilePage from '../../miniprogram/packages/privacy/profile';
import { useLocation } from '../../miniprogram/packages/report/new/use-location';
import { __resetPrivacy, ensurePrivacy, startPrivacyCheck } from '../../miniprogram/services/privacy';
import { currentSession } from '../../miniprogram/services/session';
import { formatDateTime } from '../../miniprogram/utils/format';
import { __setEnv, __storage } from './doubles/taro';
import { fail, logIn, ok, owner, resetApp, serve } from './fixtures';

/** WeChat's calls the privacy flow uses, which the shared double does not have. */
type Resolve = (answer: { event: string; buttonId?: string }) => void;
let wechatListener: ((resolve: Resolve, info: { referrer: string }) => void) | undefined;
const privacyApis = {
  onNeedPrivacyAuthorization: jest.fn((listener: typeof wechatListener) => void (wechatListener = listener)),
  getPrivacySetting: jest.fn((options: { success?: (r: object) => void }) =>
    options.success?.({ needAuthorization: true, privacyContractName: '《邻里小程序隐私保护指引》' }),
  ),
  openPrivacyContract: jest.fn((options: { success?: () => void }) => options.success?.()),
  downloadFile: jest.fn(async (_options: { url: string; header?: Record<string, string> }) => ({
    statusCode: 200,
    tempFilePath: 'wxfile://tmp/export.zip',
  })),
  shareFileMessage: jest.fn(async (_options: { filePath: string; fileName?: string }) => undefined),
};
Object.assign(Taro, privacyApis);

beforeEach(() => {
  resetApp();
  __resetPrivacy();
  wechatListener = undefined;
  Object.values(privacyApis).forEach((mock) => mock.mockClear());
  exportPolling.delayMs = 5;
});

const toasted = (title: string) =>
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: expect.stringContaining(title) }));

/** The user has not agreed on this phone yet (the double starts agreed). */
function notYetAgreed(): void {
  __storage().delete('linli.privacy');
}

describe('the privacy popup', () => {
  test('in WeChat: opened by onNeedPrivacyAuthorization with the agreement’s name; 拒绝 answers disagree', async () => {
    __setEnv('WEAPP');
    notYetAgreed();
    startPrivacyCheck();
    expect(privacyApis.onNeedPrivacyAuthorization).toHaveBeenCalledTimes(1);
    render(<PrivacyPopup />);
    expect(screen.queryByText('隐私保护提示')).toBeNull();

    const resolve = jest.fn();
    act(() => wechatListener!(resolve, { referrer: 'chooseMedia' }));
    expect(screen.getByText('隐私保护提示')).toBeTruthy();
    expect(screen.getByText('《邻里小程序隐私保护指引》')).toBeTruthy();
    expect(resolve).toHaveBeenCalledWith({ event: 'exposureAuthorization' });

    // The agreement itself (WeChat's page of it) and the in-app policy.
    fireEvent.click(screen.getByText('《邻里小程序隐私保护指引》'));
    await waitFor(() => expect(privacyApis.openPrivacyContract).toHaveBeenCalled());
    fireEvent.click(screen.getByText('查看《隐私政策》全文 ›'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/privacy/policy/index' });

    fireEvent.click(screen.getByText('拒绝'));
    expect(resolve).toHaveBeenLastCalledWith({ event: 'disagree' });
    expect(screen.queryByText('隐私保护提示')).toBeNull();
    toasted('您未同意隐私保护指引');
    expect(__storage().has('linli.privacy')).toBe(false);
  });

  test('in WeChat: 同意 answers agree with the button’s id, remembers it and records it when logged in', async () => {
    __setEnv('WEAPP');
    notYetAgreed();
    logIn(owner());
    const sent = serve({
      'POST /me/privacy-acceptance': ok({ version: PRIVACY_POLICY_VERSION, acceptedAt: '2026-12-03T10:00:00.000Z' }),
    });
    startPrivacyCheck();
    render(<PrivacyPopup />);
    const resolve = jest.fn();
    act(() => wechatListener!(resolve, { referrer: 'getLocation' }));
    fireEvent.click(screen.getByText('同意'));
    expect(resolve).toHaveBeenLastCalledWith({ buttonId: 'privacy-agree', event: 'agree' });
    expect(screen.queryByText('隐私保护提示')).toBeNull();
    expect(__storage().get('linli.privacy')).toMatchObject({ version: PRIVACY_POLICY_VERSION });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!).toMatchObject({ method: 'POST', body: { version: PRIVACY_POLICY_VERSION } });
  });

  test('agreed before logging in: the acceptance is recorded after the login', async () => {
    notYetAgreed();
    const sent = serve({
      'POST /me/privacy-acceptance': ok({ version: PRIVACY_POLICY_VERSION, acceptedAt: '2026-12-03T10:00:00.000Z' }),
    });
    startPrivacyCheck();
    render(<PrivacyPopup />);
    let agreed: boolean | undefined;
    act(() => void ensurePrivacy().then((answer) => (agreed = answer)));
    fireEvent.click(await screen.findByText('同意'));
    await waitFor(() => expect(agreed).toBe(true));
    expect(sent).toHaveLength(0);

    act(() => logIn(owner()));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.body).toEqual({ version: PRIVACY_POLICY_VERSION });
  });
});

/** A form with photos, as the pages that take them have. */
function PhotoForm() {
  const photos = usePhotoUploads({ max: 3 });
  return (
    <View>
      <PhotoUploader photos={photos} />
      <PrivacyPopup />
    </View>
  );
}

function LocationLine() {
  const { status, problem } = useLocation();
  return (
    <View>
      <View>{status}</View>
      {problem && <View>{problem}</View>}
      <PrivacyPopup />
    </View>
  );
}

describe('privacy API call sites', () => {
  test('H5: the popup shows once before the first photo; 拒绝 leaves the form as it was, with a message', async () => {
    notYetAgreed();
    render(<PhotoForm />);
    fireEvent.click(screen.getByText('拍照/相册'));
    expect(await screen.findByText('隐私保护提示')).toBeTruthy();
    expect(screen.getByText('《邻里隐私政策》')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('拒绝')));
    expect(Taro.chooseMedia).not.toHaveBeenCalled();
    toasted('您未同意隐私保护指引');
    expect(screen.getByText('拍照/相册')).toBeTruthy();

    // Asked again on the next tap; agreed, the camera opens, and it is not asked a third time.
    fireEvent.click(screen.getByText('拍照/相册'));
    await act(async () => fireEvent.click(await screen.findByText('同意')));
    await waitFor(() => expect(Taro.chooseMedia).toHaveBeenCalledTimes(1));
    expect(__storage().get('linli.privacy')).toMatchObject({ version: PRIVACY_POLICY_VERSION });
  });

  test('WeChat: chooseMedia refused by the privacy check says so instead of failing silently', async () => {
    __setEnv('WEAPP');
    (Taro.chooseMedia as jest.Mock).mockRejectedValueOnce({
      errMsg: 'chooseMedia:fail privacy permission is not authorized',
      errno: 104,
    });
    render(<PhotoForm />);
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    toasted('您未同意隐私保护指引');
    // The camera turned off in WeChat's settings.
    (Taro.chooseMedia as jest.Mock).mockRejectedValueOnce({ errMsg: 'chooseMedia:fail auth deny' });
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    toasted('您没有允许使用相机和相册');
    // Cancelling is no problem and says nothing.
    (Taro.showToast as jest.Mock).mockClear();
    (Taro.chooseMedia as jest.Mock).mockRejectedValueOnce({ errMsg: 'chooseMedia:fail cancel' });
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  test('location: refused on H5 in the popup, or by WeChat, the report goes on without it and says why', async () => {
    notYetAgreed();
    const { unmount } = render(<LocationLine />);
    await act(async () => fireEvent.click(await screen.findByText('拒绝')));
    expect(screen.getByText('unavailable')).toBeTruthy();
    expect(screen.getByText(/您未同意隐私保护指引/)).toBeTruthy();
    expect(Taro.getLocation).not.toHaveBeenCalled();
    unmount();

    __setEnv('WEAPP');
    (Taro.getLocation as jest.Mock).mockRejectedValueOnce({ errMsg: 'getLocation:fail auth deny' });
    render(<LocationLine />);
    expect(await screen.findByText('您没有允许使用位置信息，可在右上角「···」→「设置」中开启')).toBeTruthy();
  });

  test('the clipboard refused says so (csv-export, invite and organisation codes go through copyText)', async () => {
    const { copyText } = await import('../../miniprogram/utils/clipboard');
    (Taro.setClipboardData as jest.Mock).mockRejectedValueOnce({
      errMsg: 'setClipboardData:fail privacy permission is not authorized',
    });
    expect(await copyText('ABC123')).toBe(false);
    toasted('您未同意隐私保护指引');
    expect(await copyText('ABC123')).toBe(true);
    toasted('已复制');
  });
});

test('隐私政策: the sections and the version, and that the user accepted it', async () => {
  logIn(owner({ privacyAccepted: { version: PRIVACY_POLICY_VERSION, acceptedAt: '2026-12-03T02:00:00.000Z' } }));
  // Without the service the text the app carries shows.
  const sent = serve({ 'GET /privacy-policy': 'network-error' });
  render(<PolicyPage />);
  await waitFor(() => expect(sent).toHaveLength(1));
  await act(async () => undefined);
  expect(screen.getByText('邻里 隐私政策')).toBeTruthy();
  expect(screen.getByText(`版本 ${PRIVACY_POLICY_VERSION}`)).toBeTruthy();
  expect(screen.getByText('四、保存多久')).toBeTruthy();
  expect(screen.getByText(`您已于 ${formatDateTime('2026-12-03T02:00:00.000Z')} 同意本版本`)).toBeTruthy();
});

const consent = (n: number, overrides: Partial<ConsentView> = {}): ConsentView => ({
  id: `c0000000000000000000000${n}`,
  kind: 'report_name',
  itemKind: 'report',
  itemId: `r0000000000000000000000${n}`,
  title: '楼道灯坏了',
  granted: true,
  grantedAt: '2026-11-20T02:00:00.000Z',
  revokedAt: null,
  version: PRIVACY_POLICY_VERSION,
  ...overrides,
});

describe('我的授权', () => {
  test('lists each consent with what it is about and when; 撤回 asks first, then it shows 已撤回', async () => {
    logIn(owner());
    const first = consent(1);
    const second = consent(2, {
      kind: 'board_name',
      itemKind: 'board_entry',
      title: '扶老人上楼',
      granted: false,
      revokedAt: '2026-11-25T02:00:00.000Z',
    });
    const sent = serve({
      'GET /me/consents': ok({ items: [first, second] }),
      [`POST /me/consents/${first.id}/revoke`]: ok({ ...first, granted: false, revokedAt: '2026-12-03T02:00:00.000Z' }),
    });
    render(<ConsentsPage />);
    expect(await screen.findByText(CONSENT_KIND_LABELS.report_name.title)).toBeTruthy();
    expect(screen.getByText('随手拍：楼道灯坏了')).toBeTruthy();
    // Both given on the same day under this version.
    expect(
      screen.getAllByText(`授权于 ${formatDateTime(first.grantedAt)}（隐私政策版本 ${PRIVACY_POLICY_VERSION}）`),
    ).toHaveLength(2);
    expect(screen.getByText('红黑榜：扶老人上楼')).toBeTruthy();
    expect(screen.getAllByText('已撤回')).toHaveLength(1);
    expect(screen.getAllByText('撤回授权')).toHaveLength(1);

    // Cancelled in the dialog: nothing sent.
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false });
    await act(async () => fireEvent.click(screen.getByText('撤回授权')));
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await act(async () => fireEvent.click(screen.getByText('撤回授权')));
    expect(Taro.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '撤回授权' }));
    await waitFor(() => expect(screen.getAllByText('已撤回')).toHaveLength(2));
    expect(screen.queryByText('撤回授权')).toBeNull();
    expect(screen.getByText(`撤回于 ${formatDateTime('2026-12-03T02:00:00.000Z')}`)).toBeTruthy();
    toasted('已撤回');
  });

  test('none given: says where consents come from', async () => {
    logIn(owner());
    serve({ 'GET /me/consents': ok({ items: [] }) });
    render(<ConsentsPage />);
    expect(await screen.findByText(/您还没有单独授权过任何事项/)).toBeTruthy();
  });
});

describe('我的数据', () => {
  const pendingExport: ExportView = {
    id: 'x00000000000000000000001',
    state: 'pending',
    readyAt: null,
    expiresAt: null,
  };
  const readyExport: ExportView = {
    ...pendingExport,
    state: 'ready',
    // Relative to now: a fixed date passes, and the page forgets an expired export.
    readyAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
  };

  test('导出我的数据: follows the export while it is made, then downloads it and sends it to a chat (WeChat)', async () => {
    __setEnv('WEAPP');
    logIn(owner());
    let polls = 0;
    const sent = serve({
      'POST /me/exports': ok(pendingExport, 202),
      [`GET /me/exports/${pendingExport.id}`]: () => (++polls < 3 ? ok(pendingExport) : ok(readyExport)),
    });
    render(<DataPage />);
    await act(async () => fireEvent.click(exportButton()));
    expect(screen.getByText('正在生成您的数据…')).toBeTruthy();
    expect(await screen.findByText('已生成', {}, { timeout: 2000 })).toBeTruthy();
    expect(polls).toBe(3);
    expect(screen.getByText(`${formatDateTime(readyExport.expiresAt!)} 前可下载`)).toBeTruthy();

    await act(async () => fireEvent.click(screen.getByText('下载压缩包')));
    expect(privacyApis.downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({
        url: `/api/me/exports/${pendingExport.id}/download`,
        header: { Authorization: `Bearer ${currentSession()!.accessToken}` },
      }),
    );
    await act(async () => fireEvent.click(screen.getByText('发送到聊天')));
    expect(privacyApis.shareFileMessage).toHaveBeenCalledWith({
      filePath: 'wxfile://tmp/export.zip',
      fileName: 'linli-我的数据.zip',
    });
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('back on the page, the export asked for earlier shows again (for the same account)', async () => {
    logIn(owner());
    serve({
      'POST /me/exports': ok(pendingExport),
      [`GET /me/exports/${pendingExport.id}`]: ok(readyExport),
    });
    const first = render(<DataPage />);
    await act(async () => fireEvent.click(exportButton()));
    expect(await first.findByText('已生成')).toBeTruthy();
    first.unmount();

    render(<DataPage />);
    expect(await screen.findByText('已生成')).toBeTruthy();
    expect(screen.getByText('下载压缩包（.zip）')).toBeTruthy();
  });

  test('an export that failed says so and can be asked for again', async () => {
    logIn(owner());
    serve({
      'POST /me/exports': ok(pendingExport, 202),
      [`GET /me/exports/${pendingExport.id}`]: ok({ ...pendingExport, state: 'failed' }),
    });
    render(<DataPage />);
    await act(async () => fireEvent.click(exportButton()));
    expect(await screen.findByText('生成失败，请重新导出')).toBeTruthy();
    expect(screen.getByText('重新导出')).toBeTruthy();
  });

  const exportButton = () => screen.getAllByText('导出我的数据').find((el) => el.closest('.at-button'))!;
  const deleteButton = () => screen.getAllByText('注销账号').find((el) => el.closest('.at-button'))!;

  test('注销账号 needs the typed confirmation, then logs out here and returns to 首页', async () => {
    logIn(owner());
    let answer = fail(503, 'SERVICE_UNAVAILABLE');
    const sent = serve({ 'POST /me/deletion': () => answer });
    render(<DataPage />);
    expect(screen.getByText(/显示为“已注销用户”/)).toBeTruthy();
    const input = () => screen.getByPlaceholderText('注销账号') as HTMLInputElement;

    // Not typed, or typed wrong: the button stays off and nothing is sent.
    expect(deleteButton().closest('.at-button')!.className).toContain('at-button--disabled');
    fireEvent.change(input(), { target: { value: '注销' } });
    await act(async () => fireEvent.click(deleteButton()));
    expect(sent).toHaveLength(0);

    // Refused: the session stays and the page says why.
    fireEvent.change(input(), { target: { value: '注销账号' } });
    expect(deleteButton().closest('.at-button')!.className).not.toContain('at-button--disabled');
    await act(async () => fireEvent.click(deleteButton()));
    expect(await screen.findByText('服务暂不可用，请稍后再试')).toBeTruthy();
    expect(currentSession()).not.toBeNull();

    answer = ok({ deleted: true });
    await act(async () => fireEvent.click(deleteButton()));
    await waitFor(() => expect(currentSession()).toBeNull());
    expect(sent.at(-1)!.body).toEqual({ confirm: '注销账号' });
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/index/index' });
    toasted('账号已注销');
  });
});

test('我的资料: the 称呼 and phone corrected, only what changed sent; a bad number or a refusal keeps the form', async () => {
  logIn(owner());
  let answer = fail(422, 'CONTENT_RISKY');
  const sent = serve({ 'PATCH /me': () => answer });
  render(<ProfilePage />);
  const name = screen.getByPlaceholderText('您的称呼') as HTMLInputElement;
  expect(name.value).toBe('王阿姨');
  const phone = screen.getByPlaceholderText(/手机号/) as HTMLInputElement;

  fireEvent.click(screen.getByText('保存'));
  expect(screen.getByRole('alert').textContent).toBe('没有需要保存的修改');
  fireEvent.change(phone, { target: { value: '1380013' } });
  fireEvent.click(screen.getByText('保存'));
  expect(screen.getByRole('alert').textContent).toBe('请填写正确的手机号（11 位）');
  expect(sent).toHaveLength(0);

  fireEvent.change(name, { target: { value: '王秀英' } });
  fireEvent.change(phone, { target: { value: '13800138000' } });
  await act(async () => fireEvent.click(screen.getByText('保存')));
  expect(await screen.findByText('内容未通过安全检查，请修改后再提交')).toBeTruthy();
  expect(name.value).toBe('王秀英');

  answer = ok(owner({ displayName: '王秀英', phoneMasked: '138****8000' }));
  await act(async () => fireEvent.click(screen.getByText('保存')));
  expect(sent.at(-1)!.body).toEqual({ displayName: '王秀英', phone: '13800138000' });
  await waitFor(() => expect(currentSession()!.me.phoneMasked).toBe('138****8000'));
  toasted('已保存');
  expect(Taro.navigateBack).toHaveBeenCalled();
});

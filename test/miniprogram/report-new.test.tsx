import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import NewReportPage from '../../miniprogram/packages/report/new';
import { findDraft, saveDraft } from '../../miniprogram/services/outbox';
import { __setEnv, __setRouterParams } from './doubles/taro';
import { building, deferred, fail, ids, logIn, newcomer, ok, serve, type SentRequest } from './fixtures';
import { categories, owner, photo, report, resetReportApp, serveUploads, stored, unitView } from './report-fixtures';

beforeEach(resetReportApp);
afterEach(() => jest.useRealTimers());

const filed = report(1, { reporter: { displayName: '王阿姨', isMe: true } });

function serveForm(extra: Parameters<typeof serve>[0] = {}): SentRequest[] {
  return serve({
    'GET /report-categories': ok(categories),
    [`GET /nodes/${ids.unit}`]: ok(unitView),
    'POST /reports': ok(filed, 201),
    ...extra,
  });
}

async function openForm(): Promise<void> {
  render(<NewReportPage />);
  await screen.findByText('安全隐患');
}

async function addPhoto(): Promise<void> {
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
}

function describe(text: string): void {
  fireEvent.change(screen.getByPlaceholderText(/说说看到了什么/), { target: { value: text } });
}

async function submit(): Promise<void> {
  await act(async () => fireEvent.click(screen.getByText('提交')));
}

const problem = () => screen.getByRole('alert').textContent;
const posted = (sent: SentRequest[]) => sent.filter((r) => r.method === 'POST' && r.path === '/reports');

function switchNamed(title: string): HTMLInputElement {
  return screen.getByText(title).closest('.at-switch')!.querySelector('input')!;
}

test('says what is missing, one thing at a time, before sending anything', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  const sent = serveForm();
  await openForm();

  await submit();
  expect(problem()).toBe('请至少拍一张照片');
  await addPhoto();
  await submit();
  expect(problem()).toBe('请选择问题分类');

  fireEvent.click(screen.getByText('环境卫生'));
  expect(screen.getByText('如垃圾、楼道杂物、狗粪。8小时内受理，3天内办结')).toBeTruthy();
  await submit();
  expect(problem()).toBe('请用 2–500 个字描述问题');
  describe(' 脏 ');
  await submit();
  expect(problem()).toBe('请用 2–500 个字描述问题');
  expect(posted(sent)).toHaveLength(0);
});

test('files the report: photo, category, text, my unit, where I am; then opens it', async () => {
  logIn(owner());
  (Taro.getLocation as jest.Mock).mockResolvedValue({ longitude: 116.3972, latitude: 39.9091 });
  serveUploads(() => stored(1), [50]);
  const sent = serveForm({ 'GET /reports/nearby': ok([]) });
  await openForm();
  expect(await screen.findByText('已获取当前位置，用于查找附近的相同问题')).toBeTruthy();
  expect(screen.getByText('1栋1单元（本单元）').className).toContain('at-tag--active');

  await addPhoto();
  fireEvent.click(screen.getByText('环境卫生'));
  describe('  1单元楼道堆放了很多纸箱杂物，影响消防通行 ');
  await submit();

  expect(posted(sent)).toHaveLength(1);
  const body = posted(sent)[0]!.body as Record<string, unknown>;
  expect(body).toEqual({
    category: 'sanitation',
    description: '1单元楼道堆放了很多纸箱杂物，影响消防通行',
    nodeId: ids.unit,
    location: { longitude: 116.3972, latitude: 39.9091 },
    showName: false,
    private: false,
    mediaIds: [photo(1).id],
    idempotencyKey: expect.stringMatching(/^[\w-]{8,64}$/),
  });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交' }));
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/packages/report/detail/index?id=${filed.id}` });
  expect(Taro.getStorageSync('linli.report-outbox')).toEqual([]);
});

test('a common area, my name shown and a private report are sent as chosen; without a location it still goes', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  const sent = serveForm();
  await openForm();
  expect(await screen.findByText('未获取到位置，不影响提交')).toBeTruthy();
  expect(screen.getByText('阳光花园 小区公共区域')).toBeTruthy();

  await addPhoto();
  fireEvent.click(screen.getByText('1栋 楼栋公共区域'));
  fireEvent.click(screen.getByText('噪音扰民'));
  describe('楼道里有人深夜装修');
  fireEvent.click(switchNamed('向邻居显示我的名字（打码）'));
  expect(screen.getByText(/或您打码后的名字/)).toBeTruthy();
  fireEvent.click(switchNamed('仅处理人员可见'));
  await submit();

  expect(posted(sent)[0]!.body).toEqual(
    expect.objectContaining({ category: 'noise', nodeId: building.id, showName: true, private: true }),
  );
  expect(posted(sent)[0]!.body).not.toHaveProperty('location');
});

test('a neighbour’s report of the same problem nearby can be joined with 我也遇到 instead', async () => {
  logIn(owner());
  (Taro.getLocation as jest.Mock).mockResolvedValue({ longitude: 116.3972, latitude: 39.9091 });
  const theirs = report(2, { description: '楼道纸箱堆到二楼了', followerCount: 2 });
  const sent = serveForm({
    'GET /reports/nearby': ok([{ report: theirs, distanceMeters: 12 }]),
    [`POST /reports/${theirs.id}/follow`]: ok({ ...theirs, following: true, followerCount: 3 }),
  });
  await openForm();
  fireEvent.click(screen.getByText('环境卫生'));
  expect(await screen.findByText('附近已有 1 条相同问题')).toBeTruthy();
  expect(screen.getByText('约 12 米')).toBeTruthy();
  expect(sent.find((r) => r.path === '/reports/nearby')!.url).toBe(
    '/api/reports/nearby?category=sanitation&longitude=116.3972&latitude=39.9091',
  );

  await act(async () => fireEvent.click(screen.getByText('我也遇到')));
  expect(screen.getByText('已关注')).toBeTruthy();
  expect(screen.getByText('3 人也遇到')).toBeTruthy();
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已关注' }));
  expect(posted(sent)).toHaveLength(0);
});

test('refused by the service, the form keeps everything and sends again with the same key', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  let answer = fail(422, 'CONTENT_RISKY');
  const sent = serveForm({ 'POST /reports': () => answer });
  await openForm();
  await addPhoto();
  fireEvent.click(screen.getByText('环境卫生'));
  describe('楼道堆满了杂物');
  await submit();

  expect(problem()).toBe('内容未通过安全检查，请修改后再提交');
  expect((screen.getByPlaceholderText(/说说看到了什么/) as HTMLTextAreaElement).value).toBe('楼道堆满了杂物');
  expect(screen.getByText('提交')).toBeTruthy();
  // Not kept for sending later: it has to change first.
  expect(Taro.getStorageSync('linli.report-outbox')).toEqual([]);

  answer = ok(filed, 201);
  await submit();
  const keys = posted(sent).map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);
  expect(keys).toHaveLength(2);
  expect(keys[0]).toBe(keys[1]);
  expect(Taro.redirectTo).toHaveBeenCalled();
});

test('the button shows the upload while photos go up and is disabled while the report is sent', async () => {
  logIn(owner());
  const upload = deferred();
  serveUploads(() => upload.route().then(() => stored(1)), [40]);
  const answer = deferred();
  serveForm({ 'POST /reports': answer.route });
  await openForm();
  await addPhoto();
  expect(screen.getByText('图片上传中…').closest('.at-button')!.className).toContain('at-button--disabled');
  expect(screen.getByText('40%')).toBeTruthy();
  await act(async () => upload.release(ok()));

  fireEvent.click(screen.getByText('环境卫生'));
  describe('门禁坏了');
  await submit();
  expect(screen.getByText('提交中…').closest('.at-button')!.className).toContain('at-button--disabled');
  expect(screen.queryByLabelText('删除照片')).toBeNull();
  await act(async () => answer.release(ok(filed, 201)));
  expect(Taro.redirectTo).toHaveBeenCalled();
});

test('without signal the report is kept in 待发送 and the page goes back', async () => {
  logIn(owner());
  serveUploads(() => 'network-error');
  jest.useFakeTimers();
  const sent = serveForm();
  render(<NewReportPage />);
  await act(async () => jest.advanceTimersByTimeAsync(10));
  await addPhoto();
  await act(async () => jest.advanceTimersByTimeAsync(10_000));
  expect(screen.getByText('上传失败')).toBeTruthy();

  fireEvent.click(screen.getByText('环境卫生'));
  describe('路灯不亮了');
  await submit();
  await act(async () => jest.advanceTimersByTimeAsync(10));
  expect(Taro.showToast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '暂无网络，已存入待发送，联网后自动提交' }),
  );
  expect(Taro.navigateBack).toHaveBeenCalled();
  const [draft] = Taro.getStorageSync('linli.report-outbox') as { body: { description: string }; photos: unknown[] }[];
  expect(draft!.body.description).toBe('路灯不亮了');
  expect(draft!.photos).toEqual([{ key: expect.any(String), path: 'wxfile://tmp/photo-1.jpg' }]);
  expect(posted(sent)).toHaveLength(0);
});

test('a draft opened from 待发送 comes back as it was typed and is sent under its own key', async () => {
  logIn(owner());
  saveDraft({
    key: 'report-key-0042',
    userId: owner().id,
    body: { category: 'facility', description: '电梯按钮坏了', nodeId: building.id, showName: false, private: false },
    photos: [{ key: 'photo-key-0042', path: 'wxfile://tmp/elevator', mediaId: photo(4).id }],
    categoryName: '设施损坏',
    placeName: '1栋 楼栋公共区域',
    savedAt: new Date().toISOString(),
    refused: '内容未通过安全检查，请修改后再提交',
  });
  __setRouterParams({ draft: 'report-key-0042' });
  const sent = serveForm();
  await openForm();
  expect(Taro.setNavigationBarTitle).toHaveBeenCalledWith({ title: '修改待发送' });
  expect((screen.getByPlaceholderText(/说说看到了什么/) as HTMLTextAreaElement).value).toBe('电梯按钮坏了');
  expect(screen.getByText('设施损坏').closest('[role="radio"]')!.getAttribute('aria-checked')).toBe('true');
  expect(screen.getByText('1栋 楼栋公共区域').className).toContain('at-tag--active');

  describe('3号电梯按钮失灵');
  await submit();
  expect(posted(sent)[0]!.body).toEqual(
    expect.objectContaining({
      idempotencyKey: 'report-key-0042',
      description: '3号电梯按钮失灵',
      mediaIds: [photo(4).id],
    }),
  );
  expect(findDraft('report-key-0042')).toBeUndefined();
});

test('in WeChat the 提交 tap asks to be told of progress by message', async () => {
  __setEnv('WEAPP');
  logIn(owner());
  serveUploads(() => stored(1));
  const sent = serveForm({
    'GET /subscriptions/templates': ok({ 'report.updated': 'tmpl-report' }),
    'POST /subscriptions': ok({ remaining: { 'report.updated': 1 } }),
  });
  await openForm();
  await addPhoto();
  fireEvent.click(screen.getByText('环境卫生'));
  describe('楼道堆满了杂物');
  await submit();
  expect(Taro.requestSubscribeMessage).toHaveBeenCalledWith({ tmplIds: ['tmpl-report'] });
  expect(sent.find((r) => r.path === '/subscriptions' && r.method === 'POST')!.body).toEqual({
    accepted: ['report.updated'],
  });
});

test('someone without a household is told to join first', async () => {
  logIn(newcomer());
  serveForm();
  render(<NewReportPage />);
  expect(screen.getByText('加入社区（绑定您的房屋）后才能随手拍')).toBeTruthy();
  expect(screen.queryByText('提交')).toBeNull();
});

const formKey = () => `linli.report-form.${owner().id}`;
const textarea = () => screen.getByPlaceholderText(/说说看到了什么/) as HTMLTextAreaElement;

async function writeHalf(): Promise<void> {
  await openForm();
  await addPhoto();
  fireEvent.click(screen.getByText('环境卫生'));
  describe('楼道里堆着纸箱');
}

test('a half-written report is kept when the user goes back, and restored with a note when they return; 清空 starts afresh', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  serveForm();
  await writeHalf();
  expect(screen.queryByText('已恢复上次未提交的内容')).toBeNull();
  cleanup();

  await openForm();
  expect(screen.getByText('已恢复上次未提交的内容')).toBeTruthy();
  expect(textarea().value).toBe('楼道里堆着纸箱');
  expect(screen.getByText('环境卫生').closest('.category-grid__tile')!.className).toContain('--selected');
  // The uploaded photo is shown from the service (a browser's blob: URL would not outlive a reload).
  expect(document.querySelector('.photo-uploader__image')!.getAttribute('src')).toBe(
    `/api/media/${photo(1).id}/thumb?sig=s`,
  );

  fireEvent.click(screen.getByText('清空'));
  await screen.findByText('安全隐患');
  expect(screen.queryByText('已恢复上次未提交的内容')).toBeNull();
  expect(textarea().value).toBe('');
  expect(document.querySelector('.photo-uploader__image')).toBeNull();
  expect(Taro.getStorageSync(formKey())).toBe('');
});

test('a half-written report is forgotten once sent', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  serveForm();
  await writeHalf();
  expect(Taro.getStorageSync(formKey())).toMatchObject({ body: { description: '楼道里堆着纸箱' } });
  await submit();
  expect(Taro.redirectTo).toHaveBeenCalled();
  expect(Taro.getStorageSync(formKey())).toBe('');
});

test('H5: a reload or closing the tab asks first while the form holds something', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  serveForm();
  await openForm();
  const unload = () => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };
  expect(unload()).toBe(false);
  describe('门禁坏了');
  expect(unload()).toBe(true);
  cleanup();
  expect(unload()).toBe(false);
});

test('WeChat: going back asks 确认离开？ while the form holds something', async () => {
  __setEnv('WEAPP');
  logIn(owner());
  serveForm();
  await openForm();
  expect(Taro.enableAlertBeforeUnload).not.toHaveBeenCalled();
  describe('门禁坏了');
  expect(Taro.enableAlertBeforeUnload).toHaveBeenLastCalledWith({ message: expect.stringContaining('确认离开？') });
  describe('');
  expect(Taro.disableAlertBeforeUnload).toHaveBeenCalled();
});

test('a report from 待发送 being changed is not kept a second time', async () => {
  logIn(owner());
  saveDraft({
    key: 'draft-key-0001',
    userId: owner().id,
    body: { category: 'sanitation', description: '楼道堆满纸箱', nodeId: ids.unit, showName: false, private: false },
    photos: [{ key: 'photo-key-0001', path: '/p.jpg', mediaId: photo(1).id }],
    categoryName: '环境卫生',
    placeName: '1栋1单元（本单元）',
    savedAt: '2026-12-01T08:00:00.000Z',
  });
  __setRouterParams({ draft: 'draft-key-0001' });
  serveForm();
  await openForm();
  describe('楼道堆满纸箱和旧家具');
  expect(Taro.getStorageSync(formKey())).toBe('');
  expect(screen.queryByText('已恢复上次未提交的内容')).toBeNull();
});

test('pasted text over 500 characters is cut there, and a note says so', async () => {
  logIn(owner());
  serveForm();
  await openForm();
  describe('长'.repeat(620));
  expect((screen.getByPlaceholderText(/说说看到了什么/) as HTMLTextAreaElement).value).toHaveLength(500);
  expect(screen.getByText('已截断至 500 字')).toBeTruthy();
  expect(screen.getByText('500/500')).toBeTruthy();
  describe('长'.repeat(20));
  expect(screen.queryByText('已截断至 500 字')).toBeNull();
});

test('what is wrong under 提交 goes away once it is fixed', async () => {
  logIn(owner());
  serveUploads(() => stored(1));
  serveForm({ 'POST /reports': fail(422, 'CONTENT_RISKY') });
  await openForm();
  await addPhoto();
  fireEvent.click(screen.getByText('环境卫生'));
  describe('脏');
  await submit();
  expect(problem()).toBe('请用 2–500 个字描述问题');
  describe('楼道很脏');
  expect(screen.queryByRole('alert')).toBeNull();

  // The service's refusal stays until the user changes something.
  await submit();
  expect(problem()).toBe('内容未通过安全检查，请修改后再提交');
  describe('楼道很脏，请清扫');
  expect(screen.queryByRole('alert')).toBeNull();
});

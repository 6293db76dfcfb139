import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ManageCategoriesPage from '../../miniprogram/packages/manage/categories';
import ManageImportPage from '../../miniprogram/packages/manage/import';
import ManageIndexPage from '../../miniprogram/packages/manage/index';
import ManageKeysPage from '../../miniprogram/packages/manage/keys';
import type { ImportPreview } from '../../shared/schemas/manage';
import { captain, fail, ids, logIn, ok, resetApp, serve, staff } from './fixtures';
import { button, queryButton } from './forms';
import { categories } from './report-fixtures';

beforeEach(resetApp);

const input = (name: string) => document.getElementById(name) as HTMLInputElement | null;
const type = (name: string, value: string) => fireEvent.change(input(name)!, { target: { value } });

test('管理 lists the console pages staff may use; a captain is told it is not theirs', async () => {
  logIn(staff());
  const { unmount } = render(<ManageIndexPage />);
  for (const title of ['地点与角色', '网格与网格员', '问题分类', '批量导入', '开放接口', '内容审核']) {
    expect(screen.getByText(title)).toBeTruthy();
  }
  fireEvent.click(screen.getByText('开放接口'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/manage/keys/index' });
  unmount();

  logIn(captain());
  render(<ManageIndexPage />);
  expect(screen.getByText('管理仅对社区和街道工作人员开放')).toBeTruthy();
});

test('categories: a new one with its handler, priority, deadlines, radius and privacy; a taken code says so', async () => {
  logIn(staff());
  let taken = true;
  const sent = serve({
    'GET /report-categories': ok(categories),
    [`POST /communities/${ids.community}/report-categories`]: (req) =>
      taken
        ? fail(409, 'CATEGORY_EXISTS')
        : ok({ icon: 'tag', group: '其他', keywords: [], ...(req.body as object) }, 201),
  });
  render(<ManageCategoriesPage />);
  fireEvent.click(await screen.findByText('新增分类'));
  type('code', 'pets');
  type('name', '宠物管理');
  fireEvent.click(screen.getByText('物业'));
  fireEvent.click(screen.getByText('较急'));
  type('acceptHours', '0.5');
  type('resolveHours', '24');
  type('radius', '80');
  fireEvent.click(screen.getByText('默认仅处理人员可见').closest('.at-switch')!.querySelector('input')!);

  await act(async () => fireEvent.click(button('添加分类')));
  expect(screen.getByRole('alert').textContent).toBe('已有相同代码的分类，请换一个代码');
  expect(input('name')!.value).toBe('宠物管理');

  taken = false;
  await act(async () => fireEvent.click(button('添加分类')));
  expect(sent.at(-1)!.body).toEqual({
    code: 'pets',
    name: '宠物管理',
    handler: 'property',
    priority: 'high',
    acceptWithinMinutes: 30,
    resolveWithinMinutes: 1440,
    duplicateRadiusMeters: 80,
    privateByDefault: true,
  });
  // In the list now, and open for editing (no code field any more).
  expect(screen.getByText('宠物管理（默认不公开）')).toBeTruthy();
  expect(input('code')).toBeNull();
});

test('categories: editing one sends its changes; a deadline out of bounds is refused before sending', async () => {
  logIn(staff());
  const sent = serve({
    'GET /report-categories': ok(categories),
    [`PATCH /communities/${ids.community}/report-categories/safety`]: (req) =>
      ok({ ...categories[0]!, ...(req.body as object) }),
  });
  render(<ManageCategoriesPage />);
  fireEvent.click(await screen.findByText('安全隐患'));
  type('acceptHours', '1000');
  await act(async () => fireEvent.click(button('保存')));
  expect(screen.getByRole('alert').textContent).toBe('受理时限为 0.1–720 小时');
  expect(sent.filter((r) => r.method === 'PATCH')).toHaveLength(0);

  type('acceptHours', '2');
  await act(async () => fireEvent.click(button('保存')));
  expect(sent.at(-1)!.body).toMatchObject({ acceptWithinMinutes: 120, handler: 'grid_worker' });
  expect(screen.getByText(/受理 2 小时/)).toBeTruthy();
});

test('import: a preview lists each bad row by its line; fixed, it imports and shows what was created', async () => {
  logIn(staff());
  const bad: ImportPreview = {
    rowCount: 2,
    rows: [
      {
        line: 'line 2',
        estate: '新苑',
        building: '1栋',
        unit: '1单元',
        room: '101',
        floor: 1,
        areaHundredths: 8050,
      },
    ],
    validCount: 1,
    problems: [{ path: 'line 3', message: '楼层"x"无效' }],
    places: { estates: 1, buildings: 1, units: 1 },
  };
  const good: ImportPreview = { ...bad, rowCount: 2, validCount: 2, problems: [] };
  const sent = serve({
    [`POST /nodes/${ids.community}/import/preview`]: (req) => ok(String(req.body).includes(',x,') ? bad : good),
    [`POST /nodes/${ids.community}/import`]: ok({
      created: { estates: 1, buildings: 1, units: 1, households: 2, grids: 0 },
      updatedHouseholds: 0,
      unchangedHouseholds: 0,
    }),
  });
  render(<ManageImportPage />);
  await screen.findByText('导入到 幸福里社区');
  const textarea = document.querySelector('textarea')!;
  const csv = '小区,楼栋,单元,房号,楼层,面积\n新苑,1栋,1单元,101,1,80.5\n新苑,1栋,1单元,102,x,80\n';
  fireEvent.change(textarea, { target: { value: csv } });
  await act(async () => fireEvent.click(button('预览')));
  expect(screen.getByText('第3行：楼层"x"无效')).toBeTruthy();
  expect(screen.getByText(/第2行 新苑 1栋 1单元 101室/)).toBeTruthy();
  expect(button('请先改正有误的行').closest('.at-button')!.className).toContain('at-button--disabled');
  // The CSV goes as it was typed (a JSON string: the service reads a string body as CSV).
  expect(sent[0]!.body).toBe(JSON.stringify(csv));

  fireEvent.change(textarea, { target: { value: csv.replace(',x,', ',1,') } });
  // An edit drops the preview: it described the text before.
  expect(queryButton('请先改正有误的行')).toBeNull();
  await act(async () => fireEvent.click(button('预览')));
  await act(async () => fireEvent.click(button('确认导入 2 户')));
  expect(screen.getByText('新建 1 个小区、1 栋楼、1 个单元、2 户')).toBeTruthy();
  fireEvent.click(button('查看地点'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/manage/places/index?community=${ids.community}` });
});

test('import: a CSV file chosen in the browser fills the text, an Excel (GBK) file too', async () => {
  logIn(staff());
  serve({});
  // The file as Excel saves it in China: GBK, not UTF-8.
  const gbk = Uint8Array.from(
    'd0a1c7f82cc2a5b6b02cb5a5d4aa2cb7bfbac52cc2a5b2e32cc3e6bbfd0ad0c2d4b72c31b6b02c31b5a5d4aa2c3130312c312c38300a'
      .match(/../g)!
      .map((byte) => parseInt(byte, 16)),
  );
  const utf8 = new Blob(['estate,building,unit,room,floor,area\n']);
  let picked: Blob = new Blob([gbk]);
  const click = jest.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (this: HTMLInputElement) {
    Object.defineProperty(this, 'files', { value: [picked] });
    this.onchange!(new Event('change'));
  });
  render(<ManageImportPage />);
  await screen.findByText('导入到 幸福里社区');
  await act(async () => fireEvent.click(button('选择 CSV 文件')));
  await waitFor(() =>
    expect(document.querySelector('textarea')!.value).toBe('小区,楼栋,单元,房号,楼层,面积\n新苑,1栋,1单元,101,1,80\n'),
  );
  picked = utf8;
  await act(async () => fireEvent.click(button('选择 CSV 文件')));
  await waitFor(() => expect(document.querySelector('textarea')!.value).toBe('estate,building,unit,room,floor,area\n'));
  click.mockRestore();
});

test('keys: the jurisdiction id to copy; a key issued is shown once with 复制; revoking asks first', async () => {
  logIn(staff());
  let keys = [
    {
      id: '780000000000000000000001',
      name: '旧热线',
      createdAt: '2026-01-01T00:00:00.000Z',
      lastUsedAt: '2026-02-01T08:00:00.000Z' as string | null,
      revokedAt: null as string | null,
    },
  ];
  serve({
    'GET /open311/keys': () => ok(keys),
    'POST /open311/keys': (req) => {
      const { name } = req.body as { name: string };
      keys = [
        {
          id: '780000000000000000000002',
          name,
          createdAt: new Date().toISOString(),
          lastUsedAt: null as string | null,
          revokedAt: null,
        },
        ...keys,
      ];
      return ok({ id: '780000000000000000000002', name, key: 'secret-key-shown-once' }, 201);
    },
    'DELETE /open311/keys/780000000000000000000001': () => {
      keys = keys.map((k) => (k.id === '780000000000000000000001' ? { ...k, revokedAt: new Date().toISOString() } : k));
      return { status: 204 };
    },
  });
  render(<ManageKeysPage />);
  expect(await screen.findByText(ids.community)).toBeTruthy();
  expect(await screen.findByText(/最近使用/)).toBeTruthy();

  type('key-name', '12345市民热线');
  await act(async () => fireEvent.click(button('签发密钥')));
  expect(screen.getByText('secret-key-shown-once')).toBeTruthy();
  await act(async () => fireEvent.click(button('复制密钥')));
  expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'secret-key-shown-once' });
  expect(await screen.findByText('从未使用', { exact: false })).toBeTruthy();

  await act(async () => fireEvent.click(screen.getAllByText('撤销')[1]!));
  expect(Taro.showModal).toHaveBeenCalled();
  expect(await screen.findByText('旧热线（已撤销）')).toBeTruthy();
});

import { readFile } from 'node:fs/promises';
import { logInAsDemo, openEntry, setUpPhones } from './pages';
import { PRIVACY_POLICY_VERSION } from '../../shared/privacy';

const phones = setUpPhones();

test('H5: the privacy popup before the first use of location and photos; 拒绝 keeps the form usable, 同意 opens the camera', async () => {
  // A phone whose user has not agreed yet.
  const { page, problems } = await phones.open({ privacyAgreed: false });
  await logInAsDemo(page, '王阿姨');
  await page.getByText('随手拍', { exact: true }).last().click();
  await page.locator('.at-button', { hasText: '拍一拍，立即报' }).click();

  // The report form asks for the location as it opens: the popup comes first.
  const popup = page.locator('.privacy-popup');
  await popup.getByText('隐私保护提示').waitFor();
  await popup.getByText('《邻里隐私政策》').waitFor();
  await popup.locator('.privacy-popup__button', { hasText: '拒绝' }).click();
  await popup.waitFor({ state: 'detached' });
  await page.getByText('未获取到位置，不影响提交').waitFor();
  await page.locator('.report-new__location-problem', { hasText: '您未同意隐私保护指引' }).waitFor();

  // Still the form: a category can be chosen; a photo asks again, and agreed, the camera/album opens.
  await page.locator('.category-grid__tile', { hasText: '环境卫生' }).click();
  await page.locator('.photo-uploader__add:visible').click();
  await popup.getByText('隐私保护提示').waitFor();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    popup.locator('.privacy-popup__button--agree').click(),
  ]);
  expect(chooser.isMultiple()).toBe(true);
  await popup.waitFor({ state: 'detached' });
  const stored = (await page.evaluate("localStorage.getItem('linli.privacy')")) as string | null;
  expect(JSON.parse(stored!).data.version).toBe(PRIVACY_POLICY_VERSION);
  // Agreed while logged in: the acceptance went to the service with the version.
  const owner = await phones.app().models.User.findOne({ displayName: '王阿姨' }).lean();
  const accepted = () =>
    phones.app().models.PolicyAcceptance.countDocuments({ userId: owner!._id, version: PRIVACY_POLICY_VERSION });
  for (let i = 0; i < 50 && (await accepted()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await accepted()).toBe(1);
  expect(problems).toEqual([]);
});

test('隐私政策 from 我的, with its version', async () => {
  const { page } = await phones.logIn('王阿姨');
  await openEntry(page, '隐私政策');
  await page.getByText(`版本 ${PRIVACY_POLICY_VERSION}`).waitFor();
  await page.getByText('五、还有谁会收到您的信息').waitFor();
});

test('我的数据: an export is made, followed and downloaded as a zip; 注销账号 after typing it logs out and opens 首页', async () => {
  const { page, problems } = await phones.logIn('王阿姨');
  await openEntry(page, '我的数据');
  await page.locator('.at-button:visible', { hasText: '导出我的数据' }).click();
  await page.getByText('正在生成您的数据…').waitFor();
  // The job runner builds it (run by hand in tests).
  await phones.app().jobs.runDue();
  await page.getByText('已生成').waitFor({ timeout: 10_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.at-button:visible', { hasText: '下载压缩包' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('linli-我的数据.zip');
  const zip = await readFile((await download.path())!);
  expect(zip.subarray(0, 2).toString()).toBe('PK');

  const close = page.locator('.privacy__danger');
  await page.locator('.privacy__confirm input').fill('注销');
  expect(await close.getAttribute('class')).toContain('at-button--disabled');
  await page.locator('.privacy__confirm input').fill('注销账号');
  await close.click();
  await page.getByText('登录', { exact: true }).first().waitFor();
  expect(page.url()).toContain('/pages/index/index');
  expect(problems).toEqual([]);
});

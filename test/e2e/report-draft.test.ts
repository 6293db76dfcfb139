import { button, cameraPhoto, visible } from './flows';
import { setUpPhones } from './pages';

const phones = setUpPhones();

test('a half-written report survives a reload and is restored with a note; sent, the next form starts empty', async () => {
  const { page, problems } = await phones.logIn('王阿姨');
  // The browser's own 离开此网站？ on a reload of a form with changes: this user confirms it.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByText('随手拍', { exact: true }).last().click();
  await button(page, '拍一拍，立即报').click();
  await visible(page, '.category-grid__tile').filter({ hasText: '安全隐患' }).waitFor();

  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    visible(page, '.photo-uploader__add').click(),
  ]);
  await chooser.setFiles({
    name: 'lamp.jpg',
    mimeType: 'image/jpeg',
    buffer: await cameraPhoto({ r: 60, g: 60, b: 90 }),
  });
  await visible(page, '.photo-uploader__tile--done').waitFor();
  await visible(page, '.category-grid__tile').filter({ hasText: '设施损坏' }).click();
  const text = '2单元门口路灯不亮，晚上很黑';
  await visible(page, '.report-new textarea').fill(text);

  await page.reload();
  await page.getByText('已恢复上次未提交的内容').waitFor();
  expect(await visible(page, '.report-new textarea').inputValue()).toBe(text);
  expect(await visible(page, '.category-grid__tile--selected').textContent()).toContain('设施损坏');
  // The photo reached the service before the reload: it is shown from there, ready to send.
  await visible(page, '.photo-uploader__tile--done').waitFor();

  await button(page, '提交').click();
  await visible(page, '.report-detail').waitFor();
  await visible(page, '.report-detail').getByText(text).waitFor();

  await page.goBack();
  await page.getByText('随手拍', { exact: true }).last().click();
  await button(page, '拍一拍，立即报').click();
  await visible(page, '.category-grid__tile').filter({ hasText: '安全隐患' }).waitFor();
  expect(await page.getByText('已恢复上次未提交的内容').count()).toBe(0);
  expect(await visible(page, '.report-new textarea').inputValue()).toBe('');
  expect(problems).toEqual([]);
});

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

test('the photo picker: a file that is not an image is refused with a message; the tap targets are 44 px at least', async () => {
  const { page } = await phones.logIn('王阿姨');
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByText('随手拍', { exact: true }).last().click();
  await button(page, '拍一拍，立即报').click();
  await visible(page, '.category-grid__tile').filter({ hasText: '安全隐患' }).waitFor();

  const pick = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      visible(page, '.photo-uploader__add').click(),
    ]);
    await chooser.setFiles(file);
  };
  await pick({ name: '物业费.txt', mimeType: 'text/plain', buffer: Buffer.from('不是照片') });
  // Taro's picker drops a file it cannot load as an image; the page says why nothing was added.
  await page.getByText(/^只能选择图片/).waitFor();
  expect(await visible(page, '.photo-uploader__tile').count()).toBe(0);

  await pick({ name: 'door.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto({ r: 120, g: 90, b: 60 }) });
  await visible(page, '.photo-uploader__tile--done').waitFor();
  for (const target of ['.photo-uploader__remove', '.photo-uploader__add']) {
    const box = (await visible(page, target).boundingBox())!;
    expect([target, box.width >= 44, box.height >= 44]).toEqual([target, true, true]);
  }
  // Reloaded, the note's 清空 is a full-size target too.
  await visible(page, '.report-new textarea').fill('单元门关不上');
  await page.reload();
  const clear = (await page.getByText('清空').boundingBox())!;
  expect([clear.width >= 44, clear.height >= 44]).toEqual([true, true]);
});

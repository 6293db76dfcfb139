import { logInAsDemo, openEntry, setUpPhones } from './pages';

const phones = setUpPhones();
const phone = phones.open;

test('a newcomer joins with the captain’s invite code and, once approved, sees the four channels of their path', async () => {
  const captain = await phone();
  await logInAsDemo(captain.page, '张楼长');
  await openEntry(captain.page, '邀请邻居');
  // The captain's building (阳光花园1栋) opens at once; its units are the choice.
  await captain.page.locator('.at-list__item', { hasText: '1单元' }).click();
  await captain.page.locator('.invites__trail-path', { hasText: '幸福里社区 · 阳光花园 · 1栋 · 1单元' }).waitFor();
  await captain.page.locator('.at-button', { hasText: '生成邀请码' }).click();
  const code = (await captain.page.locator('.invite-code__value').innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{8}$/);

  const newcomer = await phone();
  await logInAsDemo(newcomer.page, '新邻居小林');
  await openEntry(newcomer.page, '加入社区');
  await newcomer.page.locator('input[placeholder="粘贴或输入邀请码"]').fill(code);
  await newcomer.page.locator('.at-button', { hasText: '查看邀请' }).click();
  await newcomer.page.getByText('选择房号').waitFor();
  await newcomer.page.locator('.join__unit-name', { hasText: '幸福里社区 · 阳光花园 · 1栋 · 1单元' }).waitFor();
  await newcomer.page.locator('.at-tag', { hasText: '402' }).click();
  await newcomer.page.locator('.at-tag', { hasText: '租户' }).click();
  await newcomer.page.locator('.at-button', { hasText: '提交申请' }).click();
  await newcomer.page.getByText('等待楼长/单元长审核').waitFor();

  await newcomer.page.goBack();
  await openEntry(newcomer.page, '我的频道');
  await newcomer.page.getByText('加入社区后，这里会显示您的单元群、楼栋群、小区群和社区群。').waitFor();

  // Back on 我的, the captain sees one request waiting.
  await captain.page.goBack();
  await captain.page
    .locator('.me__entries .at-list__item', { hasText: '待审批' })
    .locator('.me__count', { hasText: '1' })
    .waitFor();
  await openEntry(captain.page, '待审批');
  const request = captain.page.locator('.approval', { hasText: '402室' });
  await request.getByText('租户').waitFor();
  expect(await request.locator('.approval__name').innerText()).toBe('新****');
  await request.locator('.at-button', { hasText: '通过' }).click();
  await captain.page.getByText('暂无待审批').waitFor();

  await newcomer.page.reload();
  await newcomer.page.locator('.channel-card').nth(3).waitFor();
  const cards = newcomer.page.locator('.channel-card');
  const names = await cards.locator('.channel-card__name').allInnerTexts();
  const labels = await cards.locator('.channel-card__label').allInnerTexts();
  const channels = names.map((name, i) => [name, labels[i]]);
  expect(channels).toEqual([
    ['1单元', '单元群'],
    ['1栋', '楼栋群'],
    ['阳光花园', '小区群'],
    ['幸福里社区', '社区群'],
  ]);

  // 首页 now shows the community and the same channels; a channel opens with its notices.
  await newcomer.page.goto(phones.baseUrl());
  await newcomer.page.locator('.home__title', { hasText: '幸福里社区' }).waitFor();
  await newcomer.page.locator('.channel-card', { hasText: '社区群' }).click();
  await newcomer.page.getByText('欢迎使用邻里小程序').waitFor();
  expect([...captain.problems, ...newcomer.problems]).toEqual([]);
}, 120_000);

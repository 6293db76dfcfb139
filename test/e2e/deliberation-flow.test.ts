import type { Page } from 'playwright-core';
import { CLOSE_BALLOT_JOB } from '../../server/modules/deliberation/context';
import { button, openFromHome } from './flows';
import { setUpPhones, type Phone } from './pages';

const phones = setUpPhones();
const title = '1栋楼道安装感应灯';

/** A phone logged in as a demo user, on 首页's 议事协商 (topics of all my places). */
async function phone(name: string): Promise<Phone> {
  const opened = await phones.logIn(name);
  await openFromHome(opened.page, '议事协商');
  await opened.page.locator('.at-button:visible', { hasText: '发起议题' }).waitFor();
  return opened;
}

/** Text on the page showing now (H5 keeps earlier pages of the stack in the document, hidden). */
const shown = (page: Page, text: string | RegExp) => page.getByText(text).filter({ visible: true }).first();

async function openTopic(page: Page): Promise<void> {
  await page.locator('.delib-card:visible', { hasText: title }).first().click();
  await shown(page, title).waitFor();
}

test('a resident proposes, neighbours co-sign, the captain opens a ballot, households vote (one by proxy), the ballot closes, the result is published with its figures and a household checks its receipt', async () => {
  // 王阿姨 (1栋1单元302) raises a topic on her building.
  const owner = await phone('王阿姨');
  await button(owner.page, '发起议题').click();
  await owner.page.locator('.at-tag:visible', { hasText: '楼栋群 · 1栋' }).click();
  await owner.page.locator('input[name="title"]:visible').fill(title);
  await owner.page
    .locator('textarea:visible')
    .fill('楼道晚上太黑，老人走路不安全，建议每层安装声光感应灯，费用从公共收益列支。');
  await button(owner.page, '发起议题').click();
  await shown(owner.page, '已有 1 户附议，需 3 户').waitFor();

  // 陈单元长 (1栋2单元201) and 张楼长 (1栋1单元101) co-sign: three households make it an agenda item.
  const neighbour = await phone('陈单元长');
  await openTopic(neighbour.page);
  await button(neighbour.page, '附议').click();
  await shown(neighbour.page, '已有 2 户附议，需 3 户').waitFor();
  const captain = await phone('张楼长');
  await openTopic(captain.page);
  await button(captain.page, '附议').click();
  await shown(captain.page, '民议 · 议题讨论').waitFor();

  // The captain opens a one-day ballot by simple majority.
  await captain.page.locator('.at-tag:visible', { hasText: '1天' }).click();
  await button(captain.page, '开始投票').click();
  await shown(captain.page, '投票表决 · 投票中').waitFor();

  // 王阿姨 votes yes and keeps her receipt code.
  await owner.page.reload();
  await button(owner.page, '去投票').click();
  await owner.page.locator('.at-tag:visible', { hasText: '赞成' }).click();
  await button(owner.page, '确认投票').click();
  const receiptLine = shown(owner.page, /回执码：[2-9A-Z]{8}/);
  await receiptLine.waitFor();
  const receipt = /回执码：([2-9A-Z]{8})/.exec(await receiptLine.innerText())![1]!;

  // 陈单元长 votes yes; the captain votes no and records a proxy yes for a neighbour without a phone.
  await neighbour.page.reload();
  await button(neighbour.page, '去投票').click();
  await neighbour.page.locator('.at-tag:visible', { hasText: '赞成' }).click();
  await button(neighbour.page, '确认投票').click();
  await shown(neighbour.page, /回执码：/).waitFor();
  await captain.page.reload();
  await button(captain.page, '去投票').click();
  await captain.page.locator('.at-tag:visible', { hasText: '反对' }).first().click();
  await button(captain.page, '确认投票').click();
  await shown(captain.page, /回执码：/).waitFor();
  // His own household leaves the list of those waiting once his ballot is in.
  await captain.page.locator('.delib-figure', { hasText: '1单元 101' }).first().waitFor({ state: 'hidden' });
  await captain.page.locator('.delib-figure:visible', { hasText: '代投' }).first().click();
  await captain.page.locator('.delib-card:visible', { hasText: '为 ' }).locator('.at-tag', { hasText: '赞成' }).click();
  await captain.page.locator('input.weui-input[name="note"]:visible').fill('电话确认本人同意');
  await button(captain.page, '确认代投').click();
  await shown(captain.page, '已投票 4/').waitFor();
  // Secret while open: nobody sees counts by option.
  expect(await captain.page.locator('body').innerText()).not.toMatch(/赞成：|反对：/);

  // The closing time comes (the job runner closes it at its exact time).
  const app = phones.app();
  const topic = (await app.models.Topic.findOne({ communityId: { $exists: true }, title }).lean())!;
  const now = new Date();
  await app.models.Topic.updateOne(
    { _id: topic._id, communityId: topic.communityId },
    { $set: { 'ballot.closesAt': now } },
  );
  await app.jobs.schedule(CLOSE_BALLOT_JOB, `topic:${topic._id}:close`, now, { topicId: String(topic._id) });
  await app.jobs.runDue();

  // The result is published with its figures; 王阿姨 checks that her ballot was counted under her receipt.
  await owner.page.goBack();
  await owner.page.reload();
  await shown(owner.page, '民决 · 已通过').waitFor();
  await button(owner.page, '查看结果').click();
  await shown(owner.page, '表决通过').waitFor();
  await shown(owner.page, '赞成：3 户').waitFor();
  await shown(owner.page, '反对：1 户').waitFor();
  await shown(owner.page, '其中代投').waitFor();
  await owner.page.locator('input.weui-input[name="receipt"]:visible').fill(receipt);
  await button(owner.page, '核对').click();
  await shown(owner.page, `回执 ${receipt} 记录的选择：赞成，已计入结果`).waitFor();

  // 决议公开 in the building's channel.
  const notice = await app.models.Notice.findOne({
    communityId: topic.communityId,
    title: `决议公开：${title}`,
  }).lean();
  expect(notice!.body).toContain('赞成：3户');

  expect([...owner.problems, ...neighbour.problems, ...captain.problems]).toEqual([]);
}, 240_000);

import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import DetailPage from '../../miniprogram/packages/wishes/detail';
import FiguresPage from '../../miniprogram/packages/wishes/figures';
import MinePage from '../../miniprogram/packages/wishes/mine';
import NewWishPage from '../../miniprogram/packages/wishes/new';
import OrganisationsPage from '../../miniprogram/packages/wishes/organisations';
import ReviewPage from '../../miniprogram/packages/wishes/review';
import SettingsPage from '../../miniprogram/packages/wishes/settings';
import TimelinePage from '../../miniprogram/packages/wishes/timeline';
import WallPage from '../../miniprogram/packages/wishes/wall';
import { __reachBottom, __setRouterParams } from './doubles/taro';
import { photo, serveUploads, stored } from './report-fixtures';
import {
  captain,
  community,
  fail,
  ids,
  logIn,
  nodeView,
  ok,
  owner,
  resetApp,
  serve,
  staff,
  step,
  unit,
  unitView,
} from './fixtures';
import { doneWish, inDays, nthWish, wish } from './wish-fixtures';
import { button, queryButton, submitFailsThenRetries } from './forms';

beforeEach(resetApp);

const wishPath = `/wishes/${wish().id}`;

describe('心愿墙', () => {
  test('published wishes, nearest first as the service sends them, with how near and for whom; pages on scrolling', async () => {
    logIn(owner());
    const sent = serve({
      'GET /wishes': (req) =>
        req.url.includes('cursor=')
          ? ok({ items: [nthWish(3, { wantedBy: inDays(20) })], nextCursor: null })
          : ok({ items: [nthWish(1, { wantedBy: inDays(0) }), nthWish(2, { wantedBy: inDays(1) })], nextCursor: 'c2' }),
    });
    render(<WallPage />);
    await screen.findByText('第 1 个心愿：需要帮忙');
    expect(sent[0]!.url).toBe('/api/wishes?view=wall&limit=20');
    expect(screen.getByText('今天截止')).toBeTruthy();
    expect(screen.getByText('明天截止')).toBeTruthy();
    expect(screen.getAllByText('为一位独居老人')).toHaveLength(2);
    expect(screen.getAllByText('约 120 元 · 阳光花园')).toHaveLength(2);
    expect(screen.getByText('查看更多')).toBeTruthy();

    await act(async () => __reachBottom());
    expect(sent.at(-1)!.url).toBe('/api/wishes?view=wall&cursor=c2&limit=20');
    expect(screen.getByText('第 3 个心愿：需要帮忙')).toBeTruthy();
    expect(screen.getByText('还剩20天')).toBeTruthy();
    expect(screen.getByText('没有更多了')).toBeTruthy();

    fireEvent.click(screen.getByText('第 3 个心愿：需要帮忙'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/wishes/detail/index?id=${nthWish(3).id}` });
    fireEvent.click(button('我要许愿'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/wishes/new/index' });
    // Staff tools are for staff only.
    expect(screen.queryByText('审核队列')).toBeNull();
  });

  test('a kind filter asks again; an empty wall says so; 已圆梦 shows the thanks with the masked name', async () => {
    logIn(owner());
    const sent = serve({
      'GET /wishes': (req) => ok({ items: req.url.includes('view=done') ? [doneWish] : [], nextCursor: null }),
    });
    render(<WallPage />);
    expect(await screen.findByText('心愿墙上暂时没有待认领的心愿')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('陪伴')));
    expect(sent.at(-1)!.url).toBe('/api/wishes?view=wall&kind=companionship&limit=20');
    await act(async () => fireEvent.click(screen.getByText('全部')));
    await act(async () => fireEvent.click(screen.getByText('已圆梦')));
    expect(sent.at(-1)!.url).toBe('/api/wishes?view=done&limit=20');
    expect(await screen.findByText('「谢谢小吴，轮椅推起来顺多了」—— 1栋 王**')).toBeTruthy();
    expect(screen.getByText('为1栋 王**')).toBeTruthy();
  });

  test('an error shows in Chinese with 重试', async () => {
    logIn(owner());
    let answer = fail(403, 'NOT_IN_COMMUNITY');
    serve({ 'GET /wishes': () => answer });
    render(<WallPage />);
    expect(await screen.findByText('您还不是这个社区的居民')).toBeTruthy();
    answer = ok({ items: [wish()], nextCursor: null });
    await act(async () => fireEvent.click(screen.getByText('重试')));
    expect(screen.getByText(wish().text)).toBeTruthy();
  });

  test('street staff choose whose wall among their communities', async () => {
    const street = { id: '5a0000000000000000000001', kind: 'street' as const, name: '和平街道', path: ['和平街道'] };
    const other = {
      id: 'c00000000000000000000002',
      kind: 'community' as const,
      name: '翠竹社区',
      path: ['和平街道', '翠竹社区'],
    };
    logIn(staff({ roles: [{ id: '700000000000000000000010', role: 'street_staff', node: street }] }));
    const sent = serve({
      [`GET /nodes/${street.id}/children`]: ok([nodeView(community, 300), nodeView(other, 200)]),
      'GET /wishes': ok({ items: [], nextCursor: null }),
    });
    render(<WallPage />);
    const theirs = await screen.findByText('翠竹社区');
    await act(async () => fireEvent.click(theirs));
    expect(sent.at(-1)!.url).toBe(`/api/wishes?view=wall&communityId=${other.id}&limit=20`);
  });

  test('staff see the review queue, settings and figures entries', async () => {
    logIn(staff());
    serve({ 'GET /wishes': ok({ items: [], nextCursor: null }) });
    render(<WallPage />);
    await screen.findByText('心愿墙上暂时没有待认领的心愿');
    fireEvent.click(screen.getByText('审核队列'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/wishes/review/index' });
  });
});

describe('许愿', () => {
  const settings = `/communities/${ids.community}/wish-settings`;

  test('asks for what is missing, holds the value to the cap, and a retry after a dropped answer sends the same key', async () => {
    logIn(owner());
    let calls = 0;
    const sent = serve({
      [`GET /nodes/${ids.unit}`]: ok(unitView),
      [`GET ${settings}`]: ok({ maxValueYuan: 300, claimLapseDays: 7, autoConfirmDays: 7, canEdit: false }),
      'POST /wishes': () => (++calls === 1 ? 'network-error' : ok(wish({ state: 'pending', isMine: true }), 201)),
    });
    render(<NewWishPage />);
    const value = await screen.findByPlaceholderText('不超过 300 元');
    // A resident posts for their own household: no 代录 choice.
    expect(screen.queryByText('代他人录入')).toBeNull();

    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('请写下心愿内容（至少 2 个字）')).toBeTruthy();
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '想要一台收音机' } });
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('请选择心愿类别')).toBeTruthy();
    fireEvent.click(screen.getByText('物品'));
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('请选择受助对象')).toBeTruthy();
    fireEvent.click(screen.getByText('独居老人'));
    expect(screen.getByText('心愿墙只显示「一位独居老人」')).toBeTruthy();
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('请填写估计价值（整数元，没有花费填 0）')).toBeTruthy();
    fireEvent.input(value, { target: { value: '500' } });
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('心愿价值不能超过300元')).toBeTruthy();
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    fireEvent.input(value, { target: { value: '120' } });
    const { first, second } = await submitFailsThenRetries(sent, {
      label: '提交心愿',
      typed: '想要一台收音机',
      url: `/packages/wishes/detail/index?id=${wish().id}`,
    });
    expect(second).toEqual({
      text: '想要一台收音机',
      kind: 'goods',
      beneficiaryKind: 'elderly_alone',
      valueYuan: 120,
      wantedBy: inDays(14),
      showMaskedName: false,
      idempotencyKey: first.idempotencyKey,
    });
  });

  test('代录: a building captain picks the neighbour’s household and gives their name and phone', async () => {
    logIn(captain());
    const sent = serve({
      [`GET /nodes/${ids.unit}`]: ok(unitView),
      [`GET ${settings}`]: ok({ maxValueYuan: 300, claimLapseDays: 7, autoConfirmDays: 7, canEdit: false }),
      [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 12)]),
      [`GET /nodes/${ids.unit}/households`]: ok([
        { id: '800000000000000000000301', room: '301', floor: 3, areaHundredths: 9000, members: [] },
        { id: '800000000000000000000302', room: '302', floor: 3, areaHundredths: 9355, members: [] },
      ]),
      'POST /wishes': ok(wish({ state: 'pending', onBehalf: true }), 201),
    });
    render(<NewWishPage />);
    fireEvent.input(await screen.findByPlaceholderText('不超过 300 元'), { target: { value: '80' } });
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '想要一个暖手宝' } });
    fireEvent.click(screen.getByText('物品'));
    fireEvent.click(screen.getByText('独居老人'));

    await act(async () => fireEvent.click(screen.getByText('代他人录入')));
    expect(screen.getByText('为不用手机的邻居录入，您将作为代办人跟进这个心愿')).toBeTruthy();
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('请选择受助居民的房屋')).toBeTruthy();
    await act(async () => fireEvent.click(await screen.findByText('1单元')));
    fireEvent.click(await screen.findByText('301'));
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('请填写受助居民的姓名')).toBeTruthy();
    fireEvent.input(screen.getByPlaceholderText('受助居民的姓名（不会公开）'), { target: { value: '李秀兰' } });
    fireEvent.input(screen.getByPlaceholderText('选填，仅社区和认领人可见'), { target: { value: '12345' } });
    fireEvent.click(button('提交心愿'));
    expect(screen.getByText('手机号格式不正确')).toBeTruthy();
    fireEvent.input(screen.getByPlaceholderText('选填，仅社区和认领人可见'), { target: { value: '13800000031' } });
    await act(async () => fireEvent.click(button('提交心愿')));
    expect(sent.at(-1)!.body).toMatchObject({
      text: '想要一个暖手宝',
      householdId: '800000000000000000000301',
      beneficiary: { name: '李秀兰', phone: '13800000031' },
    });
  });

  test('photos upload as picked, and consent to the masked name is sent', async () => {
    logIn(owner());
    (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
      tempFiles: [{ tempFilePath: 'blob:photo-1', size: 800_000 }],
    });
    serveUploads(() => stored(1), [40]);
    const sent = serve({
      [`GET /nodes/${ids.unit}`]: ok(unitView),
      [`GET ${settings}`]: ok({ maxValueYuan: 300, claimLapseDays: 7, autoConfirmDays: 7, canEdit: false }),
      'POST /wishes': ok(wish({ state: 'pending' }), 201),
    });
    render(<NewWishPage />);
    fireEvent.input(await screen.findByPlaceholderText('不超过 300 元'), { target: { value: '0' } });
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '想请人陪我聊聊天' } });
    fireEvent.click(screen.getByText('陪伴'));
    fireEvent.click(screen.getByText('独居老人'));
    fireEvent.click(screen.getByText('同意在心愿墙显示打码姓名').closest('.at-switch')!.querySelector('input')!);
    expect(screen.getByText('心愿墙显示如「3栋 王**」，不显示全名和门牌')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    await act(async () => fireEvent.click(button('提交心愿')));
    expect(sent.at(-1)!.body).toMatchObject({ mediaIds: [photo(1).id], showMaskedName: true, valueYuan: 0 });
  });

  test('a returned wish is edited with staff’s note shown, and resubmitted', async () => {
    __setRouterParams({ id: wish().id });
    logIn(owner());
    const returned = wish({
      state: 'returned',
      isMine: true,
      reviewNote: '请写清楚需要哪种收音机',
      actions: ['resubmit', 'withdraw'],
    });
    const sent = serve({
      [`GET ${wishPath}`]: ok(returned),
      [`GET ${settings}`]: ok({ maxValueYuan: 300, claimLapseDays: 7, autoConfirmDays: 7, canEdit: false }),
      [`POST ${wishPath}/resubmit`]: ok({ ...returned, state: 'pending', actions: ['withdraw'] }),
    });
    render(<NewWishPage />);
    expect(await screen.findByText('社区意见：请写清楚需要哪种收音机')).toBeTruthy();
    expect(Taro.setNavigationBarTitle).toHaveBeenCalledWith({ title: '修改心愿' });
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '想要一台能插卡的收音机' } });
    await act(async () => fireEvent.click(button('修改后重新提交')));
    expect(sent.at(-1)!.body).toEqual({
      text: '想要一台能插卡的收音机',
      kind: 'goods',
      beneficiaryKind: 'elderly_alone',
      valueYuan: 120,
      wantedBy: returned.wantedBy,
      showMaskedName: false,
    });
    // Back to the wish it was opened from, which reloads.
    expect(Taro.navigateBack).toHaveBeenCalled();
  });
});

describe('a wish', () => {
  beforeEach(() => __setRouterParams({ id: wish().id }));

  test('a neighbour who may claim sees 认领 and 举报, never the beneficiary’s name', async () => {
    logIn(owner());
    serve({ [`GET ${wishPath}`]: ok(wish()) });
    render(<DetailPage />);
    expect(await screen.findByText('受助对象：一位独居老人')).toBeTruthy();
    expect(button('认领')).toBeTruthy();
    expect(screen.getByText('举报')).toBeTruthy();
    expect(screen.queryByText(/受助人信息/)).toBeNull();
    for (const other of ['审核发布', '撤回', '标记已实现', '确认已实现']) expect(queryButton(other)).toBeNull();
  });

  test('staff see the pending wish whole and its review moves; 退回修改 needs a reason', async () => {
    logIn(staff());
    const pending = wish({
      state: 'pending',
      onBehalf: true,
      proxyName: '张楼长',
      beneficiary: { label: '一位独居老人', showMaskedName: false, name: '王秀英', room: '302', phone: '13800000011' },
      actions: ['publish', 'return', 'reject', 'withdraw'],
      claimAs: [],
    });
    const sent = serve({
      [`GET ${wishPath}`]: ok(pending),
      [`POST ${wishPath}/return`]: ok({
        ...pending,
        state: 'returned',
        reviewNote: '价值写高了',
        actions: ['withdraw'],
      }),
    });
    render(<DetailPage />);
    expect(await screen.findByText('受助人信息：王秀英 · 302 · 13800000011（仅相关人员可见）')).toBeTruthy();
    expect(screen.getByText('代录：由张楼长代为录入')).toBeTruthy();
    for (const move of ['审核发布', '退回修改', '不予发布', '撤回']) expect(button(move)).toBeTruthy();
    expect(queryButton('认领')).toBeNull();

    fireEvent.click(button('退回修改'));
    await act(async () => fireEvent.click(button('确定')));
    expect(screen.getByText('请至少写 2 个字')).toBeTruthy();
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '价值写高了' } });
    await act(async () => fireEvent.click(button('确定')));
    expect(sent.at(-1)!.body).toEqual({ reason: '价值写高了' });
    expect(screen.getByText('待修改')).toBeTruthy();
    expect(screen.getByText('社区意见：价值写高了')).toBeTruthy();
  });

  test('审核发布 asks first, then publishes', async () => {
    logIn(staff());
    const pending = wish({ state: 'pending', actions: ['publish', 'return', 'reject', 'withdraw'], claimAs: [] });
    const sent = serve({
      [`GET ${wishPath}`]: ok(pending),
      [`POST ${wishPath}/publish`]: ok({ ...pending, state: 'published', actions: ['withdraw'] }),
    });
    render(<DetailPage />);
    const publish = await screen.findByText('审核发布', { selector: '.at-button__text' });
    await act(async () => fireEvent.click(publish));
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '审核发布' }));
    expect(sent.at(-1)!.path).toBe(`${wishPath}/publish`);
    expect(screen.getByText('待认领')).toBeTruthy();
  });

  test('the owner of a returned wish edits it on the form', async () => {
    logIn(owner());
    serve({ [`GET ${wishPath}`]: ok(wish({ state: 'returned', isMine: true, actions: ['resubmit', 'withdraw'] })) });
    render(<DetailPage />);
    fireEvent.click(await screen.findByText('修改后重新提交', { selector: '.at-button__text' }));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/wishes/new/index?id=${wish().id}` });
  });

  test('claiming as a party member; lost to someone faster, the page says 已被认领 and shows the wish as it is', async () => {
    logIn(owner());
    let current = wish();
    const sent = serve({
      [`GET ${wishPath}`]: () => ok(current),
      [`POST ${wishPath}/claim`]: () => {
        current = wish({
          state: 'claimed',
          actions: [],
          claim: {
            type: 'volunteer',
            name: '吴**',
            isMe: false,
            claimedAt: '2026-12-03T01:00:00.000Z',
            lapsesAt: '2026-12-10T01:00:00.000Z',
          },
        });
        return fail(409, 'WISH_TAKEN');
      },
    });
    render(<DetailPage />);
    fireEvent.click(await screen.findByText('认领', { selector: '.at-button__text' }));
    expect(screen.getByText('认领身份')).toBeTruthy();
    expect(screen.getByText('党员')).toBeTruthy();
    expect(screen.getByText('志愿者')).toBeTruthy();
    await act(async () => fireEvent.click(button('确认认领')));
    expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ as: 'party_member', showName: true });
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已被认领' }));
    expect(screen.getByText('已被认领', { selector: '.wish-alert' })).toBeTruthy();
    expect(screen.getByText('已认领')).toBeTruthy();
    expect(screen.getByText(/认领：志愿者 吴\*\*/)).toBeTruthy();
    expect(queryButton('认领')).toBeNull();
  });

  test('claiming for an organisation names it', async () => {
    logIn(owner());
    const open = wish({
      claimAs: ['organisation'],
      organisations: [{ id: 'f20000000000000000000001', name: '阳光志愿服务队' }],
    });
    const sent = serve({
      [`GET ${wishPath}`]: ok(open),
      [`POST ${wishPath}/claim`]: ok({
        ...open,
        state: 'claimed',
        actions: ['release', 'fulfil'],
        claim: {
          type: 'organisation',
          name: '阳光志愿服务队',
          isMe: true,
          claimedAt: '2026-12-03T01:00:00.000Z',
          lapsesAt: '2026-12-10T01:00:00.000Z',
        },
      }),
    });
    render(<DetailPage />);
    fireEvent.click(await screen.findByText('认领', { selector: '.at-button__text' }));
    fireEvent.click(screen.getByText('同意在光荣榜显示我的名字').closest('.at-switch')!.querySelector('input')!);
    await act(async () => fireEvent.click(button('确认认领')));
    expect(sent.at(-1)!.body).toEqual({
      as: 'organisation',
      organisationId: 'f20000000000000000000001',
      showName: false,
    });
    expect(button('标记已实现')).toBeTruthy();
    expect(screen.getByText(/认领：爱心组织 我，请于/)).toBeTruthy();
  });

  test('标记已实现 requires a proof photo, then sends it with the note', async () => {
    logIn(owner());
    const claimed = wish({
      state: 'claimed',
      actions: ['release', 'fulfil'],
      claim: {
        type: 'volunteer',
        name: '王阿姨',
        isMe: true,
        claimedAt: '2026-12-03T01:00:00.000Z',
        lapsesAt: '2026-12-10T01:00:00.000Z',
      },
    });
    (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
      tempFiles: [{ tempFilePath: 'blob:proof-1', size: 800_000 }],
    });
    serveUploads(() => stored(1));
    const sent = serve({
      [`GET ${wishPath}`]: ok(claimed),
      [`POST ${wishPath}/fulfil`]: ok({
        ...claimed,
        state: 'fulfilled',
        actions: [],
        fulfilment: {
          note: '收音机已送到',
          media: [photo(1)],
          at: '2026-12-03T05:00:00.000Z',
          autoConfirmsAt: '2026-12-10T05:00:00.000Z',
        },
      }),
    });
    render(<DetailPage />);
    fireEvent.click(await screen.findByText('标记已实现', { selector: '.at-button__text' }));
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '收音机已送到' } });
    await act(async () => fireEvent.click(button('提交')));
    expect(screen.getByText('请至少上传 1 张实现心愿的照片')).toBeTruthy();
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    await act(async () => fireEvent.click(button('提交')));
    expect(sent.at(-1)!.body).toEqual({ note: '收音机已送到', mediaIds: [photo(1).id] });
    expect(screen.getByText('待确认')).toBeTruthy();
    expect(screen.getByText('实现情况：收音机已送到')).toBeTruthy();
  });

  test('the beneficiary’s side confirms with thanks, and messages the claimant', async () => {
    logIn(owner());
    const fulfilled = wish({
      state: 'fulfilled',
      isMine: true,
      actions: ['confirm', 'dispute'],
      canMessage: true,
      claimAs: [],
      claim: {
        type: 'volunteer',
        name: '吴**',
        isMe: false,
        claimedAt: '2026-12-03T01:00:00.000Z',
        lapsesAt: '2026-12-10T01:00:00.000Z',
      },
      fulfilment: {
        note: '收音机已送到',
        media: [],
        at: '2026-12-03T05:00:00.000Z',
        autoConfirmsAt: '2026-12-10T05:00:00.000Z',
      },
    });
    const message = (n: number, from: 'beneficiary' | 'claimant', text: string, isMe: boolean) => ({
      id: `f3000000000000000000000${n}`,
      from,
      text,
      isMe,
      at: '2026-12-03T04:00:00.000Z',
    });
    const sent = serve({
      [`GET ${wishPath}`]: ok(fulfilled),
      [`GET ${wishPath}/messages`]: ok({
        items: [message(2, 'claimant', '下午三点送到可以吗', false), message(1, 'beneficiary', '麻烦您了', true)],
        nextCursor: null,
      }),
      [`POST ${wishPath}/messages`]: ok(message(3, 'beneficiary', '可以，谢谢', true), 201),
      [`POST ${wishPath}/confirm`]: ok({
        ...fulfilled,
        state: 'confirmed',
        actions: [],
        canMessage: false,
        confirmation: { by: 'beneficiary', thanks: '谢谢小吴', at: '2026-12-03T06:00:00.000Z' },
      }),
    });
    render(<DetailPage />);
    expect(await screen.findByText('下午三点送到可以吗')).toBeTruthy();
    const shown = Array.from(document.querySelectorAll('.wish-message__text')).map((node) => node.textContent);
    expect(shown).toEqual(['下午三点送到可以吗', '麻烦您了']);
    const reply = screen.getByPlaceholderText('留言，例如约定送达的时间');
    fireEvent.input(reply, { target: { value: '可以，谢谢' } });
    await act(async () => fireEvent.click(button('发送')));
    expect(sent.at(-1)!.body).toEqual({ text: '可以，谢谢' });
    expect(screen.getByText('可以，谢谢', { selector: '.wish-message__text' })).toBeTruthy();

    fireEvent.click(button('确认已实现'));
    fireEvent.input(screen.getByPlaceholderText('写一句感谢的话（选填，会显示在心愿墙上）'), {
      target: { value: '谢谢小吴' },
    });
    await act(async () => fireEvent.click(button('确定')));
    expect(sent.at(-1)!.body).toEqual({ thanks: '谢谢小吴' });
    expect(screen.getByText('已圆梦')).toBeTruthy();
    expect(screen.getByText('「谢谢小吴」—— 一位独居老人')).toBeTruthy();
  });

  test('its history, in words', async () => {
    logIn(owner());
    serve({
      [`GET ${wishPath}/timeline`]: ok([
        step('post', null, 'pending', { actorRole: 'owner' }),
        step('publish', 'pending', 'published'),
        step('claim', 'published', 'claimed', { actorRole: 'eligible', actor: '吴**' }),
      ]),
      [`GET ${wishPath}`]: ok(wish()),
    });
    render(<TimelinePage />);
    expect(await screen.findByText('认领 · 待认领 → 已认领')).toBeTruthy();
    expect(screen.getByText('审核发布 · 待审核 → 待认领')).toBeTruthy();
    expect(screen.getByText('提交心愿 · 待审核')).toBeTruthy();
    expect(screen.getByText('认领人 吴**')).toBeTruthy();
  });
});

describe('my lists and staff pages', () => {
  test('我的认领 opens from its link and lists what I claimed with its state', async () => {
    __setRouterParams({ view: 'claims' });
    logIn(owner());
    const sent = serve({ 'GET /wishes': ok({ items: [wish({ state: 'claimed' })], nextCursor: null }) });
    render(<MinePage />);
    expect(await screen.findByText('已认领')).toBeTruthy();
    expect(sent[0]!.url).toBe('/api/wishes?view=claims&limit=20');
    await act(async () => fireEvent.click(screen.getByText('我的心愿')));
    expect(sent.at(-1)!.url).toBe('/api/wishes?view=mine&limit=20');
  });

  test('the review queue of the staff member’s community', async () => {
    logIn(staff());
    const sent = serve({ 'GET /wishes': ok({ items: [], nextCursor: null }) });
    render(<ReviewPage />);
    expect(await screen.findByText('没有待审核或有异议的心愿')).toBeTruthy();
    expect(sent[0]!.url).toBe(`/api/wishes?view=review&communityId=${community.id}&limit=20`);
  });

  test('a resident is told the review queue is for staff', async () => {
    logIn(owner());
    serve({});
    render(<ReviewPage />);
    expect(await screen.findByText('此页面供社区工作人员使用')).toBeTruthy();
  });

  test('staff register an organisation and see its join code; a member joins with a code', async () => {
    logIn(staff());
    const organisation = {
      id: 'f20000000000000000000001',
      name: '阳光志愿服务队',
      contactName: '陈队长',
      contactPhone: '13800000020',
      members: 0,
      isMember: false,
      joinCode: 'K7Q2ZP',
      canManage: true,
    };
    let items: (typeof organisation)[] = [];
    const path = `/communities/${community.id}/wish-organisations`;
    const sent = serve({
      [`GET ${path}`]: () => ok({ items }),
      [`POST ${path}`]: () => {
        items = [organisation];
        return ok(organisation, 201);
      },
      'POST /wish-organisations/join': fail(404, 'NOT_FOUND'),
    });
    render(<OrganisationsPage />);
    expect(await screen.findByText('还没有登记的爱心组织')).toBeTruthy();
    fireEvent.click(button('添加'));
    expect(screen.getByText('请填写组织名称（2–40 个字）')).toBeTruthy();
    fireEvent.input(screen.getByPlaceholderText('例如：阳光志愿服务队'), { target: { value: '阳光志愿服务队' } });
    fireEvent.input(screen.getByPlaceholderText('姓名'), { target: { value: '陈队长' } });
    fireEvent.input(screen.getByPlaceholderText('联系人手机号'), { target: { value: '13800000020' } });
    await act(async () => fireEvent.click(button('添加')));
    expect(sent.find((r) => r.method === 'POST')!.body).toEqual({
      name: '阳光志愿服务队',
      contactName: '陈队长',
      contactPhone: '13800000020',
    });
    expect(await screen.findByText('加入码 K7Q2ZP')).toBeTruthy();

    fireEvent.input(screen.getByPlaceholderText('组织负责人提供的 6 位码'), { target: { value: 'abc' } });
    fireEvent.click(button('加入'));
    expect(screen.getByText('请输入 6 位加入码（字母或数字）')).toBeTruthy();
    fireEvent.input(screen.getByPlaceholderText('组织负责人提供的 6 位码'), { target: { value: 'zzzzzz' } });
    await act(async () => fireEvent.click(button('加入')));
    expect(sent.at(-1)!.body).toEqual({ code: 'ZZZZZZ' });
    expect(screen.getByText('内容不存在或已被删除')).toBeTruthy();
  });

  test('settings are checked against their bounds before saving', async () => {
    logIn(staff());
    const path = `/communities/${community.id}/wish-settings`;
    const sent = serve({
      [`GET ${path}`]: ok({ maxValueYuan: 300, claimLapseDays: 7, autoConfirmDays: 7, canEdit: true }),
      [`PUT ${path}`]: ok({ maxValueYuan: 500, claimLapseDays: 10, autoConfirmDays: 7, canEdit: true }),
    });
    render(<SettingsPage />);
    const cap = await screen.findByDisplayValue('300');
    fireEvent.input(cap, { target: { value: '0' } });
    fireEvent.click(button('保存'));
    expect(screen.getByText('价值上限需为 1–5000 的整数')).toBeTruthy();
    fireEvent.input(cap, { target: { value: '500' } });
    fireEvent.input(screen.getAllByDisplayValue('7')[0]!, { target: { value: '10' } });
    await act(async () => fireEvent.click(button('保存')));
    expect(sent.at(-1)!.body).toEqual({ maxValueYuan: 500, claimLapseDays: 10, autoConfirmDays: 7 });
  });

  test('figures of the month with the roll of honour and 导出 CSV', async () => {
    logIn(staff());
    const sent = serve({
      'GET /wish-figures': ok({
        month: '2026-12',
        totals: { posted: 12, published: 10, claimed: 8, fulfilled: 6, confirmed: 5 },
        medianDaysToFulfil: 2.5,
        byKind: [{ kind: 'goods', posted: 7, fulfilled: 4 }],
        byClaimantType: [{ type: 'volunteer', claimed: 5, fulfilled: 4 }],
        honour: [{ name: '吴志愿', type: 'volunteer', fulfilled: 3 }],
      }),
    });
    render(<FiguresPage />);
    expect(await screen.findByText('1. 吴志愿（志愿者）')).toBeTruthy();
    expect(sent[0]!.url).toMatch(new RegExp(`^/api/wish-figures\\?communityId=${community.id}&month=\\d{4}-\\d{2}$`));
    expect(screen.getByText('2.5')).toBeTruthy();
    expect(screen.getByText('物品 提交')).toBeTruthy();
    expect(button('导出 CSV')).toBeTruthy();
  });
});

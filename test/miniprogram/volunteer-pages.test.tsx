import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { OrderView, SuggestionView } from '../../shared/schemas/volunteers';
import ActivitiesPage from '../../miniprogram/packages/volunteer/activities';
import HubPage from '../../miniprogram/packages/volunteer/index';
import ManagePage from '../../miniprogram/packages/volunteer/manage';
import NewOrderPage from '../../miniprogram/packages/volunteer/new';
import { windowChoices } from '../../miniprogram/packages/volunteer/new/slots';
import OrderPage from '../../miniprogram/packages/volunteer/order';
import RecordPage from '../../miniprogram/packages/volunteer/record';
import dayjs from 'dayjs';
import { __setRouterParams } from './doubles/taro';
import { photo, serveUploads, stored } from './report-fixtures';
import { order, volunteer } from './volunteer-fixtures';
import {
  captain,
  deferred,
  fail,
  gridWorker,
  ids,
  logIn,
  nodeView,
  ok,
  owner,
  resetApp,
  serve,
  staff,
  unit,
} from './fixtures';
import { button } from './forms';

beforeEach(resetApp);

describe('志愿服务 hub', () => {
  test('a resident sees 我要点单, how to become a volunteer and their orders', async () => {
    logIn(owner());
    const sent = serve({
      'GET /volunteers/me': ok(null),
      'GET /volunteer-orders': ok({ items: [order()], nextCursor: null }),
    });
    render(<HubPage />);
    await screen.findByText('陪老人去医院取药');
    expect(screen.getByText('待派单')).toBeTruthy();
    expect(screen.getByText('成为志愿者')).toBeTruthy();
    expect(sent.map((r) => r.url)).toContain('/api/volunteer-orders?view=mine&limit=20');
    // Only my orders: no tasks, open orders or queue for a resident.
    expect(screen.queryByText('我的任务')).toBeNull();
    expect(screen.queryByText('派单队列')).toBeNull();
    fireEvent.click(screen.getByText('陪老人去医院取药'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/volunteer/order/index?id=${'a'.repeat(24)}` });
    fireEvent.click(button('注册志愿者'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/register/index' });
  });

  test('a verified volunteer sees hours and stars, and switches to 可认领; an empty list says so', async () => {
    logIn(owner());
    const sent = serve({
      'GET /volunteers/me': ok(volunteer()),
      'GET /volunteer-orders': (req) => ok({ items: req.url.includes('view=open') ? [] : [order()], nextCursor: null }),
    });
    render(<HubPage />);
    await screen.findByText('100.5 小时');
    expect(screen.getByText('★')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('可认领')));
    expect(sent.at(-1)!.url).toBe('/api/volunteer-orders?view=open&limit=20');
    expect(await screen.findByText('暂时没有可以认领的订单')).toBeTruthy();
  });

  test('a grid worker also has the dispatch queue', async () => {
    logIn(gridWorker());
    serve({ 'GET /volunteers/me': ok(null), 'GET /volunteer-orders': ok({ items: [], nextCursor: null }) });
    render(<HubPage />);
    expect(await screen.findByText('派单队列')).toBeTruthy();
  });
});

describe('点单', () => {
  test('the next windows start from now: a window an hour from its end is still offered', () => {
    const now = dayjs('2026-12-03T09:45:00');
    expect(windowChoices(now, 3).map((c) => c.label)).toEqual([
      '今天上午 09:00–11:00',
      '今天下午 14:00–16:00',
      '今天晚上 19:00–21:00',
    ]);
    expect(windowChoices(dayjs('2026-12-03T20:30:00'), 2).map((c) => c.label)).toEqual([
      '明天上午 09:00–11:00',
      '明天下午 14:00–16:00',
    ]);
  });

  test('asks for what is missing, shows the progress, keeps everything on a failure, opens the order when sent', async () => {
    logIn(owner());
    const answer = deferred();
    let calls = 0;
    const sent = serve({
      'POST /volunteer-orders': () => (++calls === 1 ? fail(400, 'CONTENT_RISKY') : answer.route()),
    });
    render(<NewOrderPage />);
    fireEvent.click(button('提交点单'));
    expect(screen.getByText('请选择服务类别')).toBeTruthy();
    fireEvent.click(screen.getByText('助老服务'));
    fireEvent.click(document.querySelectorAll('.choice-chips')[1]!.querySelector('.choice-chips__chip')!);
    fireEvent.click(button('提交点单'));
    expect(screen.getByText('请说说需要什么帮助（至少 2 个字）')).toBeTruthy();
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '陪老人去医院取药' } });
    await act(async () => fireEvent.click(button('提交点单')));
    expect(await screen.findByText('内容未通过安全检查，请修改后再提交')).toBeTruthy();
    expect((document.querySelector('textarea') as HTMLTextAreaElement).value).toBe('陪老人去医院取药');

    fireEvent.click(button('提交点单'));
    expect(screen.getByText('提交中…')).toBeTruthy();
    await act(async () => answer.release(ok(order(), 201)));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/packages/volunteer/order/index?id=${'a'.repeat(24)}` });
    // Both tries carry the same key: a retry after a lost answer cannot order twice.
    const [first, second] = sent.map((r) => r.body as { idempotencyKey: string; kind: string });
    expect(second!.idempotencyKey).toBe(first!.idempotencyKey);
    expect(second!.kind).toBe('elderly_help');
  });

  test('an optional photo uploads as picked, and the order names it', async () => {
    logIn(owner());
    (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
      tempFiles: [{ tempFilePath: 'blob:photo-1', size: 800_000 }],
    });
    const upload = deferred();
    serveUploads(() => upload.route().then(() => stored(1)));
    const sent = serve({ 'POST /volunteer-orders': ok(order({ media: [photo(1)] }), 201) });
    render(<NewOrderPage />);
    fireEvent.click(screen.getByText('助老服务'));
    fireEvent.click(document.querySelectorAll('.choice-chips')[1]!.querySelector('.choice-chips__chip')!);
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '门锁坏了，请人看看' } });
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    expect(button('图片上传中…')).toBeTruthy();
    await act(async () => upload.release(ok()));
    await act(async () => fireEvent.click(button('提交点单')));
    expect((sent.at(-1)!.body as { mediaIds: string[] }).mediaIds).toEqual([photo(1).id]);
  });

  test('a resident orders for their own household only: no 为邻居点单', () => {
    logIn(owner());
    serve({});
    render(<NewOrderPage />);
    expect(screen.getByText('提交点单')).toBeTruthy();
    expect(screen.queryByText('为邻居点单')).toBeNull();
  });

  test('a captain orders for a neighbour: unit, room, member; the order names them and their unit', async () => {
    logIn(captain());
    const sent = serve({
      [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 1)]),
      [`GET /nodes/${ids.unit}/households`]: ok([
        {
          id: '800000000000000000000002',
          room: '302',
          floor: 3,
          areaHundredths: 9000,
          members: [{ name: '王**', relation: 'owner', userId: '600000000000000000000007' }],
        },
      ]),
      'POST /volunteer-orders': ok(order(), 201),
    });
    render(<NewOrderPage />);
    fireEvent.click(screen.getByText('为邻居点单').closest('.at-switch')!.querySelector('input')!);
    await screen.findByText('1单元');
    await act(async () => fireEvent.click(screen.getByText('1单元')));
    fireEvent.click(screen.getByText('助老服务'));
    fireEvent.click(screen.getByText(windowChoices()[0]!.label));
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '王阿姨想请人陪同去医院' } });
    fireEvent.click(screen.getByText('302'));
    await act(async () => fireEvent.click(button('提交点单')));
    expect(screen.getByText('请选择为哪位邻居点单')).toBeTruthy();
    fireEvent.click(screen.getByText('王**（业主）'));
    await act(async () => fireEvent.click(button('提交点单')));
    expect(sent.at(-1)!.body).toMatchObject({ forUserId: '600000000000000000000007', nodeId: ids.unit });
    expect(Taro.redirectTo).toHaveBeenCalled();
  });
});

describe('an order', () => {
  const id = 'a'.repeat(24);
  beforeEach(() => __setRouterParams({ id }));

  test('its photos are shown with the description', async () => {
    logIn(owner());
    serve({ 'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': ok(order({ media: [photo(1)] })) });
    render(<OrderPage />);
    expect(await screen.findByText('陪老人去医院取药')).toBeTruthy();
    expect(document.querySelector('.volunteer-order__photo')!.getAttribute('src')).toContain(photo(1).id);
  });

  test('the dispatcher sees the suggestions with their reasons and dispatches to one', async () => {
    logIn(gridWorker());
    const suggestions: SuggestionView[] = [
      {
        volunteerId: 'd'.repeat(24),
        displayName: '吴**',
        score: 92,
        stars: 1,
        reasons: ['擅长助老服务', '周三上午有空'],
      },
      { volunteerId: 'f'.repeat(24), displayName: '郑**', score: 63, stars: 0, reasons: ['该时段未登记有空'] },
    ];
    const mine = { isMe: false, displayName: '王**', phone: '138****0007', id: 'b'.repeat(24) };
    const sent = serve({
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': ok(
        order({ requester: mine, actions: ['dispatch', 'publish', 'cancel'] }),
      ),
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/suggestions': ok(suggestions),
      'POST /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/dispatch': ok(
        order({
          state: 'dispatched',
          requester: mine,
          actions: ['cancel'],
          volunteer: { ...mine, displayName: '吴**' },
        }),
      ),
    });
    render(<OrderPage />);
    expect(await screen.findByText('擅长助老服务 · 周三上午有空')).toBeTruthy();
    expect(screen.getByText('居民：王** 138****0007')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getAllByText('派给TA')[0]!));
    expect(sent.at(-1)!.body).toEqual({ volunteerId: 'd'.repeat(24) });
    expect(await screen.findByText('待接单')).toBeTruthy();
    expect(screen.queryByText('推荐志愿者')).toBeNull();
  });

  test('the resident sees the door code once the order is accepted', async () => {
    logIn(owner());
    serve({
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': ok(order({ state: 'accepted' })),
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/door-code': ok({
        code: '204816',
        purpose: 'check_in',
        expiresAt: '2026-12-03T06:02:00.000Z',
      }),
    });
    render(<OrderPage />);
    expect(await screen.findByText('204816')).toBeTruthy();
    expect(screen.getByText('上门签到码')).toBeTruthy();
  });

  test('the volunteer checks in with the code; a wrong code says so and keeps what was typed', async () => {
    logIn(owner());
    const accepted = order({
      state: 'accepted',
      actions: ['check_in'],
      requester: { id: 'b'.repeat(24), displayName: '王**', phone: null, isMe: false },
    });
    let calls = 0;
    serve({
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': ok(accepted),
      'POST /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/check-in': () =>
        ++calls === 1
          ? fail(400, 'DOOR_CODE_INVALID')
          : ok({ ...accepted, state: 'in_service', actions: ['check_out'] }),
    });
    render(<OrderPage />);
    const input = (await screen.findByPlaceholderText('6 位服务码')) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '123456' } });
    await act(async () => fireEvent.click(button('签到')));
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '服务码不正确或已过期，请让居民刷新后重新告诉您' }),
    );
    expect(input.value).toBe('123456');
    await act(async () => fireEvent.click(button('签到')));
    expect(await screen.findByText('服务签退')).toBeTruthy();
  });

  test('a volunteer who was beaten to an open order is told so and sees it as it is now', async () => {
    logIn(owner());
    let state: OrderView['state'] = 'open';
    serve({
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': () =>
        ok(
          order({
            state,
            actions: state === 'open' ? ['take'] : [],
            requester: { id: 'b'.repeat(24), displayName: '王**', phone: null, isMe: false },
          }),
        ),
      'POST /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/take': () => {
        state = 'accepted';
        return fail(409, 'ORDER_TAKEN');
      },
    });
    render(<OrderPage />);
    const take = await screen.findByText('认领', { selector: '.at-button__text' });
    await act(async () => fireEvent.click(take));
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '手慢了，这单已被其他志愿者接走' }));
    expect(await screen.findByText('已接单')).toBeTruthy();
    expect(screen.queryByText('认领', { selector: '.at-button__text' })).toBeNull();
  });

  test('the resident rates the service with stars and a comment', async () => {
    logIn(owner());
    const sent = serve({
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': ok(
        order({
          state: 'completed',
          actions: ['rate'],
          canComplain: true,
          credited: { halfHours: 2, minutes: 50, manual: false },
        }),
      ),
      'POST /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/rate': ok(
        order({ state: 'rated', rating: { score: 5, comment: '' } }),
      ),
    });
    render(<OrderPage />);
    expect(await screen.findByText('计入服务时长 1 小时')).toBeTruthy();
    fireEvent.click(document.querySelectorAll('.at-rate__icon')[4]!);
    await act(async () => fireEvent.click(button('提交评价')));
    expect(sent.at(-1)!.body).toEqual({ score: 5 });
    expect(await screen.findByText('已评价')).toBeTruthy();
  });
});

describe('service record and activities', () => {
  test('hours, points, stars and the entries, with 导出 CSV', async () => {
    logIn(owner());
    serve({
      'GET /volunteers/me': ok(volunteer()),
      'GET /volunteers/cccccccccccccccccccccccc/ledger': ok({
        items: [
          {
            id: '1'.repeat(24),
            kind: 'void',
            halfHours: -2,
            minutes: -50,
            title: '作废：助老服务',
            note: '投诉成立',
            at: '2026-12-02T06:00:00.000Z',
          },
          {
            id: '2'.repeat(24),
            kind: 'order',
            halfHours: 2,
            minutes: 50,
            title: '助老服务',
            note: null,
            at: '2026-12-01T06:00:00.000Z',
          },
        ],
        nextCursor: null,
        totals: volunteer().totals,
      }),
    });
    render(<RecordPage />);
    expect(await screen.findByText('作废：助老服务')).toBeTruthy();
    expect(screen.getByText('-1 小时')).toBeTruthy();
    expect(screen.getByText('+1 小时')).toBeTruthy();
    expect(screen.getByText(/再服务 199.5 小时升至 2 星/)).toBeTruthy();
    expect(button('导出 CSV')).toBeTruthy();
  });

  test('a full activity offers the waiting list; my place shows the check-in', async () => {
    logIn(owner());
    const activity = {
      id: '9'.repeat(24),
      title: '周末小区环境清洁',
      kind: 'cleanup' as const,
      description: '',
      place: unit,
      startAt: '2026-12-05T01:00:00.000Z',
      endAt: '2026-12-05T03:00:00.000Z',
      places: 2,
      signedUp: 2,
      waiting: 0,
      mine: null,
      waitingPosition: null,
      checkInCode: null,
      canManage: false,
      completed: false,
    };
    const pending = deferred();
    serve({
      'GET /volunteer-activities': ok({ items: [activity], nextCursor: null }),
      'POST /volunteer-activities/999999999999999999999999/sign-up': pending.route,
    });
    render(<ActivitiesPage />);
    const signUp = await screen.findByText('报名候补', { selector: '.at-button__text' });
    await act(async () => fireEvent.click(signUp));
    await act(async () => pending.release(ok({ ...activity, waiting: 1, mine: 'waiting', waitingPosition: 1 })));
    expect(screen.getByText('候补中')).toBeTruthy();
    expect(screen.getByText(/您排第 1 位/)).toBeTruthy();
  });
});

describe('staff', () => {
  test('verify a pending volunteer with a reason; it leaves the pending list', async () => {
    logIn(staff());
    const sent = serve({
      'GET /volunteers': ok({
        items: [volunteer({ status: 'pending', isMe: false, canManage: true })],
        nextCursor: null,
      }),
      'POST /volunteers/cccccccccccccccccccccccc/verify': ok(volunteer()),
    });
    render(<ManagePage />);
    await screen.findByText('吴志愿 13800000010');
    expect(sent[0]!.url).toBe('/api/volunteers?status=pending');
    expect(button('通过认证').closest('.at-button')!.className).toContain('at-button--disabled');
    fireEvent.input(screen.getByPlaceholderText('理由（必填，会告知志愿者）'), { target: { value: '身份已核实' } });
    await act(async () => fireEvent.click(button('通过认证')));
    expect(sent.at(-1)!.body).toEqual({ reason: '身份已核实' });
    expect(await screen.findByText('没有待审核的志愿者')).toBeTruthy();
  });

  test('设置: staff change the accept timeout; a refused save keeps the choice and says why', async () => {
    logIn(staff());
    let calls = 0;
    const sent = serve({
      'GET /volunteers': ok({ items: [], nextCursor: null }),
      [`GET /communities/${ids.community}/volunteer-settings`]: ok({ acceptTimeoutMinutes: 120 }),
      [`PUT /communities/${ids.community}/volunteer-settings`]: (req) =>
        ++calls === 1 ? fail(403, 'FORBIDDEN') : ok(req.body),
    });
    render(<ManagePage />);
    fireEvent.click(screen.getByText('设置'));
    await screen.findByText('接单时限');
    expect(screen.getByText('2小时').closest('.at-tag')!.className).toContain('at-tag--active');
    expect(button('保存').closest('.at-button')!.className).toContain('at-button--disabled');
    fireEvent.click(screen.getByText('30分钟'));
    await act(async () => fireEvent.click(button('保存')));
    expect(screen.getByText('30分钟').closest('.at-tag')!.className).toContain('at-tag--active');
    expect(document.querySelector('.form-error')).toBeTruthy();
    await act(async () => fireEvent.click(button('保存')));
    expect(sent.at(-1)).toMatchObject({ method: 'PUT', body: { acceptTimeoutMinutes: 30 } });
    expect(button('保存').closest('.at-button')!.className).toContain('at-button--disabled');
  });

  test('uphold a complaint with a note', async () => {
    __setRouterParams({ id: 'a'.repeat(24) });
    logIn(staff());
    const complained = order({
      state: 'rated',
      complaint: { text: '没来', status: 'open', note: null },
      canDecideComplaint: true,
      requester: { id: 'b'.repeat(24), displayName: '王阿姨', phone: '13800000007', isMe: false },
    });
    const sent = serve({
      'GET /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa': ok(complained),
      'POST /volunteer-orders/aaaaaaaaaaaaaaaaaaaaaaaa/complaint/decide': ok({
        ...complained,
        complaint: { text: '没来', status: 'upheld', note: '核实属实' },
        canDecideComplaint: false,
      }),
    });
    render(<OrderPage />);
    expect(await screen.findByText('居民：王阿姨 13800000007')).toBeTruthy();
    fireEvent.input(screen.getByPlaceholderText('核实情况（居民和志愿者都会看到）'), { target: { value: '核实属实' } });
    await act(async () => fireEvent.click(button('投诉成立，作废时长')));
    expect(sent.at(-1)!.body).toEqual({ upheld: true, note: '核实属实' });
    expect(await screen.findByText(/投诉成立，时长已作废/)).toBeTruthy();
  });
});

test('staff publish an activity: it joins the list with its check-in code', async () => {
  logIn(staff());
  const published = {
    id: '8'.repeat(24),
    title: '夜间安全巡逻',
    kind: 'patrol' as const,
    description: '',
    place: unit,
    startAt: '2026-12-05T11:00:00.000Z',
    endAt: '2026-12-05T13:00:00.000Z',
    places: 10,
    signedUp: 0,
    waiting: 0,
    mine: null,
    waitingPosition: null,
    checkInCode: '135790',
    canManage: true,
    completed: false,
  };
  const sent = serve({
    'GET /volunteer-activities': ok({ items: [], nextCursor: null }),
    'POST /volunteer-activities': ok(published, 201),
  });
  render(<ActivitiesPage />);
  await screen.findByText('暂时没有志愿活动');
  fireEvent.click(button('发布'));
  expect(screen.getByText('请填写活动名称')).toBeTruthy();
  fireEvent.input(document.querySelector('.activity-publish input')!, { target: { value: '夜间安全巡逻' } });
  fireEvent.click(screen.getByText('巡逻'));
  await act(async () => fireEvent.click(button('发布')));
  expect(sent.at(-1)!.body).toMatchObject({ title: '夜间安全巡逻', kind: 'patrol', places: 10 });
  expect(await screen.findByText('签到码 135790')).toBeTruthy();
  expect(button('结束活动并计入时长')).toBeTruthy();
});

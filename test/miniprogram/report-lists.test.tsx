import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { Figures } from '../../shared/schemas/reports';
import FiguresPage from '../../miniprogram/packages/report/figures';
import HandlePage from '../../miniprogram/packages/report/handle';
import OverduePage from '../../miniprogram/packages/report/overdue';
import SnapPage from '../../miniprogram/pages/snap';
import { __leaveAndComeBack, __pullDown, __reachBottom, __setEnv } from './doubles/taro';
import { deferred, logIn, newcomer, ok, serve } from './fixtures';
import { categories, community, gridWorker, owner, report, resetReportApp, staff } from './report-fixtures';

beforeEach(resetReportApp);

// Half an hour and half a minute past the hour, so a few milliseconds of test run change no minute shown.
const hours = (n: number) => new Date(Date.now() + n * 3600_000 + 30 * 60_000 + 30_000).toISOString();

const cards = () => Array.from(document.querySelectorAll('.report-card'));
const cardTexts = () => cards().map((card) => card.querySelector('.report-card__text')!.textContent);

describe('待我处理', () => {
  // As the service sends them: soonest deadline first, so what is overdue comes first.
  const inbox = [
    report(1, { overdue: true, acceptBy: hours(-3), description: '消防通道被堵' }),
    report(2, { state: 'assigned', acceptBy: null, resolveBy: hours(5), description: '门禁坏了' }),
    report(3, { acceptBy: hours(7), description: '楼道堆物' }),
  ];

  test('lists what I handle, soonest deadline first, overdue in red with how late it is', async () => {
    logIn(gridWorker());
    const sent = serve({ 'GET /reports': ok({ items: inbox, nextCursor: null }) });
    render(<HandlePage />);
    await screen.findByText('消防通道被堵');
    expect(sent[0]!.url).toBe('/api/reports?view=handling&limit=20');
    expect(cardTexts()).toEqual(['消防通道被堵', '门禁坏了', '楼道堆物']);
    expect(screen.getByText('1 件已超期，请优先处理')).toBeTruthy();

    const [late, due] = cards();
    expect(late!.className).toContain('report-card--overdue');
    expect(late!.querySelector('.report-card__overdue')!.textContent).toBe('已超期');
    expect(late!.querySelector('.report-card__late')!.textContent).toBe('受理已超期 2小时29分');
    expect(due!.className).not.toContain('report-card--overdue');
    expect(due!.querySelector('.report-card__due')!.textContent).toBe('办结剩 5小时30分');
    expect(due!.textContent).toContain('网格响应');

    fireEvent.click(late!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/report/detail/index?id=${inbox[0]!.id}` });
  });

  test("a report escalated for a missed deadline stays red with how late it is, not the next level's deadline", async () => {
    logIn(staff());
    const escalated = report(4, {
      overdue: true,
      overdueSince: hours(-3),
      acceptBy: hours(5),
      level: 'community',
      description: '井盖缺失',
    });
    serve({ 'GET /reports': ok({ items: [escalated, inbox[2]!], nextCursor: null }) });
    render(<HandlePage />);
    await screen.findByText('井盖缺失');
    expect(cardTexts()).toEqual(['井盖缺失', '楼道堆物']);
    expect(screen.getByText('1 件已超期，请优先处理')).toBeTruthy();
    const [late] = cards();
    expect(late!.className).toContain('report-card--overdue');
    expect(late!.querySelector('.report-card__late')!.textContent).toBe('受理已超期 2小时29分');
    expect(late!.textContent).toContain('社区响应');
  });

  test('filters by state; an empty filter says so', async () => {
    logIn(gridWorker());
    const sent = serve({
      'GET /reports': (req) => ok({ items: req.url.includes('state=resolved') ? [] : inbox, nextCursor: null }),
    });
    render(<HandlePage />);
    await screen.findByText('消防通道被堵');
    await act(async () => fireEvent.click(screen.getByText('待确认')));
    expect(sent.at(-1)!.url).toBe('/api/reports?view=handling&limit=20&state=resolved');
    expect(screen.getByText('没有「待确认」的随手拍')).toBeTruthy();
  });

  test('coming back from a report reloads the list: what I moved has left it', async () => {
    logIn(gridWorker());
    let items = inbox;
    serve({ 'GET /reports': () => ok({ items, nextCursor: null }) });
    render(<HandlePage />);
    await screen.findByText('消防通道被堵');
    items = inbox.slice(1);
    await act(async () => __leaveAndComeBack());
    expect(cardTexts()).toEqual(['门禁坏了', '楼道堆物']);
    expect(screen.queryByText(/件已超期/)).toBeNull();
  });
});

describe('随手拍 tab', () => {
  test('logged out, it explains itself and asks to log in', () => {
    render(<SnapPage />);
    expect(screen.getByText('随手拍 · 立即报')).toBeTruthy();
    expect(screen.getByText('登录后随手拍身边的问题，并跟进处理进度')).toBeTruthy();
  });

  test('a resident: the big button, then my reports with their state, more at the bottom, fresh on pull-down', async () => {
    logIn(owner());
    const more = deferred();
    let first = [
      report(1, { reporter: { displayName: '王阿姨', isMe: true }, followerCount: 2 }),
      report(2, { state: 'resolved', reporter: { displayName: '王阿姨', isMe: true } }),
    ];
    const sent = serve({
      'GET /reports': (req) => (req.url.includes('cursor=') ? more.route() : ok({ items: first, nextCursor: 'c2' })),
    });
    render(<SnapPage />);
    await screen.findByText(first[0]!.description);
    expect(sent[0]!.url).toBe('/api/reports?view=mine&limit=20');
    expect(Array.from(document.querySelectorAll('.report-state')).map((el) => el.textContent)).toEqual([
      '待受理',
      '待确认',
    ]);
    expect(screen.getByText('2 位邻居也遇到')).toBeTruthy();
    expect(screen.queryByText('待我处理')).toBeNull();

    fireEvent.click(screen.getByText('拍一拍，立即报'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/report/new/index' });

    await act(async () => __reachBottom());
    await act(async () => more.release(ok({ items: [report(3, { state: 'closed' })], nextCursor: null })));
    expect(cardTexts()).toHaveLength(3);
    expect(screen.getByText('没有更多了')).toBeTruthy();

    first = [report(4)];
    await act(async () => __pullDown());
    expect(cardTexts()).toEqual([report(4).description]);
    expect(Taro.stopPullDownRefresh).toHaveBeenCalled();
  });

  test('coming back without signal keeps my reports on screen', async () => {
    logIn(owner());
    let online = true;
    serve({ 'GET /reports': () => (online ? ok({ items: [report(1)], nextCursor: null }) : 'network-error') });
    render(<SnapPage />);
    await screen.findByText(report(1).description);
    online = false;
    await act(async () => __leaveAndComeBack());
    expect(screen.getByText(report(1).description)).toBeTruthy();
    expect(screen.queryByText('网络不给力，请检查网络后重试')).toBeNull();
  });

  test('a resident without reports is invited to snap the first one', async () => {
    logIn(owner());
    serve({ 'GET /reports': ok({ items: [], nextCursor: null }) });
    render(<SnapPage />);
    expect(await screen.findByText(/还没有报过问题/)).toBeTruthy();
  });

  test('someone who has not joined is asked to join first', () => {
    logIn(newcomer());
    serve({});
    render(<SnapPage />);
    expect(screen.getByText('加入社区后即可随手拍')).toBeTruthy();
    fireEvent.click(screen.getByText('加入社区'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/join/index' });
  });

  test('a grid worker sees 待我处理 with how many wait and how many are late', async () => {
    logIn(gridWorker());
    serve({
      'GET /reports': ok({ items: [report(1, { overdue: true }), report(2)], nextCursor: null }),
    });
    render(<SnapPage />);
    expect(await screen.findByText('其中 1 件已超期')).toBeTruthy();
    expect(screen.getByText('2', { selector: '.snap__count' })).toBeTruthy();
    // Grid workers follow their grid's ledger and figures too.
    expect(screen.getByText('超期台账')).toBeTruthy();
    fireEvent.click(screen.getByText('待我处理'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/report/handle/index' });
  });

  test('staff also reach the overdue ledger and the figures', async () => {
    logIn(staff());
    serve({ 'GET /reports': ok({ items: [], nextCursor: 'more' }) });
    render(<SnapPage />);
    expect(await screen.findByText('50+')).toBeTruthy();
    fireEvent.click(screen.getByText('超期台账'));
    fireEvent.click(screen.getByText('数据统计'));
    expect((Taro.navigateTo as jest.Mock).mock.calls.map(([o]) => o.url)).toEqual([
      '/packages/report/overdue/index',
      '/packages/report/figures/index',
    ]);
  });
});

describe('超期台账 and 数据统计', () => {
  test('the ledger lists each missed deadline with its escalation', async () => {
    logIn(staff());
    const sent = serve({
      'GET /reports/overdue-ledger': ok({
        items: [
          {
            reportId: report(1).id,
            category: 'safety',
            kind: 'accept',
            deadline: '2026-11-20T02:00:00Z',
            detectedAt: '2026-11-20T02:01:00Z',
            fromLevel: 'grid',
            toLevel: 'community',
            state: 'accepted',
          },
        ],
        nextCursor: null,
      }),
      'GET /report-categories': ok(categories),
    });
    render(<OverduePage />);
    expect(await screen.findByText('安全隐患')).toBeTruthy();
    expect(screen.getByText('受理超期')).toBeTruthy();
    expect(screen.getByText(/升级：网格 → 社区/)).toBeTruthy();
    expect(sent.find((r) => r.path === '/reports/overdue-ledger')!.url).toBe(
      `/api/reports/overdue-ledger?communityId=${community.id}&limit=20`,
    );
    fireEvent.click(screen.getByText('安全隐患'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/report/detail/index?id=${report(1).id}` });
  });

  const figures: Figures = {
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-22T00:00:00Z',
    // Five past the current hour: shown as a time of today whatever the date the tests run on.
    computedAt: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 5 * 60_000).toISOString(),
    total: 12,
    byCategory: [
      { category: 'sanitation', name: '环境卫生', total: 5 },
      { category: 'safety', name: '安全隐患', total: 7 },
    ],
    byState: { submitted: 2, closed: 9, resolved: 1 },
    byCategoryAndState: [],
    responseRate: { numerator: 9, denominator: 10, rate: 0.9 },
    onTimeResolutionRate: { numerator: 2, denominator: 3, rate: 2 / 3 },
    satisfaction: { rated: 8, mean: 4.625, shareAtLeast4: 0.875 },
    reopenRate: { numerator: 0, denominator: 0, rate: null },
    timeToAccept: { count: 10, meanMinutes: 95, p90Minutes: 300 },
    timeToResolve: { count: 0, meanMinutes: null, p90Minutes: null },
    overdue: [
      {
        id: report(5).id,
        category: 'safety',
        state: 'submitted',
        level: 'community',
        deadline: '2026-11-21T02:00:00Z',
        kind: 'accept',
      },
    ],
  };

  test('the figures show as numbers, gauges and bars; another period asks again', async () => {
    logIn(staff());
    const sent = serve({ 'GET /reports/figures': ok(figures) });
    render(<FiguresPage />);
    expect(await screen.findByText('90%')).toBeTruthy();
    expect(screen.getByText('66.7%')).toBeTruthy();
    expect(screen.getByText('87.5%')).toBeTruthy();
    expect(screen.getByText('—')).toBeTruthy();
    expect(screen.getByText('4.6')).toBeTruthy();
    expect(screen.getByText('平均 1小时35分 · 90% 在 5小时 内（10 件）')).toBeTruthy();
    expect(screen.getByText('暂无数据')).toBeTruthy();
    // Bars by category, largest first, scaled to it.
    const rows = Array.from(document.querySelectorAll('.bars'))[0]!.querySelectorAll('.bars__row');
    expect(Array.from(rows).map((row) => row.textContent)).toEqual(['安全隐患7', '环境卫生5']);
    expect((rows[1]!.querySelector('.bars__fill') as HTMLElement).style.width).toBe('71%');
    expect(screen.getByText('安全隐患 · 受理超期 · 待受理')).toBeTruthy();
    expect(screen.getByText(/^统计于 .*\d\d:05 · 每分钟更新$/)).toBeTruthy();

    const first = new URL(`http://x${sent[0]!.url}`).searchParams;
    expect(first.get('communityId')).toBe(community.id);
    // An open period ends at the next whole minute, so the service can reuse its figures within it.
    expect(new Date(first.get('to')!).getTime() % 60_000).toBe(0);
    expect(new Date(first.get('to')!).getTime()).toBeGreaterThan(Date.now());
    await act(async () => fireEvent.click(screen.getByText('上月')));
    const second = new URL(`http://x${sent.at(-1)!.url}`).searchParams;
    expect(second.get('to')).toBe(first.get('from'));
  });

  test('in WeChat the figures export as CSV text to copy, for the very range shown', async () => {
    __setEnv('WEAPP');
    logIn(staff());
    const csv = '\uFEFF随手拍统计,2026-11-01 08:00,2026-11-22 08:00\n报事总数,12\n';
    const sent = serve({ 'GET /reports/figures': ok(figures), 'GET /reports/figures/export': ok(csv) });
    render(<FiguresPage />);
    await screen.findByText('90%');
    await act(async () => fireEvent.click(screen.getByText('导出统计 CSV')));
    const asked = new URL(`http://x${sent.at(-1)!.url}`);
    expect(asked.pathname).toBe('/api/reports/figures/export');
    expect([asked.searchParams.get('from'), asked.searchParams.get('to')]).toEqual([figures.from, figures.to]);
    expect(asked.searchParams.get('communityId')).toBe(community.id);
    expect(screen.getByText(/^随手拍统计,2026-11-01 08:00/).textContent).toBe(csv.slice(1));
    expect(screen.getByText('复制到剪贴板')).toBeTruthy();
  });

  test('in a browser the overdue ledger downloads as a CSV file', async () => {
    logIn(staff());
    const sent = serve({
      'GET /reports/overdue-ledger': ok({
        items: [
          {
            reportId: report(1).id,
            category: 'safety',
            kind: 'resolve',
            deadline: '2026-11-20T02:00:00Z',
            detectedAt: '2026-11-20T02:01:00Z',
            fromLevel: 'grid',
            toLevel: 'community',
            state: 'assigned',
          },
        ],
        nextCursor: null,
      }),
      'GET /report-categories': ok(categories),
      'GET /reports/overdue-ledger/export': ok('\uFEFF发现时间,报事编号\n'),
    });
    const saved: { href: string; download: string }[] = [];
    URL.createObjectURL = jest.fn(() => 'blob:ledger');
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ href: this.href, download: this.download });
    });
    try {
      render(<OverduePage />);
      await screen.findByText('安全隐患');
      await act(async () => fireEvent.click(await screen.findByText('导出台账 CSV')));
      expect(sent.at(-1)!.url).toBe(`/api/reports/overdue-ledger/export?communityId=${community.id}`);
      expect(saved).toEqual([{ href: 'blob:ledger', download: 'overdue-ledger.csv' }]);
    } finally {
      click.mockRestore();
    }
  });

  test("a period without reports says so; a grid worker sees their grid's figures", async () => {
    logIn(staff());
    serve({ 'GET /reports/figures': ok({ ...figures, total: 0 }) });
    const { unmount } = render(<FiguresPage />);
    expect(await screen.findByText('这段时间没有随手拍')).toBeTruthy();
    unmount();

    logIn(gridWorker());
    const sent = serve({ 'GET /reports/figures': ok({ ...figures, total: 0 }) });
    render(<FiguresPage />);
    expect(await screen.findByText('这段时间没有随手拍')).toBeTruthy();
    expect(sent[0]!.url).toContain('gridId=750000000000000000000001');
  });
});

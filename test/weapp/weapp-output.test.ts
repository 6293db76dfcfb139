import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { captain, joinRequest, myChannels, newcomer, preview, session } from '../miniprogram/demo-data';
import {
  apiPath,
  launchWeapp,
  readAppJson,
  subpackagePages,
  until,
  untilEachOffersLogin,
  weappDist,
  type WxRequest,
} from './harness';

const MB = 1024 * 1024;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function sourceAppConfig() {
  (globalThis as Record<string, unknown>).defineAppConfig = (config: unknown) => config;
  return require('../../miniprogram/app.config').default as ReturnType<typeof readAppJson>;
}

describe('compiled weapp output', () => {
  test('app.json declares exactly the pages and tab bar of app.config.ts, and every page is compiled', () => {
    const built = readAppJson();
    const source = sourceAppConfig();
    expect(built.pages).toEqual(source.pages);
    expect(built.subPackages ?? []).toEqual(source.subPackages ?? []);
    expect(built.tabBar?.list.map((t) => t.pagePath)).toEqual(source.tabBar?.list.map((t) => t.pagePath));
    const allPages = [
      ...built.pages,
      ...(built.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
    ];
    for (const page of allPages) {
      for (const ext of ['js', 'json', 'wxml']) expect(existsSync(join(weappDist, `${page}.${ext}`))).toBe(true);
    }
    // WeChat requires tab pages in the main package.
    for (const tab of built.tabBar?.list ?? []) expect(built.pages).toContain(tab.pagePath);
  });

  test('every tab has an 81×81 PNG icon and a selected one, shipped in the main package', () => {
    const tabs = readAppJson().tabBar?.list ?? [];
    expect(tabs).toHaveLength(3);
    for (const tab of tabs) {
      for (const icon of [tab.iconPath, tab.selectedIconPath]) {
        const png = readFileSync(join(weappDist, icon!));
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([81, 81]);
      }
    }
  });

  test('the main package and each subpackage fit WeChat limits (2 MB each, 20 MB total)', () => {
    const roots = (readAppJson().subPackages ?? []).map((p) => p.root.replace(/\/$/, ''));
    const sizes: Record<string, number> = { main: 0 };
    for (const file of filesUnder(weappDist)) {
      const rel = relative(weappDist, file);
      if (rel.endsWith('.LICENSE.txt') || rel === 'project.config.json') continue;
      const root = roots.find((r) => rel.startsWith(`${r}/`)) ?? 'main';
      sizes[root] = (sizes[root] ?? 0) + statSync(file).size;
    }
    for (const [name, size] of Object.entries(sizes))
      expect({ name, size: size <= 2 * MB }).toEqual({ name, size: true });
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20 * MB);
  });

  test('logs in with 微信一键登录; the home page then loads my channels with the token and recovers with 重试', async () => {
    let healthy = false;
    const requests: WxRequest[] = [];
    const weapp = launchWeapp((req) => {
      requests.push(req);
      const path = apiPath(req);
      if (path === '/auth/login') return { statusCode: 200, data: session(captain()) };
      if (path === '/me') return { statusCode: 200, data: captain() };
      if (path === '/join-requests') return { statusCode: 200, data: [] };
      if (path === '/channels' && healthy) return { statusCode: 200, data: myChannels };
      return { statusCode: 503, data: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'x', reqId: 'r' } };
    });
    const me = weapp.open('pages/me/index');
    await until(() => me.text().includes('微信一键登录'), 'the login button');
    me.tap(me.findByText('微信一键登录')!);
    await until(() => me.text().includes('张楼长'), 'the profile');
    expect(requests.find((r) => r.url.endsWith('/auth/login'))!.data).toEqual({ code: '123456789' });
    expect(me.text()).toContain('待审批');
    me.tap(me.findByText('加入社区')!);
    expect(weapp.navigations).toEqual(['/packages/community/join/index']);

    const home = weapp.open('pages/index/index');
    await until(() => home.text().includes('服务暂不可用'), 'the error state');
    const channelCall = requests.find((r) => r.url.endsWith('/channels'))!;
    expect(channelCall.url).toBe('http://127.0.0.1:3000/api/channels');
    expect(channelCall.header?.authorization).toBe('Bearer access-1');

    healthy = true;
    home.tap(home.findByText('重试')!);
    await until(() => home.text().includes('社区群'), 'the loaded state');
    expect(home.text()).toContain('幸福里社区');
    expect(weapp.storage.get('linli.session')).toMatchObject({ accessToken: 'access-1' });
  });

  test('every tab page loads and shows its content or empty state', async () => {
    const weapp = launchWeapp(() => 'network-error');
    const home = weapp.open('pages/index/index');
    await until(() => home.text().includes('欢迎来到邻里'), 'the home page');
    const snap = weapp.open('pages/snap/index');
    await until(() => snap.text().includes('随手拍'), 'the snap page');
    const me = weapp.open('pages/me/index');
    await until(() => me.text().includes('微信一键登录'), 'the me page');
  });

  test('every community subpackage page loads and, logged out, offers to log in', async () => {
    const pages = subpackagePages('packages/community');
    expect(pages).toHaveLength(7);
    await untilEachOffersLogin(pages);
  });

  test('the join page opened from an invite QR code shows the unit, takes a room and relation and applies', async () => {
    const storage = new Map<string, unknown>([['linli.session', session(newcomer())]]);
    const requests: WxRequest[] = [];
    const weapp = launchWeapp((req) => {
      requests.push(req);
      if (req.url.includes('/invites/K7M2PQ8X')) return { statusCode: 200, data: preview };
      if (req.method === 'POST' && req.url.endsWith('/join-requests'))
        return { statusCode: 201, data: { ...joinRequest(), ...(req.data as object) } };
      if (req.url.includes('/join-requests')) return { statusCode: 200, data: [] };
      return { statusCode: 200, data: newcomer() };
    }, storage);
    const join = weapp.open('packages/community/join/index', { code: 'K7M2PQ8X' });
    await until(() => join.text().includes('选择房号'), 'the join form');
    expect(join.text()).toContain('幸福里社区 · 阳光花园 · 1栋 · 1单元');
    expect(join.text()).toContain('4层');

    // A user taps one thing at a time: each tap is rendered before the next.
    const selected = (text: string) => String(join.findByText(text)?.cl).includes('at-tag--active');
    join.tap(join.findByText('402')!);
    await until(() => selected('402'), 'the room selected');
    join.tap(join.findByText('租户')!);
    await until(() => selected('租户'), 'the relation selected');
    join.tap(join.findByText('提交申请')!);
    await until(() => join.text().includes('等待楼长/单元长审核'), 'the pending state');
    expect(requests.find((r) => r.method === 'POST')!.data).toEqual({
      code: 'K7M2PQ8X',
      room: '402',
      relation: 'tenant',
    });
  });
});

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { launchWeapp, readAppJson, until, weappDist } from './harness';

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

  test('launches, renders the home page from the API and recovers from an error with a tap on 重试', async () => {
    let healthy = false;
    const requests: string[] = [];
    const weapp = launchWeapp((req) => {
      requests.push(req.url);
      return healthy
        ? { statusCode: 200, data: { name: '邻里', version: '3.1.4', serverTime: new Date().toISOString() } }
        : { statusCode: 503, data: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'x', reqId: 'r' } };
    });
    const home = weapp.open('pages/index/index');
    await until(() => home.text().includes('服务暂不可用'), 'the error state');
    expect(requests[0]).toBe('http://127.0.0.1:3000/api/app-info');

    healthy = true;
    home.tap(home.findByText('重试')!);
    await until(() => home.text().includes('版本 3.1.4'), 'the loaded state');
    expect(home.text()).toContain('与邻为善');
  });

  test('every tab page loads and shows its content or empty state', async () => {
    const weapp = launchWeapp(() => 'network-error');
    const snap = weapp.open('pages/snap/index');
    await until(() => snap.text().includes('随手拍'), 'the snap page');
    const me = weapp.open('pages/me/index');
    await until(() => me.text().includes('登录'), 'the me page');
  });
});

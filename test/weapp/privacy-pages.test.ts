import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSENT_KIND_LABELS, PRIVACY_POLICY_VERSION } from '../../shared/privacy';
import type { ConsentView } from '../../shared/schemas/privacy';
import { owner } from '../miniprogram/demo-data';
import {
  byClass,
  launchAs,
  launchWeapp,
  ok,
  subpackagePages,
  tapText,
  until,
  untilEachOffersLogin,
  weappDist,
  type WeappPage,
} from './harness';

/** WeChat's privacy authorisation and the 隐私与授权 subpackage, compiled, as WeChat runs them. */

const wx = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;

function recordToasts(): string[] {
  const toasts: string[] = [];
  wx().showToast = (options: { title: string; success?: () => void }) => {
    toasts.push(options.title);
    options.success?.();
  };
  return toasts;
}

const popupShown = (page: WeappPage) => page.text().includes('隐私保护提示');

test('app.json turns on the privacy check and declares exactly the location API the app calls', () => {
  const appJson = JSON.parse(readFileSync(join(weappDist, 'app.json'), 'utf8'));
  expect(appJson.__usePrivacyCheck__).toBe(true);
  expect(appJson.requiredPrivateInfos).toEqual(['getLocation']);
  expect(Object.keys(appJson.permission)).toEqual(['scope.userLocation']);
  // WeChat shows at most 30 characters of a purpose.
  expect(appJson.permission['scope.userLocation'].desc.length).toBeLessThanOrEqual(30);
  expect(appJson.permission['scope.userLocation'].desc).toContain('随手拍');
  // The compiled code calls getLocation and no other location API.
  const code = readFileSync(join(weappDist, 'packages/report/new/index.js'), 'utf8');
  expect(code).toContain('getLocation');
  expect(code).not.toMatch(/chooseLocation|getFuzzyLocation|startLocationUpdate/);
});

test('the privacy pages: the policy for anyone; my consents, my data and my profile offer to log in', async () => {
  const pages = subpackagePages('packages/privacy');
  expect(pages).toEqual([
    'packages/privacy/policy/index',
    'packages/privacy/consents/index',
    'packages/privacy/data/index',
    'packages/privacy/profile/index',
  ]);
  await untilEachOffersLogin(pages.slice(1));
  const policy = launchWeapp(() => 'network-error').open('packages/privacy/policy/index');
  await until(() => policy.text().includes(`版本 ${PRIVACY_POLICY_VERSION}`), 'the policy with its version');
  expect(policy.text()).toContain('五、还有谁会收到您的信息');
});

test('WeChat asks for the agreement: the popup opens on the page, 拒绝 answers disagree and leaves the page usable', async () => {
  const { weapp, requests } = launchAs(owner(), (_req, path) => (path === '/me' ? ok(owner()) : undefined));
  const toasts = recordToasts();
  const me = weapp.open('pages/me/index');
  await until(() => me.text().includes('隐私与授权'), 'the 我的 page');
  expect(popupShown(me)).toBe(false);

  const answers = weapp.needPrivacyAuthorization('chooseMedia');
  await until(() => popupShown(me), 'the privacy popup');
  await until(() => me.text().includes('《邻里小程序隐私保护指引》'), 'the agreement’s name');
  expect(me.text()).toContain('查看《隐私政策》全文');
  expect(answers).toEqual([{ event: 'exposureAuthorization' }]);

  tapText(me, '拒绝');
  await until(() => !popupShown(me), 'the popup closed');
  expect(answers.at(-1)).toEqual({ event: 'disagree' });
  expect(toasts.at(-1)).toContain('您未同意隐私保护指引');
  // Still the same page, still working: nothing remembered, nothing sent, the entries open.
  expect(weapp.storage.has('linli.privacy')).toBe(false);
  expect(requests.some((r) => r.url.includes('privacy-acceptance'))).toBe(false);
  tapText(me, '我的授权');
  expect(weapp.navigations).toEqual(['/packages/privacy/consents/index']);
});

test('同意 (open-type agreePrivacyAuthorization) answers agree with its button id and records the acceptance', async () => {
  const { weapp, requests } = launchAs(owner(), (req, path) => {
    if (path === '/me') return ok(owner());
    if (path === '/me/privacy-acceptance')
      return ok({ version: (req.data as { version: string }).version, acceptedAt: '2026-12-03T10:00:00.000Z' });
    return undefined;
  });
  const me = weapp.open('pages/me/index');
  await until(() => me.text().includes('隐私与授权'), 'the 我的 page');
  const answers = weapp.needPrivacyAuthorization('getLocation');
  await until(() => popupShown(me), 'the privacy popup');
  const agree = byClass(me.root, 'privacy-popup__button--agree')!;
  expect(agree).toBeDefined();
  me.fire(agree, 'agreeprivacyauthorization', {});
  await until(() => !popupShown(me), 'the popup closed');
  expect(answers.at(-1)).toEqual({ buttonId: 'privacy-agree', event: 'agree' });
  await until(() => requests.some((r) => r.url.endsWith('/me/privacy-acceptance')), 'the acceptance recorded');
  const sent = requests.find((r) => r.url.endsWith('/me/privacy-acceptance'))!;
  expect(sent.method).toBe('POST');
  expect(sent.data).toEqual({ version: PRIVACY_POLICY_VERSION });
  expect(weapp.storage.get('linli.privacy')).toMatchObject({ version: PRIVACY_POLICY_VERSION });
});

test('我的授权: a consent with what it is about, revoked after asking, then 已撤回', async () => {
  const consent: ConsentView = {
    id: 'c00000000000000000000001',
    kind: 'board_name',
    itemKind: 'board_entry',
    itemId: 'e00000000000000000000001',
    title: '扶老人上楼',
    granted: true,
    grantedAt: '2026-11-20T02:00:00.000Z',
    revokedAt: null,
    version: PRIVACY_POLICY_VERSION,
  };
  const { weapp, requests } = launchAs(owner(), (_req, path) => {
    if (path === '/me/consents') return ok({ items: [consent] });
    if (path === `/me/consents/${consent.id}/revoke`)
      return ok({ ...consent, granted: false, revokedAt: '2026-12-03T10:00:00.000Z' });
    return undefined;
  });
  wx().showModal = (options: { success?: (r: unknown) => void }) =>
    options.success?.({ confirm: true, cancel: false, errMsg: 'showModal:ok' });
  const page = weapp.open('packages/privacy/consents/index');
  await until(() => page.text().includes(CONSENT_KIND_LABELS.board_name.title), 'the consent');
  expect(page.text()).toContain('红黑榜：扶老人上楼');
  tapText(page, '撤回授权');
  await until(() => page.text().includes('已撤回'), 'the consent revoked');
  expect(requests.some((r) => r.method === 'POST' && r.url.endsWith(`/me/consents/${consent.id}/revoke`))).toBe(true);
});

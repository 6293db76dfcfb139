import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Me } from '../../shared/schemas/people';
import { session } from '../miniprogram/demo-data';

/**
 * Runs the compiled weapp output (dist/weapp) in Node the way WeChat would: App/Page globals, a `wx`
 * from miniprogram-simulate, `onLaunch`, a page's `onLoad` with a recording `setData`, and taps sent
 * through the page's event handler. What the page shows is read from the data WeChat would render.
 */
export const weappDist = resolve(__dirname, '../../dist/weapp');

/** A node of Taro's render tree as sent through setData: nn = template, sid = id, v = text, cn = children. */
export interface RenderNode {
  nn?: string;
  sid?: string;
  v?: string;
  cl?: string;
  cn?: RenderNode[];
  [key: string]: unknown;
}

export interface WxRequest {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
}
export type RequestHandler = (req: WxRequest) => { statusCode: number; data: unknown } | 'network-error';

type Handler = (this: PageInstance, ...args: unknown[]) => unknown;
type PageConfig = Record<string, Handler> & { eh: Handler };
interface PageInstance {
  data: { root?: RenderNode };
  route: string;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
}

/** Applies a setData patch (`root.cn.[0].cn.[1].v` keys) to the page data, as WeChat's render layer does. */
function applyPatch(data: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [path, value] of Object.entries(patch)) {
    const keys = path.split('.').map((key) => (/^\[\d+\]$/.test(key) ? Number(key.slice(1, -1)) : key));
    let target: Record<string | number, unknown> = data;
    keys.slice(0, -1).forEach((key, i) => {
      if (typeof target[key] !== 'object' || target[key] === null)
        target[key] = typeof keys[i + 1] === 'number' ? [] : {};
      target = target[key] as Record<string | number, unknown>;
    });
    target[keys[keys.length - 1]!] = value;
  }
}

export function readAppJson(): {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
} {
  const file = join(weappDist, 'app.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:weapp\` first`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

let tapTemplates: Set<string> | undefined;
/** Template ids (a node's `nn`) whose root element has `bindtap`/`catchtap` in the compiled base.wxml. */
function tapBindingTemplates(): Set<string> {
  if (!tapTemplates) {
    const wxml = readFileSync(join(weappDist, 'base.wxml'), 'utf8');
    tapTemplates = new Set(
      [...wxml.matchAll(/<template name="tmpl_0_(\w+)">\s*<[\w-]+([^>]*)>/g)]
        .filter(([, , attrs]) => /(bind|catch)tap="eh"/.test(attrs ?? ''))
        .map(([, id]) => id!),
    );
  }
  return tapTemplates;
}

export class WeappPage {
  constructor(
    private readonly config: PageConfig,
    readonly instance: PageInstance,
  ) {}

  get root(): RenderNode {
    return this.instance.data.root ?? {};
  }

  /** All text the page shows, in document order. */
  texts(node: RenderNode = this.root): string[] {
    return [
      ...(typeof node.v === 'string' && node.v.trim() ? [node.v] : []),
      ...(node.cn ?? []).flatMap((c) => this.texts(c)),
    ];
  }

  text(): string {
    return this.texts().join('');
  }

  /** The innermost element (not a text leaf) whose text contains `text`. */
  findByText(text: string, node: RenderNode = this.root): RenderNode | undefined {
    for (const child of node.cn ?? []) {
      const found = this.findByText(text, child);
      if (found) return found;
    }
    return node.v === undefined && node.sid && this.texts(node).join('').includes(text) ? node : undefined;
  }

  /** The nodes from the root down to `node`. */
  private pathTo(node: RenderNode, from: RenderNode = this.root): RenderNode[] | undefined {
    if (from === node) return [from];
    for (const child of from.cn ?? []) {
      const path = this.pathTo(node, child);
      if (path) return [from, ...path];
    }
    return undefined;
  }

  /**
   * Taps `node` as WeChat does: the tap bubbles from the node outwards and the page's `eh` is called
   * once for every element on the way whose template binds `tap` (base.wxml decides which do).
   */
  tap(node: RenderNode): void {
    const path = this.pathTo(node);
    if (!path) throw new Error('tap: node is not on the page');
    const target = { id: node.sid, dataset: { sid: node.sid } };
    for (const element of path.reverse()) {
      if (!element.sid || !tapBindingTemplates().has(String(element.nn))) continue;
      const currentTarget = { id: element.sid, dataset: { sid: element.sid } };
      this.config.eh.call(this.instance, { type: 'tap', timeStamp: Date.now(), target, currentTarget, detail: {} });
    }
  }

  /**
   * Sends an event other than a tap (touchstart, touchmove…) to `node` itself, as WeChat does when its
   * template binds it; `fields` are the event's own (touches, changedTouches).
   */
  fire(node: RenderNode, type: string, fields: Record<string, unknown>): void {
    const target = { id: node.sid, dataset: { sid: node.sid } };
    this.config.eh.call(this.instance, {
      type,
      timeStamp: Date.now(),
      target,
      currentTarget: target,
      detail: {},
      ...fields,
    });
  }

  pullDownRefresh(): void {
    this.config.onPullDownRefresh!.call(this.instance);
  }
}

type Callbacks = { url?: string; success?: (r: unknown) => void; complete?: () => void };

/**
 * Loads app.js with the globals WeChat provides; `open` then loads and shows one page. `storage` is the
 * mini-program's local storage (pass the same map to a later launch to restart with what it kept);
 * `navigations` records the pages the app asked WeChat to open.
 */
export function launchWeapp(handleRequest: RequestHandler, storage = new Map<string, unknown>()) {
  // A fresh module registry per launch: each launch runs app.js and Taro's runtime from scratch.
  jest.resetModules();
  const simulatedApi = require('miniprogram-simulate/src/api');
  const globals = globalThis as Record<string, unknown>;
  let appConfig: Record<string, Handler> | undefined;
  let pageConfig: PageConfig | undefined;
  const stack: PageInstance[] = [];
  const navigations: string[] = [];
  // WeChat's privacy check: the app's listener, and how it answered each request (`needPrivacyAuthorization`).
  const privacyListeners: ((resolve: (answer: unknown) => void, info: { referrer: string }) => void)[] = [];
  const navigate = (options: Callbacks) => {
    navigations.push(options.url ?? '');
    options.success?.({ errMsg: 'ok' });
    options.complete?.();
  };

  globals.wx = {
    ...simulatedApi,
    request(
      options: WxRequest & { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: () => void },
    ) {
      setTimeout(() => {
        const result = handleRequest(options);
        if (result === 'network-error') options.fail?.({ errMsg: 'request:fail timeout' });
        else options.success?.({ ...result, header: {}, errMsg: 'request:ok' });
        options.complete?.();
      }, 1);
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    stopPullDownRefresh() {},
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    navigateTo: navigate,
    switchTab: navigate,
    onNeedPrivacyAuthorization: (listener: (typeof privacyListeners)[number]) => void privacyListeners.push(listener),
    getPrivacySetting: (options: { success?: (r: unknown) => void }) =>
      options.success?.({ needAuthorization: true, privacyContractName: '《邻里小程序隐私保护指引》', errMsg: 'ok' }),
  };
  globals.App = (config: Record<string, Handler>) => (appConfig = config);
  globals.Page = (config: PageConfig) => (pageConfig = config);
  globals.Component = () => undefined;
  globals.getApp = () => appConfig;
  globals.getCurrentPages = () => stack;
  globals.__wxConfig = { envVersion: 'develop', pages: readAppJson().pages };

  require(join(weappDist, 'app.js'));
  if (!appConfig) throw new Error('app.js did not call App()');
  appConfig.onLaunch?.call(appConfig as never, { path: 'pages/index/index', query: {} });

  return {
    app: appConfig,
    storage,
    navigations,
    /**
     * WeChat holding back a privacy API the user has not agreed to: calls the app's listener; returns what the
     * app passed to `resolve` (exposure, then agree or disagree).
     */
    needPrivacyAuthorization(referrer = 'chooseMedia'): unknown[] {
      const answers: unknown[] = [];
      for (const listener of privacyListeners) listener((answer) => answers.push(answer), { referrer });
      return answers;
    },
    /** Opens `route` as WeChat does for a link or a scanned code: `query` is the page's options. */
    open(route: string, query: Record<string, string> = {}): WeappPage {
      pageConfig = undefined;
      require(join(weappDist, `${route}.js`));
      if (!pageConfig) throw new Error(`${route}.js did not call Page()`);
      const config: PageConfig = pageConfig;
      // WeChat page instances see the page's methods on themselves (Taro marks `this.onReady.called`).
      const instance: PageInstance = Object.assign(Object.create(config) as object, {
        data: {},
        route,
        setData(this: PageInstance, patch: Record<string, unknown>, callback?: () => void) {
          applyPatch(this.data as Record<string, unknown>, patch);
          callback?.();
        },
      });
      stack.push(instance);
      config.onLoad?.call(instance, query);
      config.onShow?.call(instance);
      config.onReady?.call(instance);
      return new WeappPage(config, instance);
    },
  };
}

/** Waits until `predicate` holds (the page renders asynchronously after a request answers). */
export async function until(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Taps the innermost element showing `text`; fails the test when nothing shows it. */
export function tapText(page: WeappPage, text: string): void {
  const node = page.findByText(text);
  if (!node) throw new Error(`nothing shows ${text}`);
  page.tap(node);
}

const hasClass = (node: RenderNode, className: string) =>
  String(node.cl ?? '')
    .split(' ')
    .includes(className);

/** Every element whose class list has `className`, in document order. */
export function allByClass(node: RenderNode, className: string): RenderNode[] {
  const own = hasClass(node, className) ? [node] : [];
  return [...own, ...(node.cn ?? []).flatMap((child) => allByClass(child, className))];
}

/** The innermost element whose class list has `className`. */
export function byClass(node: RenderNode, className: string): RenderNode | undefined {
  for (const child of node.cn ?? []) {
    const found = byClass(child, className);
    if (found) return found;
  }
  return hasClass(node, className) ? node : undefined;
}

export type Reply = { statusCode: number; data: unknown };
export const ok = (data: unknown): Reply => ({ statusCode: 200, data });

/** The API path a request is for: `/reports/…`, without the service's base URL and the query. */
export function apiPath(req: WxRequest): string {
  return req.url.replace('http://127.0.0.1:3000/api', '').split('?')[0]!;
}

/**
 * The app with `me` logged in (the session already in storage) and the service played by `answer(req, path)`;
 * what it leaves unanswered is 404. `requests` records what the app sent.
 */
export function launchAs(me: Me, answer: (req: WxRequest, path: string) => Reply | undefined) {
  const requests: WxRequest[] = [];
  const weapp = launchWeapp(
    (req) => {
      requests.push(req);
      return (
        answer(req, apiPath(req)) ?? {
          statusCode: 404,
          data: { statusCode: 404, code: 'NOT_FOUND', message: 'x', reqId: 'r' },
        }
      );
    },
    new Map<string, unknown>([['linli.session', session(me)]]),
  );
  return { weapp, requests };
}

/** The pages of the subpackages with these roots, as app.json lists them (`root/page`). */
export function subpackagePages(...roots: string[]): string[] {
  return (readAppJson().subPackages ?? [])
    .filter((p) => roots.includes(p.root))
    .flatMap((p) => p.pages.map((page) => `${p.root}/${page}`));
}

/** Opens each page with nobody logged in (and no service) and waits for it to offer 微信一键登录. */
export async function untilEachOffersLogin(routes: string[]): Promise<void> {
  const weapp = launchWeapp(() => 'network-error');
  for (const route of routes) {
    const page = weapp.open(route);
    await until(() => page.text().includes('微信一键登录'), `the login prompt of ${route}`);
  }
}

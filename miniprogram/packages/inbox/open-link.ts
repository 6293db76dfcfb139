import Taro from '@tarojs/taro';

/** The tab pages of app.config.ts: WeChat opens them only with switchTab, and without a query. */
const TAB_PAGES = ['pages/index/index', 'pages/snap/index', 'pages/me/index'];

/**
 * Opens the page a message links to (`packages/community/approvals/index`, `pages/me/index`…). Resolves
 * false when there is no such page in this version of the mini-program.
 */
export function openLink(link: string): Promise<boolean> {
  const url = `/${link.replace(/^\/+/, '')}`;
  const path = url.slice(1).split('?')[0]!;
  const opened = TAB_PAGES.includes(path) ? Taro.switchTab({ url: `/${path}` }) : Taro.navigateTo({ url });
  return opened.then(
    () => true,
    () => false,
  );
}

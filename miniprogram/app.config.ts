export default defineAppConfig({
  pages: ['pages/index/index', 'pages/snap/index', 'pages/me/index'],
  // One subpackage per feature area.
  subPackages: [
    {
      root: 'packages/community',
      pages: [
        'join/index',
        'household/index',
        'channels/index',
        'channel/index',
        'notice-edit/index',
        'approvals/index',
        'invites/index',
      ],
    },
    { root: 'packages/inbox', pages: ['index/index'] },
    // Community staff: the moderation queue and photo redaction; item timelines (authors see theirs too).
    { root: 'packages/admin', pages: ['moderation/index', 'redact/index', 'timeline/index'] },
    // 管理 (community staff, street staff, the admin): places and roles, grids, report categories, CSV import, Open311
    // keys; two columns on a desktop browser.
    {
      root: 'packages/manage',
      pages: ['index/index', 'places/index', 'grids/index', 'categories/index', 'import/index', 'keys/index'],
    },
    // 随手拍: filing, a report's page with its moves, the handler inbox, the overdue ledger and the figures.
    { root: 'packages/report', pages: ['new/index', 'detail/index', 'handle/index', 'overdue/index', 'figures/index'] },
    // 议事协商: topics by place, proposing, a topic's page (co-sign, discussion, stages, carrying out), voting, results,
    // and the staff's 议事规则 (stages, co-sign thresholds).
    {
      root: 'packages/deliberation',
      pages: ['list/index', 'new/index', 'detail/index', 'ballot/index', 'results/index', 'settings/index'],
    },
    // 志愿服务: the hub (my orders, tasks, open orders, the dispatch queue), 点单, an order, registration, hours, activities.
    {
      root: 'packages/volunteer',
      pages: [
        'index/index',
        'new/index',
        'order/index',
        'register/index',
        'record/index',
        'activities/index',
        'manage/index',
      ],
    },
    // 微心愿: the wall, posting (and 代录), a wish with its moves and messages, my wishes and claims, its history;
    // for staff the review queue, organisations, settings and figures.
    {
      root: 'packages/wishes',
      pages: [
        'wall/index',
        'new/index',
        'detail/index',
        'mine/index',
        'timeline/index',
        'organisations/index',
        'review/index',
        'settings/index',
        'figures/index',
      ],
    },
    // 红黑榜: the month's board (red and black), past months, the building ranking with the 流动红旗, nominating, an
    // entry with its moves (household, named person, nominator, staff), its history, my lists; for staff the
    // verification queue, acts and points, figures. Photo redaction opens packages/admin/redact.
    {
      root: 'packages/boards',
      pages: [
        'index/index',
        'months/index',
        'ranking/index',
        'nominate/index',
        'detail/index',
        'timeline/index',
        'mine/index',
        'queue/index',
        'settings/index',
        'figures/index',
      ],
    },
    // 隐私与授权: the privacy policy (also opened from the privacy popup), my consents, my data (export, closing
    // the account), my profile (correcting 称呼 and phone).
    { root: 'packages/privacy', pages: ['policy/index', 'consents/index', 'data/index', 'profile/index'] },
  ],
  // 随手拍 opens the report pages next: fetch them while the tab shows.
  preloadRule: {
    'pages/snap/index': { network: 'all', packages: ['packages/report'] },
  },
  // WeChat holds back every privacy API until the user agrees to the privacy agreement; it asks through
  // wx.onNeedPrivacyAuthorization, which the app answers with its popup (components/privacy-popup).
  __usePrivacyCheck__: true,
  // The only location API the app calls: a new report (随手拍) records where it was taken, to find the same problem
  // reported nearby. Photos (chooseMedia: camera or album) and the clipboard need no declaration here; they are
  // covered by the privacy agreement. The app never asks for the phone number.
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': { desc: '用于记录随手拍问题的位置，并查找附近是否已有人报过同一问题' },
  },
  window: {
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'white',
    // WeChat's default; on H5 it also turns on Taro's navigation bar (title, back and home buttons).
    navigationStyle: 'default',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#c8161d',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/snap/index',
        text: '随手拍',
        iconPath: 'assets/tabbar/snap.png',
        selectedIconPath: 'assets/tabbar/snap-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tabbar/me.png',
        selectedIconPath: 'assets/tabbar/me-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
});

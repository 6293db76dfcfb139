export default defineAppConfig({
  pages: ['pages/index/index', 'pages/snap/index', 'pages/me/index'],
  // Feature areas (reports, wishes, deliberation, volunteering, boards, community) arrive as subpackages.
  subPackages: [],
  window: {
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#c8161d',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/snap/index', text: '随手拍' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
});

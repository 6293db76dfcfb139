export default definePageConfig({
  navigationBarTitleText: '我的红黑榜',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});

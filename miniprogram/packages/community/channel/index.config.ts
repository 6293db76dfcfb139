export default definePageConfig({
  navigationBarTitleText: '频道',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});

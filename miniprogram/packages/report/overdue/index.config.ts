export default definePageConfig({
  navigationBarTitleText: '超期台账',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});

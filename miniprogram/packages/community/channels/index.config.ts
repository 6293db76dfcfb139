export default definePageConfig({
  navigationBarTitleText: '我的频道',
  enablePullDownRefresh: true,
});

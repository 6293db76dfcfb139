export default definePageConfig({
  navigationBarTitleText: '核实队列',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});

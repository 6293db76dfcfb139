export default definePageConfig({
  navigationBarTitleText: '待审批',
  enablePullDownRefresh: true,
});

export default definePageConfig({ navigationBarTitleText: '服务订单', enablePullDownRefresh: true });

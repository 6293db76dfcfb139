export default definePageConfig({ navigationBarTitleText: '流动红旗', enablePullDownRefresh: true });

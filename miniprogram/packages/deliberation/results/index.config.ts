export default definePageConfig({ navigationBarTitleText: '表决结果', enablePullDownRefresh: true });

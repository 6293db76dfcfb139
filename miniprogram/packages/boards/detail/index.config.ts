export default definePageConfig({ navigationBarTitleText: '红黑榜条目', enablePullDownRefresh: true });

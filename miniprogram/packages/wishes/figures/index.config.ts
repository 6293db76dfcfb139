export default definePageConfig({ navigationBarTitleText: '微心愿数据', enablePullDownRefresh: true });

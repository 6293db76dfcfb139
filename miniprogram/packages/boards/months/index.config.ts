export default definePageConfig({ navigationBarTitleText: '往月榜单', enablePullDownRefresh: true });

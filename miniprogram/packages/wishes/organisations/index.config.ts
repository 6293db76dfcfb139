export default definePageConfig({ navigationBarTitleText: '爱心组织', enablePullDownRefresh: true });

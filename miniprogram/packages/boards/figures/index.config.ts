export default definePageConfig({ navigationBarTitleText: '红黑榜数据' });

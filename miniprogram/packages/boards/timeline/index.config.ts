export default definePageConfig({ navigationBarTitleText: '处理记录' });

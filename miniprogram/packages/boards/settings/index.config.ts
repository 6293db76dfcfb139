export default definePageConfig({ navigationBarTitleText: '行为与积分' });

export default definePageConfig({ navigationBarTitleText: '地点与角色' });

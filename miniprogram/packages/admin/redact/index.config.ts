export default definePageConfig({
  navigationBarTitleText: '遮挡照片',
  // Dragging draws on the photo: the page must not scroll under the finger (WeChat).
  disableScroll: true,
});

import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import RedactPage from '../../miniprogram/packages/admin/redact';
import { dragRect, fitImage, toImagePixels } from '../../miniprogram/packages/admin/redact/geometry';
import { __setElementRect, __setRouterParams } from './doubles/taro';
import { deferred, fail, logIn, ok, resetApp, serve } from './fixtures';
import { casePhoto, moderationCase, staff } from './platform-fixtures';

beforeEach(resetApp);

describe('from the photo as shown to the display image’s pixels', () => {
  const image = { width: 1080, height: 810 };
  const shown = { width: 360, height: 270 };

  test('a photo is scaled to fit the screen with its proportions', () => {
    expect(fitImage(image, { width: 360, height: 450 })).toEqual(shown);
    expect(fitImage({ width: 810, height: 1440 }, { width: 360, height: 450 })).toEqual({ width: 253, height: 450 });
    expect(fitImage({ width: 200, height: 100 }, { width: 400, height: 400 })).toEqual({ width: 400, height: 200 });
  });

  test('a rectangle scales by the ratio of the two sizes', () => {
    expect(toImagePixels({ x: 10, y: 20, width: 100, height: 50 }, shown, image)).toEqual({
      x: 30,
      y: 60,
      width: 300,
      height: 150,
    });
  });

  test('uneven scales round outwards, so nothing the user covered is left showing', () => {
    const odd = { width: 351, height: 263 };
    expect(toImagePixels({ x: 10, y: 20, width: 100, height: 60 }, odd, image)).toEqual({
      x: 30,
      y: 61,
      width: 309,
      height: 186,
    });
  });

  test('stays inside the image and at least one pixel wide', () => {
    expect(toImagePixels({ x: 350, y: 260, width: 10, height: 10 }, shown, image)).toEqual({
      x: 1050,
      y: 780,
      width: 30,
      height: 30,
    });
    expect(toImagePixels({ x: 360, y: 270, width: 0, height: 0 }, shown, image)).toEqual({
      x: 1079,
      y: 809,
      width: 1,
      height: 1,
    });
  });

  test('a drag in any direction spans the same rectangle, cut at the photo’s edges; a tap spans none', () => {
    const rect = { x: 20, y: 30, width: 80, height: 40 };
    expect(dragRect({ x: 20, y: 30 }, { x: 100, y: 70 }, shown)).toEqual(rect);
    expect(dragRect({ x: 100, y: 70 }, { x: 20, y: 30 }, shown)).toEqual(rect);
    expect(dragRect({ x: 300, y: -20 }, { x: 400, y: 40 }, shown)).toEqual({ x: 300, y: 0, width: 60, height: 40 });
    expect(dragRect({ x: 20, y: 30 }, { x: 23, y: 90 }, shown)).toBeUndefined();
  });
});

const item = moderationCase(2, { media: [casePhoto] });

/** A finger drag over the photo, in screen coordinates. */
function drag(stage: Element, from: [number, number], to: [number, number]): void {
  fireEvent.touchStart(stage, { touches: [{ clientX: from[0], clientY: from[1] }] });
  fireEvent.touchMove(stage, { touches: [{ clientX: to[0], clientY: to[1] }] });
  fireEvent.touchEnd(stage, { touches: [], changedTouches: [{ clientX: to[0], clientY: to[1] }] });
}

function openEditor(routes: Parameters<typeof serve>[0], mediaId = casePhoto.id) {
  logIn(staff());
  // The photo's frame: 360 px wide, 100 px down the screen, 12 px from its left edge.
  __setElementRect({ left: 12, top: 100, width: 360, height: 0 });
  __setRouterParams({ case: item.id, media: mediaId });
  const sent = serve({ [`GET /moderation/cases/${item.id}`]: ok(item), ...routes });
  render(<RedactPage />);
  return sent;
}

const button = (text: string) => screen.getByText(text).closest('.at-button')!;
const rects = () => screen.queryAllByLabelText('遮挡区域');

test('遮挡照片: drag rectangles over the photo, undo one, and 确定 sends them in image pixels', async () => {
  const redaction = deferred();
  const sent = openEditor({ [`POST /moderation/cases/${item.id}/redact-photo`]: redaction.route });
  const image = await screen.findByRole('img');
  await act(async () => undefined);
  expect(image.getAttribute('src')).toBe(casePhoto.url);
  expect(screen.getByText('尚未框选')).toBeTruthy();
  expect(button('确定').className).toContain('at-button--disabled');
  expect(button('撤销').className).toContain('at-button--disabled');

  const stage = document.querySelector('.redact__stage')!;
  expect((stage as HTMLElement).style.width).toBe('360px');
  expect((stage as HTMLElement).style.height).toBe('270px');
  drag(stage, [12 + 10, 100 + 20], [12 + 110, 100 + 70]);
  drag(stage, [12 + 300, 100 + 200], [12 + 200, 100 + 150]);
  // A tap draws nothing.
  drag(stage, [12 + 50, 100 + 50], [12 + 52, 100 + 51]);
  expect(rects()).toHaveLength(2);
  expect(rects()[0]!.style.left).toBe('10px');
  expect(screen.getByText('已框选 2 处')).toBeTruthy();

  drag(stage, [12 + 0, 100 + 0], [12 + 30, 100 + 30]);
  fireEvent.click(screen.getByText('撤销'));
  expect(rects()).toHaveLength(2);

  fireEvent.click(screen.getByText('确定'));
  expect(screen.getByText('提交中…')).toBeTruthy();
  await act(async () => redaction.release(ok(item)));
  expect(sent.at(-1)!.body).toEqual({
    mediaId: casePhoto.id,
    rects: [
      { x: 30, y: 60, width: 300, height: 150 },
      { x: 600, y: 450, width: 300, height: 150 },
    ],
  });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已遮挡' }));
  expect(Taro.navigateBack).toHaveBeenCalled();
});

test('a failed redaction says why and keeps the rectangles to send again', async () => {
  openEditor({ [`POST /moderation/cases/${item.id}/redact-photo`]: fail(409, 'CASE_CLOSED') });
  await screen.findByRole('img');
  await act(async () => undefined);
  drag(document.querySelector('.redact__stage')!, [22, 120], [122, 170]);
  await act(async () => fireEvent.click(screen.getByText('确定')));
  expect(screen.getByRole('alert').textContent).toBe('该事项已处理完毕');
  expect(rects()).toHaveLength(1);
  expect(button('确定').className).not.toContain('at-button--disabled');
  expect(Taro.navigateBack).not.toHaveBeenCalled();
});

test('a photo no longer in the case says so, without a 重试 that cannot bring it back', async () => {
  openEditor({}, 'd00000000000000000000009');
  expect(await screen.findByText('内容不存在或已被删除')).toBeTruthy();
  expect(screen.queryByText('重试')).toBeNull();
});

test('a case another staff member already decided says so', async () => {
  openEditor({ [`GET /moderation/cases/${item.id}`]: ok({ ...item, status: 'closed', decision: 'approve' }) });
  expect(await screen.findByText('内容不存在或已被删除')).toBeTruthy();
});

import type { PixelRect } from '../../../services/api';

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** A drag shorter than this (screen px) either way is a tap, not a rectangle. */
export const MIN_DRAG = 8;

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);
// Scaling leaves float noise (9.000000001): it must not widen a rectangle by a whole pixel.
const EPSILON = 1e-6;
const floor = (value: number) => Math.floor(value + EPSILON);
const ceil = (value: number) => Math.ceil(value - EPSILON);

/** The largest size with the image's proportions that fits in `box`. */
export function fitImage(image: Size, box: Size): Size {
  const scale = Math.min(box.width / image.width, box.height / image.height);
  return { width: Math.round(image.width * scale), height: Math.round(image.height * scale) };
}

/**
 * The rectangle a drag from `a` to `b` spans on the image as shown (either direction, cut at the image's
 * edges), or undefined when it is too small to mean anything.
 */
export function dragRect(a: Point, b: Point, shown: Size): PixelRect | undefined {
  const left = clamp(Math.min(a.x, b.x), 0, shown.width);
  const top = clamp(Math.min(a.y, b.y), 0, shown.height);
  const right = clamp(Math.max(a.x, b.x), 0, shown.width);
  const bottom = clamp(Math.max(a.y, b.y), 0, shown.height);
  if (right - left < MIN_DRAG || bottom - top < MIN_DRAG) return undefined;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * A rectangle drawn on the image as shown (scaled to the screen) in the display image's own pixels, as
 * the service blacks them out. Rounded outwards, so what the user covered stays covered.
 */
export function toImagePixels(rect: PixelRect, shown: Size, image: Size): PixelRect {
  const sx = image.width / shown.width;
  const sy = image.height / shown.height;
  const x = clamp(floor(rect.x * sx), 0, image.width - 1);
  const y = clamp(floor(rect.y * sy), 0, image.height - 1);
  const right = clamp(ceil((rect.x + rect.width) * sx), x + 1, image.width);
  const bottom = clamp(ceil((rect.y + rect.height) * sy), y + 1, image.height);
  return { x, y, width: right - x, height: bottom - y };
}

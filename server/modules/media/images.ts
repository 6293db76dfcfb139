import { createHash } from 'node:crypto';
import sharp, { type OutputInfo, type Sharp } from 'sharp';

export const DISPLAY_EDGE = 1600;
export const THUMB_EDGE = 400;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

export class UnsupportedImageError extends Error {
  override name = 'UnsupportedImageError';
}

export interface ProcessedImage {
  hash: string;
  display: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/** A photo variant: orientation applied, long edge capped, JPEG; sharp drops EXIF (GPS included) unless asked. */
function variant(input: Sharp, edge: number): Promise<{ data: Buffer; info: OutputInfo }> {
  return input
    .clone()
    .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
}

/**
 * Re-encodes an uploaded photo (JPEG, PNG or WebP; WeChat hands HEIC over as JPEG) into a display size and a
 * thumbnail, and hashes the original bytes.
 */
export async function processImage(original: Buffer): Promise<ProcessedImage> {
  let format: string | undefined;
  try {
    format = (await sharp(original, { failOn: 'error' }).metadata()).format;
  } catch {
    throw new UnsupportedImageError('not an image');
  }
  if (!format || !ACCEPTED.has(format)) throw new UnsupportedImageError(`unsupported format ${format}`);
  // rotate() with no angle applies the EXIF orientation before the metadata is dropped.
  const base = sharp(original, { failOn: 'error', limitInputPixels: 50_000_000 }).rotate();
  const [display, thumb] = await Promise.all([variant(base, DISPLAY_EDGE), variant(base, THUMB_EDGE)]);
  return {
    hash: createHash('sha256').update(original).digest('hex'),
    display: display.data,
    thumb: thumb.data,
    width: display.info.width,
    height: display.info.height,
  };
}

/** Blacks out rectangles (in display pixels) and makes a new display image and thumbnail from the result. */
export async function redactImage(
  display: Buffer,
  rects: { x: number; y: number; width: number; height: number }[],
): Promise<{ display: Buffer; thumb: Buffer }> {
  const { width = 0, height = 0 } = await sharp(display).metadata();
  const boxes = rects
    .map((r) => ({ left: Math.min(r.x, width - 1), top: Math.min(r.y, height - 1), w: r.width, h: r.height }))
    .map((r) => ({
      input: {
        create: {
          width: Math.max(1, Math.min(r.w, width - r.left)),
          height: Math.max(1, Math.min(r.h, height - r.top)),
          channels: 3 as const,
          background: '#000000',
        },
      },
      left: r.left,
      top: r.top,
    }));
  const redacted = await sharp(display).composite(boxes).jpeg({ quality: 82, mozjpeg: true }).toBuffer();
  const thumb = await variant(sharp(redacted), THUMB_EDGE);
  return { display: redacted, thumb: thumb.data };
}

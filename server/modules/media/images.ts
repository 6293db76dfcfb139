import { createHash } from 'node:crypto';
import sharp, { type OutputInfo, type Sharp } from 'sharp';

export const DISPLAY_EDGE = 1600;
export const THUMB_EDGE = 400;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);
/** Decoding allocates width × height × channels: a tiny file can claim a huge canvas (a decompression bomb). */
export const MAX_PIXELS = 50_000_000;

/**
 * Why an upload is not a photo we can take: not a JPEG/PNG/WebP (`format`), a canvas over MAX_PIXELS
 * (`pixels`), or bytes that do not decode, e.g. a truncated file (`corrupt`).
 */
export class ImageError extends Error {
  override name = 'ImageError';
  constructor(
    readonly reason: 'format' | 'pixels' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
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
  let meta: Awaited<ReturnType<Sharp['metadata']>>;
  try {
    // Reads the header only: format and size are known before anything is decoded.
    meta = await sharp(original).metadata();
  } catch {
    throw new ImageError('format', 'not an image');
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) throw new ImageError('format', `unsupported format ${meta.format}`);
  if ((meta.width ?? 0) * (meta.height ?? 0) * (meta.pages ?? 1) > MAX_PIXELS) {
    throw new ImageError('pixels', `${meta.width}×${meta.height} is over ${MAX_PIXELS} pixels`);
  }
  let display: { data: Buffer; info: OutputInfo };
  let thumb: { data: Buffer; info: OutputInfo };
  try {
    // rotate() with no angle applies the EXIF orientation before the metadata is dropped.
    const base = sharp(original, { failOn: 'error', limitInputPixels: MAX_PIXELS }).rotate();
    [display, thumb] = await Promise.all([variant(base, DISPLAY_EDGE), variant(base, THUMB_EDGE)]);
  } catch (err) {
    throw new ImageError('corrupt', `the image does not decode: ${(err as Error).message}`);
  }
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

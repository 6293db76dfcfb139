import sharp, { type Sharp } from 'sharp';

/** EXIF as a phone camera writes it: the camera, a GPS position and a 90° orientation flag. */
export function withCameraExif(image: Sharp): Sharp {
  return image.withMetadata({ orientation: 6 }).withExif({
    IFD0: { Make: 'TestPhone', Model: 'Linli 1' },
    IFD3: {
      GPSLatitudeRef: 'N',
      GPSLatitude: '39/1 54/1 2700/100',
      GPSLongitudeRef: 'E',
      GPSLongitude: '116/1 23/1 1700/100',
    },
  });
}

/** A JPEG as a phone camera makes it, one plain colour (small and quick to make). */
export function cameraJpeg(colour = '#88aa44', width = 300, height = 200): Promise<Buffer> {
  return withCameraExif(sharp({ create: { width, height, channels: 3, background: colour } }).jpeg()).toBuffer();
}

/** The stand-in's fixed test images: mostly pure red is judged risky, mostly pure blue needs review. */
export const riskyImage = () => cameraJpeg('#ff0000');
export const reviewImage = () => cameraJpeg('#0000ff');

/** A multipart/form-data body with one file field, as wx.uploadFile sends it. */
export function multipart(
  file: Buffer,
  filename = 'photo.jpg',
  contentType = 'image/jpeg',
): { payload: Buffer; contentType: string } {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

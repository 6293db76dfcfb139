/**
 * Photo benchmark (not a test): how long a phone photo (4032 × 3024 JPEG of about 4 MB, with camera EXIF, GPS and
 * a 90° orientation flag) takes to become its display and thumbnail sizes, and to upload through the API with the
 * service run as `npm start` runs it. Three rounds of ten runs each; prints each round's median and p90.
 * Target: the pipeline ≤ 300 ms. The upload's CPU time is the service's (in this process), not the engine's.
 *
 *   npx tsx test/bench/photo-bench.ts [--runs 10] [--rounds 3]
 */
import sharp from 'sharp';
import { processImage } from '../../server/modules/media/images';
import { multipart, withCameraExif } from '../helpers/images';
import { arg, printMachine, run, startBenchService } from './service';

const WIDTH = 4032;
const HEIGHT = 3024;

/**
 * A photo with texture: blurred noise compresses like a camera's detail does (about 4 MB at quality 90), where a
 * plain colour would make a file of a few kilobytes that decodes in no time.
 */
async function phonePhoto(): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      background: '#6688aa',
      noise: { type: 'gaussian', mean: 128, sigma: 25 },
    },
  })
    .raw()
    .toBuffer();
  const textured = sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .blur(0.6)
    .jpeg({ quality: 90 });
  return withCameraExif(textured).toBuffer();
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Times `once` in `rounds` rounds of `runs`, printing each round's median and p90, then all runs together: wall
 * time, and this process's CPU time (libvips' threads included), which other work on the machine moves much less.
 */
async function timeRounds(name: string, rounds: number, runs: number, once: (i: number) => Promise<void>) {
  await once(-1); // warm-up: first use loads libvips' codecs and compiles the route
  const all = { wall: [] as number[], cpu: [] as number[] };
  const stats = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `median ${percentile(sorted, 50).toFixed(0).padStart(4)}  p90 ${percentile(sorted, 90).toFixed(0).padStart(4)}`;
  };
  const line = (what: string, wall: number[], cpu: number[]) =>
    console.log(`${`${name}, ${what}:`.padEnd(34)} wall ms ${stats(wall)}   cpu ms ${stats(cpu)}`);
  for (let r = 0; r < rounds; r++) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await once(r * runs + i);
      const used = process.cpuUsage(cpuBefore);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    line(`round ${r + 1}`, wall, cpu);
    all.wall.push(...wall);
    all.cpu.push(...cpu);
  }
  line(`all ${all.wall.length}`, all.wall, all.cpu);
}

run(async () => {
  printMachine();
  const rounds = arg('rounds', 3);
  const runs = arg('runs', 10);
  const photo = await phonePhoto();
  const meta = await sharp(photo).metadata();
  console.log(
    `photo: ${meta.width} × ${meta.height} JPEG, ${(photo.length / 2 ** 20).toFixed(2)} MiB, EXIF orientation ${meta.orientation}; ` +
      `libvips ${sharp.versions.vips}, sharp concurrency ${sharp.concurrency()}`,
  );

  const out = await processImage(photo);
  console.log(
    `output: display ${out.width} × ${out.height} ${(out.display.length / 1024).toFixed(0)} KiB, ` +
      `thumb ${(out.thumb.length / 1024).toFixed(0)} KiB`,
  );
  await timeRounds('pipeline (processImage)', rounds, runs, async () => {
    await processImage(photo);
  });

  const service = await startBenchService('photo-bench');
  try {
    await service.listen();
    const headers = await service.session('owner');
    const body = multipart(photo);
    await timeRounds('upload (POST /api/media)', rounds, runs, async (i) => {
      const res = await fetch(`${service.base()}/media`, {
        method: 'POST',
        headers: { ...headers, 'content-type': body.contentType, 'idempotency-key': `photo-bench-${i + 1}` },
        body: body.payload,
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`upload answered ${res.status}`);
    });
  } finally {
    await service.stop();
  }
});

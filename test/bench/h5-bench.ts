/**
 * H5 first load (not a test): the bytes a browser transfers for index.html and the scripts and stylesheets it
 * references, as the service sends them to a browser taking brotli, one taking gzip only, and one taking neither.
 * Serves the build with the H5 plugin alone (no database needed).
 *
 *   npx tsx test/bench/h5-bench.ts [build folder, default dist/h5]
 */
import { resolve } from 'node:path';
import Fastify from 'fastify';
import h5 from '../../server/plugins/h5';
import { printMachine, run } from './service';

run(async () => {
  printMachine();
  const root = resolve(process.argv[2] ?? 'dist/h5');
  const app = Fastify();
  await app.register(h5, { root });
  try {
    const html = (await app.inject('/')).body;
    const assets = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/[^"]+\.(?:js|css))"/g)].map(
      ([, url]) => url!,
    );
    console.log(`build: ${root}; first load: index.html and ${assets.join(', ')}`);
    for (const [name, encoding] of [
      ['neither', ''],
      ['gzip', 'gzip, deflate'],
      ['brotli', 'gzip, deflate, br'],
    ] as const) {
      let bytes = 0;
      const encodings = new Set<string>();
      for (const url of ['/', ...assets]) {
        const res = await app.inject({ url, headers: encoding ? { 'accept-encoding': encoding } : {} });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        bytes += res.rawPayload.length;
        encodings.add(String(res.headers['content-encoding'] ?? 'none'));
      }
      console.log(
        `${`browser taking ${name}:`.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB (${bytes} bytes), content-encoding ${[...encodings].join('/')}`,
      );
    }
  } finally {
    await app.close();
  }
});

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { compressBuild } from '../../server/tasks/compress-h5';
import { buildTestApp } from '../helpers/app';

/** An H5 build as Taro makes it (index.html with an inline script, a hashed script and stylesheet), compressed. */
function compressedBuild(): { root: string; script: Buffer; tiny: Buffer } {
  const root = mkdtempSync(join(tmpdir(), 'linli-h5-'));
  mkdirSync(join(root, 'js'));
  mkdirSync(join(root, 'css'));
  const script = Buffer.from(
    Array.from({ length: 400 }, (_, i) => `function page${i}(n){return document.title+n*${i};}`).join('\n'),
  );
  const tiny = Buffer.from('body{margin:0}');
  writeFileSync(join(root, 'js/app.1a2b3c4d.js'), script);
  writeFileSync(join(root, 'css/app.5e6f7a8b.css'), tiny);
  writeFileSync(
    join(root, 'index.html'),
    `<!doctype html><html><head><script>window.x=1</script><script defer src="/js/app.1a2b3c4d.js"></script>` +
      `<link href="/css/app.5e6f7a8b.css" rel="stylesheet"></head><body>${'<div></div>'.repeat(200)}</body></html>`,
  );
  compressBuild(root);
  return { root, script, tiny };
}

let app: FastifyInstance;
let build: ReturnType<typeof compressedBuild>;

beforeAll(async () => {
  build = compressedBuild();
  app = await buildTestApp({ h5Root: build.root });
});
afterAll(() => app.close());

const get = (url: string, encoding?: string) =>
  app.inject({ url, headers: encoding ? { 'accept-encoding': encoding } : {} });

describe('H5 build served compressed', () => {
  test('a hashed script comes brotli-compressed to a browser that takes brotli, gzip to one that takes only gzip, plain otherwise', async () => {
    const br = await get('/js/app.1a2b3c4d.js', 'gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(build.script.length / 4);
    expect(brotliDecompressSync(br.rawPayload).equals(build.script)).toBe(true);

    const gzip = await get('/js/app.1a2b3c4d.js', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(build.script)).toBe(true);

    const plain = await get('/js/app.1a2b3c4d.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(build.script)).toBe(true);

    for (const res of [br, gzip, plain]) {
      expect(res.headers['content-type']).toMatch(/^application\/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
    }
  });

  test('index.html comes compressed yet is revalidated every time, and its inline script stays allowed by hash', async () => {
    const res = await get('/', 'br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.rawPayload).equals(readFileSync(join(build.root, 'index.html')))).toBe(true);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  });

  test('a file too small to be worth compressing is sent as it is, whatever the browser accepts', async () => {
    const res = await get('/css/app.5e6f7a8b.css', 'br, gzip');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.equals(build.tiny)).toBe(true);
  });

  test('compressing again writes nothing new, and a rebuilt file gets fresh copies', () => {
    expect(compressBuild(build.root)).toBe(0);
    const rebuilt = Buffer.concat([build.script, Buffer.from('\nfunction more(){}')]);
    writeFileSync(join(build.root, 'js/app.1a2b3c4d.js'), rebuilt);
    expect(compressBuild(build.root)).toBe(2);
    expect(brotliDecompressSync(readFileSync(join(build.root, 'js/app.1a2b3c4d.js.br'))).equals(rebuilt)).toBe(true);
  });
});

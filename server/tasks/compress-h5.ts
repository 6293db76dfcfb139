import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** What browsers fetch as text; images and fonts in the build are compressed already. */
const TEXT = new Set(['.html', '.js', '.css', '.svg', '.json']);
/** Below this a compressed copy saves less than the headers it costs. */
const MIN_BYTES = 1024;

const ENCODERS: Record<'.br' | '.gz', (data: Buffer) => Buffer> = {
  '.br': (data) =>
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  '.gz': (data) => gzipSync(data, { level: constants.Z_BEST_COMPRESSION }),
};

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy next to each text file of the H5 build, which the server sends
 * to browsers that accept them (@fastify/static's `preCompressed`). Compressed once here, at maximum effort,
 * rather than on every request. A copy newer than its file is kept; one that would not be smaller is not written.
 * Answers how many copies were written.
 */
export function compressBuild(root: string): number {
  let written = 0;
  for (const file of [...filesUnder(root)]) {
    if (!TEXT.has(extname(file))) continue;
    const { size, mtimeMs } = statSync(file);
    if (size < MIN_BYTES) continue;
    const data = readFileSync(file);
    for (const [ext, encode] of Object.entries(ENCODERS)) {
      const copy = file + ext;
      if ((statSync(copy, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= mtimeMs) continue;
      const compressed = encode(data);
      if (compressed.length < size) {
        writeFileSync(copy, compressed);
        written++;
      } else rmSync(copy, { force: true });
    }
  }
  return written;
}

if (require.main === module) {
  const root = resolve(process.argv[2] ?? resolve(__dirname, '../../dist/h5'));
  console.log(`H5 build: ${compressBuild(root)} compressed copies written in ${root}`);
}

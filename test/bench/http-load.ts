/**
 * A lean keep-alive HTTP/1.1 load generator for the benchmarks (not a test). `fetch` costs the client more CPU per
 * request than a hello-world server spends answering it, so it cannot measure the framework's ceiling; this writes
 * one prepared request per connection and reads the answer by its content-length, nothing more.
 */
import { connect, type Socket } from 'node:net';

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers with a status other than 2xx, plus connection errors. */
  failures: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Sends `method url` from `connections` keep-alive connections, each waiting for its answer, for `seconds`. */
export async function httpLoad(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; connections: number; seconds: number },
): Promise<LoadResult> {
  const target = new URL(url);
  const headers = { host: target.host, connection: 'keep-alive', 'content-length': '0', ...opts.headers };
  const request = Buffer.from(
    `${opts.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n',
  );
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + opts.seconds * 1000;

  const drive = (socket: Socket) =>
    new Promise<void>((resolve) => {
      let buffer: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= end) {
          socket.end();
          resolve();
          return;
        }
        sentAt = performance.now();
        socket.write(request);
      };
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf(HEADER_END);
          if (headerEnd < 0) return;
          const head = buffer.subarray(0, headerEnd).toString('latin1');
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
          if (Number.isNaN(length)) throw new Error(`No content-length in the answer to ${url}:\n${head}`);
          const total = headerEnd + HEADER_END.length + length;
          if (buffer.length < total) return;
          const status = Number(head.slice(9, 12));
          if (status < 200 || status >= 300) failures += 1;
          latencies.push(performance.now() - sentAt);
          buffer = buffer.subarray(total);
          send();
        }
      });
      socket.on('error', () => {
        failures += 1;
        resolve();
      });
      socket.on('close', () => resolve());
      send();
    });

  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      const socket = connect(Number(target.port), target.hostname);
      socket.setNoDelay(true);
      await new Promise((ok, fail) => socket.once('connect', ok).once('error', fail));
      await drive(socket);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: pct(50), p99: pct(99), failures };
}

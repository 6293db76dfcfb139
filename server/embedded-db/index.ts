/**
 * Embedding API of the engine: run it in this process (tests) or as a child process (`npm start`, so that a long
 * aggregate cannot stall the API's event loop). The URI returned works with `mongoose.connect(uri)` and
 * `new MongoClient(uri)`; it uses `directConnection=true` (the engine reports itself as replica set "linli").
 */
import { spawn } from 'node:child_process';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from './engine';
import { listen } from './server';

export interface EmbeddedDbOptions {
  port?: number;
  host?: string;
  socketPath?: string;
  dataDir?: string | null;
  /** Test-only commands (`configureFailPoint`); see failpoints.ts. */
  testCommands?: boolean;
}

export interface EmbeddedDb {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

export function mongoUri(hostPort: string): string {
  return `mongodb://${hostPort}/?directConnection=true`;
}

/** Starts the engine in this process. Port 0 picks a free port; no dataDir keeps data in memory only. */
export async function startEmbeddedDb(opts: EmbeddedDbOptions = {}): Promise<EmbeddedDb> {
  const engine = await Engine.open({ dataDir: opts.dataDir ?? null, testCommands: opts.testCommands === true });
  const host = opts.host ?? '127.0.0.1';
  let listener;
  try {
    listener = await listen(engine, opts.socketPath ? { path: opts.socketPath } : { port: opts.port ?? 0, host });
  } catch (err) {
    await engine.close();
    throw err;
  }
  const address = listener.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  engine.address = opts.socketPath ?? `${host}:${port}`;
  let stopped: Promise<void> | null = null;
  return {
    uri: mongoUri(opts.socketPath ? encodeURIComponent(opts.socketPath) : `${host}:${port}`),
    port,
    stop: () => (stopped ??= listener.close().then(() => engine.close())),
  };
}

/**
 * The child's heap limit: everything lives on the JavaScript heap (about 2 KB per 600-byte document with five
 * indexes, see the README), so it gets half the machine's memory, at least 4 GiB, rather than V8's default.
 */
const CHILD_HEAP_MB = Math.max(4096, Math.round(totalmem() / 2 ** 20 / 2));

/**
 * Starts the engine in a child process (`node --import tsx cli.ts`) and resolves once it listens. `stop()` asks it
 * to shut down cleanly (flushing the journal and writing a snapshot); the child also exits if this process dies.
 */
export function spawnEmbeddedDb(opts: { port?: number; dataDir: string }): Promise<EmbeddedDb> {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${CHILD_HEAP_MB}`,
      // Loaded and inserted documents all survive: a larger young generation halves the copying (and load time).
      '--max-semi-space-size=64',
      '--expose-gc',
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      join(__dirname, 'cli.ts'),
    ],
    {
      env: { ...process.env, LINLI_DB_PORT: String(opts.port ?? 0), LINLI_DATA_DIR: opts.dataDir },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    exited.then((code) => reject(new Error(`embedded-db child exited with code ${code} before listening`)));
    child.once('message', (msg: { uri?: string; port?: number }) => {
      if (!msg.uri || msg.port === undefined) return reject(new Error('embedded-db child sent an unexpected message'));
      // Neither the child nor its channel keeps this process alive; if it exits, the child sees the disconnect.
      child.unref();
      child.channel?.unref();
      resolve({
        uri: msg.uri,
        port: msg.port,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.send('stop');
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
            await exited;
            clearTimeout(timer);
          }
        },
      });
    });
  });
}

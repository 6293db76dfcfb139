/**
 * `npm run db`: runs the engine alone on 127.0.0.1:$LINLI_DB_PORT (default 27018) with data in $LINLI_DATA_DIR
 * (default ./data) and prints its mongodb:// URI. Also the entry of spawnEmbeddedDb's child process, which reports
 * over IPC and exits when its parent goes away. `LINLI_DB_TEST_COMMANDS=1` enables the test-only fail points.
 */
import { resolve } from 'node:path';
import { startEmbeddedDb } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.LINLI_DB_PORT ?? 27018);
  const dataDir = resolve(process.env.LINLI_DATA_DIR ?? './data');
  const testCommands = process.env.LINLI_DB_TEST_COMMANDS === '1';
  const db = await startEmbeddedDb({ port, host: '127.0.0.1', dataDir, testCommands });
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await db.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (process.send) {
    process.on('message', (msg) => msg === 'stop' && void shutdown());
    process.on('disconnect', () => void shutdown());
    process.send({ uri: db.uri, port: db.port });
  } else {
    console.log(`embedded-db listening, data in ${dataDir}`);
    console.log(db.uri);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp, type AppOptions } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { spawnEmbeddedDb } from './embedded-db';

/** The database the service uses: MONGODB_URI when set, else the embedded engine in a child process. */
async function openDatabase(config: Config): Promise<{ mongo: AppOptions['mongo']; stop(): Promise<void> }> {
  if (config.mongodbUri) {
    return { mongo: { uri: config.mongodbUri, kind: 'mongodb' }, stop: async () => {} };
  }
  const embedded = await spawnEmbeddedDb({ dataDir: join(config.dataDir, 'db') });
  return { mongo: { uri: embedded.uri, kind: 'embedded', dbName: 'linli' }, stop: () => embedded.stop() };
}

/** `npm start`: the service, its database and graceful shutdown. */
async function main(config: Config): Promise<void> {
  const database = await openDatabase(config);
  const app = await buildApp({ config, mongo: database.mongo });
  app.addHook('onClose', async function closeDatabase() {
    await database.stop();
  });

  closeWithGrace({ delay: 10_000 }, async function shutdown({ signal, err }) {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    `Linli is up: ${config.publicBaseUrl} (API /api, docs /docs, health /health, db ${database.mongo.kind})`,
  );
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  // A bad environment is the operator's to fix: one clear message, no stack trace.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
main(config).catch((err: unknown) => {
  console.error('Linli failed to start:', err);
  process.exit(1);
});

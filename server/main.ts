import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp, type AppOptions } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { spawnEmbeddedDb } from './embedded-db';
import { seedDemo } from './modules/demo/seed';
import { startWechatStandin } from './wechat-standin';

/** The database the service uses: MONGODB_URI when set, else the embedded engine in a child process. */
async function openDatabase(config: Config): Promise<{ mongo: AppOptions['mongo']; stop(): Promise<void> }> {
  if (config.mongodbUri) {
    return { mongo: { uri: config.mongodbUri, kind: 'mongodb' }, stop: async () => {} };
  }
  const embedded = await spawnEmbeddedDb({ dataDir: join(config.dataDir, 'db') });
  return { mongo: { uri: embedded.uri, kind: 'embedded', dbName: 'linli' }, stop: () => embedded.stop() };
}

/** WECHAT_API_BASE when set, else the bundled stand-in of WeChat's server APIs on a loopback port. */
async function openWechat(config: Config): Promise<{ wechat: AppOptions['wechat']; stop(): Promise<void> }> {
  if (config.wechatApiBase) return { wechat: { baseUrl: config.wechatApiBase, standin: false }, stop: async () => {} };
  // Like WeChat, the stand-in downloads photos from the service and pushes its verdicts back to it.
  const local = `http://127.0.0.1:${config.port}`;
  const standin = await startWechatStandin({
    appId: config.wechatAppId,
    secret: config.wechatSecret,
    pushUrl: `${local}/api/wechat/push`,
    pushToken: config.wechatPushToken,
    pushDelayMs: 2000,
  });
  return { wechat: { baseUrl: standin.baseUrl, standin: true }, stop: () => standin.stop() };
}

/** `npm start`: the service, its database, the WeChat stand-in when needed, demo data, graceful shutdown. */
async function main(config: Config): Promise<void> {
  const [database, wechat] = await Promise.all([openDatabase(config), openWechat(config)]);
  const app = await buildApp({ config, mongo: database.mongo, wechat: wechat.wechat });
  app.addHook('onClose', async function closeDependencies() {
    await Promise.all([database.stop(), wechat.stop()]);
  });
  if (config.env !== 'production' && (await seedDemo(app.db.connection, app.models))) {
    app.log.info('Seeded the demo community (幸福里社区); log in as a demo user from 我的');
  }

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

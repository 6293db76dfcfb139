import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import mongoose, { type Connection } from 'mongoose';
import type { DbKind } from '../../shared/schemas/common';

export interface DatabaseOptions {
  uri: string;
  kind: DbKind;
  /** Tests give each app its own database; otherwise the URI's database (or `linli`) is used. */
  dbName?: string;
}

export interface Database {
  connection: Connection;
  kind: DbKind;
  /** True when the server answers a ping now. */
  isHealthy(): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/**
 * The mongoose connection as a plugin. Each app instance owns its own connection (not mongoose's
 * global one), so several apps — tests, or two instances sharing one database — never share state.
 */
export default fp<DatabaseOptions>(
  async function database(app: FastifyInstance, opts: DatabaseOptions) {
    const connection = mongoose.createConnection(opts.uri, {
      dbName: opts.dbName ?? (new URL(opts.uri).pathname.slice(1) || 'linli'),
      serverSelectionTimeoutMS: 10_000,
    });
    await connection.asPromise();
    app.log.info({ db: opts.kind, name: connection.name }, 'database connected');

    app.decorate('db', {
      connection,
      kind: opts.kind,
      async isHealthy() {
        try {
          await connection.db?.admin().ping();
          return true;
        } catch {
          return false;
        }
      },
    } satisfies Database);

    app.addHook('onClose', async function closeDatabase() {
      await connection.close();
    });
  },
  { name: 'database' },
);

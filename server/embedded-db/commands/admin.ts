/**
 * Handshake, monitoring and server-level commands. The engine presents itself as the primary of a one-member
 * replica set ("linli") so drivers allow sessions, retryable writes and transactions. No `topologyVersion` is sent:
 * without it drivers poll hello instead of using the awaitable (long-polling) form.
 */
import { hostname } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { ObjectId } from 'bson';
import { isNumeric, toNumber, type Doc } from '../bson-values';
import { badValue } from '../errors';
import type { Command } from '../context';

export const REPLICA_SET_NAME = 'linli';
export const SERVER_VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

const hello: Command = {
  run(ctx) {
    const me = ctx.engine.address;
    return {
      ...(ctx.body.helloOk ? { helloOk: true } : {}),
      ismaster: true,
      isWritablePrimary: true,
      secondary: false,
      setName: REPLICA_SET_NAME,
      setVersion: 1,
      hosts: [me],
      primary: me,
      me,
      electionId: ELECTION_ID,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: ctx.connectionId,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
      ok: 1,
    };
  },
};

const buildInfo: Command = {
  run: () => ({
    version: SERVER_VERSION,
    gitVersion: 'linli-embedded-db',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['linli-embedded'],
    modules: [],
    ok: 1,
  }),
};

/** Runtime parameters the engine honours (the same names work on a real mongod). */
const PARAMETERS = ['ttlMonitorSleepSecs', 'cursorTimeoutMillis', 'transactionLifetimeLimitSeconds'] as const;

const setParameter: Command = {
  run(ctx) {
    let was: unknown;
    for (const [k, v] of Object.entries(ctx.body)) {
      if (k === 'setParameter' || k.startsWith('$') || k === 'lsid') continue;
      if (!PARAMETERS.includes(k as (typeof PARAMETERS)[number]))
        throw badValue(`attempted to set unrecognized parameter [${k}]`);
      if (!isNumeric(v) || toNumber(v) < 0) throw badValue(`${k} must be a non-negative number`);
      was = ctx.engine.getParameter(k);
      ctx.engine.setParameter(k, toNumber(v));
    }
    return { was, ok: 1 };
  },
};

const getParameter: Command = {
  run(ctx) {
    const out: Doc = {};
    for (const k of PARAMETERS)
      if (ctx.body[k] !== undefined || ctx.body.getParameter === '*') out[k] = ctx.engine.getParameter(k);
    return { ...out, ok: 1 };
  },
};

const serverStatus: Command = {
  run(ctx) {
    const uptime = (Date.now() - ctx.engine.startedAt) / 1000;
    const memory = process.memoryUsage();
    return {
      host: hostname(),
      version: SERVER_VERSION,
      process: 'linli-embedded-db',
      pid: process.pid,
      uptime: Math.floor(uptime),
      uptimeMillis: Math.floor(uptime * 1000),
      localTime: new Date(),
      connections: { current: ctx.engine.connectionCount },
      metrics: { cursor: { open: { total: ctx.engine.cursors.openCount } } },
      mem: { bits: 64, resident: Math.round(memory.rss / 2 ** 20) },
      // The engine keeps everything on the JavaScript heap: how full it is matters more than the process size.
      heap: {
        usedBytes: memory.heapUsed,
        totalBytes: memory.heapTotal,
        limitBytes: getHeapStatistics().heap_size_limit,
      },
      ok: 1,
    };
  },
};

const sessionCommand: Command = {
  run(ctx) {
    const ids = Object.values(ctx.body)[0];
    if (Array.isArray(ids)) for (const lsid of ids) ctx.engine.sessions.end(lsid);
    return { ok: 1 };
  },
};

const ok: Command = { run: () => ({ ok: 1 }) };

export const adminCommands: Record<string, Command> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: { ...ok, txn: true },
  buildInfo,
  buildinfo: buildInfo,
  setParameter,
  getParameter,
  serverStatus,
  hostInfo: {
    run: () => ({ system: { hostname: hostname(), cpuArch: process.arch }, os: { type: process.platform }, ok: 1 }),
  },
  whatsmyuri: { run: (ctx) => ({ you: `connection ${ctx.connectionId}`, ok: 1 }) },
  getCmdLineOpts: { run: () => ({ argv: process.argv, parsed: {}, ok: 1 }) },
  connectionStatus: { run: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }) },
  endSessions: sessionCommand,
  killSessions: sessionCommand,
  killAllSessions: {
    run(ctx) {
      ctx.engine.sessions.endAll();
      return { ok: 1 };
    },
  },
  refreshSessions: ok,
};

/**
 * MongoDB's `failCommand` fail point, for tests only (the engine option `testCommands`, or `LINLI_DB_TEST_COMMANDS=1`
 * for the CLI): `configureFailPoint` arms it to fail, delay or drop the next matching commands, so drivers' and the
 * service's retry paths can be exercised. Modes: `alwaysOn`, `off`, `{ times: n }`, `{ skip: n }`.
 */
import { isNumeric, isPlainObject, toNumber, type Doc } from './bson-values';
import { badValue } from './errors';

export interface FailCommand {
  failCommands: string[];
  errorCode?: number;
  errorLabels?: string[];
  closeConnection?: boolean;
  blockTimeMS?: number;
  writeConcernError?: Doc;
  appName?: string;
}

type Mode = { kind: 'alwaysOn' } | { kind: 'times'; left: number } | { kind: 'skip'; left: number };

const count = (v: unknown, name: string): number => {
  if (!isNumeric(v) || toNumber(v) < 0) throw badValue(`'${name}' must be a non-negative number`);
  return toNumber(v);
};

function parseMode(mode: unknown): Mode | null {
  if (mode === 'off') return null;
  if (mode === 'alwaysOn') return { kind: 'alwaysOn' };
  if (isPlainObject(mode) && mode.times !== undefined) return { kind: 'times', left: count(mode.times, 'times') };
  if (isPlainObject(mode) && mode.skip !== undefined) return { kind: 'skip', left: count(mode.skip, 'skip') };
  throw badValue("mode must be 'alwaysOn', 'off', { times: n } or { skip: n }");
}

function parseData(data: unknown): FailCommand {
  if (
    !isPlainObject(data) ||
    !Array.isArray(data.failCommands) ||
    !data.failCommands.every((c) => typeof c === 'string')
  )
    throw badValue('failCommand needs data.failCommands, an array of command names');
  const out: FailCommand = { failCommands: data.failCommands as string[] };
  if (data.errorCode !== undefined) out.errorCode = count(data.errorCode, 'errorCode');
  if (Array.isArray(data.errorLabels)) out.errorLabels = data.errorLabels.map(String);
  if (data.closeConnection === true) out.closeConnection = true;
  if (data.blockConnection === true) out.blockTimeMS = count(data.blockTimeMS ?? 0, 'blockTimeMS');
  if (isPlainObject(data.writeConcernError)) out.writeConcernError = data.writeConcernError;
  if (typeof data.appName === 'string') out.appName = data.appName;
  return out;
}

export class FailPoints {
  private mode: Mode | null = null;
  private data: FailCommand | null = null;
  private entered = 0;

  /** The `configureFailPoint` command; only `failCommand` exists. */
  configure(body: Doc): Doc {
    if (body.configureFailPoint !== 'failCommand')
      throw badValue(`unknown fail point: ${String(body.configureFailPoint)}`);
    const mode = parseMode(body.mode);
    const data = mode ? parseData(body.data) : null;
    const was = this.entered;
    this.mode = mode;
    this.data = data;
    this.entered = 0;
    return { count: was, ok: 1 };
  }

  /** What to do to this command, if the fail point applies to it (counting it against `times` or `skip`). */
  match(command: string, appName: string | undefined): FailCommand | null {
    const { mode, data } = this;
    if (!mode || !data || !data.failCommands.includes(command)) return null;
    if (data.appName !== undefined && data.appName !== appName) return null;
    if (mode.kind === 'skip' && mode.left > 0) {
      mode.left--;
      return null;
    }
    if (mode.kind === 'times') {
      if (mode.left === 0) return null;
      if (--mode.left === 0) this.mode = null;
    }
    this.entered++;
    return data;
  }
}

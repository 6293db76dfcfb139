import { randomUUID } from 'node:crypto';
import { CHINA_OFFSET_MS, chinaMonth, monthBounds } from '../../../shared/china-time';
import type { FastifyBaseLogger } from 'fastify';
import type { ClientSession } from 'mongoose';
import type { Clock } from '../../clock';
import type { Job, JobModel } from './model';

export interface JobContext {
  /** The time the job was due: a monthly job that missed months is run once per missed month. */
  dueAt: Date;
  payload: Record<string, unknown>;
}
export type JobHandler = (context: JobContext) => Promise<void>;

/** Schedules a recurring job understands: every N minutes, or monthly on the 1st at 00:00 China time. */
export type Repeat = `every:${number}m` | 'monthly:1st';

/**
 * The occurrence after `after`, a run that was due then and ran at `now`. Monthly runs catch up month by month
 * (each freezes its own month). `every:` runs do the same work whatever their time, so however many were missed
 * they run once and go on at the next occurrence after `now`, on their schedule: a daily job after three years
 * down runs once, not a thousand times.
 */
export function nextOccurrence(repeat: Repeat | string, after: Date, now: Date = after): Date {
  const every = /^every:(\d+)m$/.exec(repeat);
  if (every) {
    const step = Number(every[1]) * 60_000;
    const missed = Math.max(0, Math.floor((now.getTime() - after.getTime()) / step));
    return new Date(after.getTime() + (missed + 1) * step);
  }
  if (repeat === 'monthly:1st') {
    return monthBounds(chinaMonth(after)).end;
  }
  throw new Error(`Unknown repeat schedule ${repeat}`);
}

/** Daily: missed days run once, on the next poll. */
export const DAILY = 'every:1440m' as const;

/** The first run of a daily job: the next 03:00 China time after `now`, a quiet hour. */
export function nextQuietHour(now: Date): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  const today = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 3) - CHINA_OFFSET_MS;
  return new Date(today > now.getTime() ? today : today + 24 * 3600_000);
}

export interface JobRunnerOptions {
  model: JobModel;
  clock: Clock;
  log: FastifyBaseLogger;
  /** How long a claimed job may run before another instance may take it over. */
  leaseMs?: number;
  /** How often an idle runner looks for due jobs. */
  pollMs?: number;
  maxAttempts?: number;
}

/**
 * The job runner: a small loop per app instance over the `jobs` collection. It survives restarts (jobs live
 * in the database), catches up on missed runs (a due job runs on the next poll; a recurring one as
 * `nextOccurrence` says) and retries failures with exponential backoff.
 */
export function createJobRunner(opts: JobRunnerOptions) {
  const handlers = new Map<string, JobHandler>();
  const owner = randomUUID();
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1000;
  const maxAttempts = opts.maxAttempts ?? 8;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  function define(name: string, handler: JobHandler): void {
    handlers.set(name, handler);
  }

  /** Schedules (or reschedules) the job with this key; with a session, as part of that transaction. */
  async function schedule(
    name: string,
    key: string,
    runAt: Date,
    payload: Record<string, unknown> = {},
    options: { repeat?: Repeat; session?: ClientSession } = {},
  ) {
    await opts.model.updateOne(
      { key },
      {
        $set: {
          name,
          runAt,
          payload,
          repeat: options.repeat ?? null,
          status: 'scheduled',
          attempts: 0,
          lastError: null,
        },
        $unset: { leaseOwner: 1, leaseUntil: 1 },
      },
      { upsert: true, session: options.session },
    );
  }

  /** Makes sure a recurring job exists without moving it if it does (so a restart does not skip a run). */
  async function ensureRecurring(name: string, repeat: Repeat, firstRunAt: Date) {
    await opts.model.updateOne(
      { key: `recurring:${name}` },
      { $setOnInsert: { name, runAt: firstRunAt, repeat, payload: {}, status: 'scheduled' } },
      { upsert: true },
    );
  }

  async function cancel(key: string, session?: ClientSession): Promise<void> {
    await opts.model.deleteOne({ key, status: 'scheduled' }, { session });
  }

  /** Claims one due job (or one whose lease ran out) with a single conditional update. */
  async function claim(): Promise<Job | null> {
    const now = opts.clock.now();
    return opts.model
      .findOneAndUpdate(
        {
          name: { $in: [...handlers.keys()] },
          $or: [
            { status: 'scheduled', runAt: { $lte: now } },
            { status: 'running', leaseUntil: { $lt: now } },
          ],
        },
        {
          $set: { status: 'running', leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) },
          $inc: { attempts: 1 },
        },
        { sort: { runAt: 1 }, returnDocument: 'after' },
      )
      .lean<Job>();
  }

  async function finish(job: Job): Promise<void> {
    const mine = { _id: job._id, leaseOwner: owner, status: 'running' as const };
    if (job.repeat) {
      const runAt = nextOccurrence(job.repeat, job.runAt, opts.clock.now());
      await opts.model.updateOne(mine, {
        $set: { status: 'scheduled', runAt, attempts: 0, lastError: null, leaseOwner: null, leaseUntil: null },
      });
    } else {
      await opts.model.updateOne(mine, { $set: { status: 'done', leaseOwner: null, leaseUntil: null } });
    }
  }

  async function fail(job: Job, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const giveUp = job.attempts >= maxAttempts;
    const backoffMs = Math.min(2 ** job.attempts * 1000, 3600_000);
    await opts.model.updateOne(
      { _id: job._id, leaseOwner: owner, status: 'running' as const },
      {
        $set: {
          status: giveUp ? ('failed' as const) : ('scheduled' as const),
          lastError: message,
          leaseOwner: null,
          leaseUntil: null,
          ...(giveUp ? {} : { runAt: new Date(opts.clock.now().getTime() + backoffMs) }),
        },
      },
    );
    opts.log.warn(
      { job: job.name, key: job.key, attempts: job.attempts, err: message },
      giveUp ? 'job failed for good' : 'job failed; retrying',
    );
  }

  /** Runs every job that is due now, one after another; returns how many ran. */
  async function runDue(): Promise<number> {
    let count = 0;
    for (let job = await claim(); job; job = await claim()) {
      count += 1;
      try {
        await handlers.get(job.name)!({ dueAt: job.runAt, payload: (job.payload ?? {}) as Record<string, unknown> });
        await finish(job);
      } catch (err) {
        await fail(job, err);
      }
    }
    return count;
  }

  function loop(): void {
    if (stopped) return;
    running = runDue()
      .catch((err: unknown) => opts.log.error({ err }, 'job runner poll failed'))
      .then(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  }

  return {
    define,
    schedule,
    ensureRecurring,
    cancel,
    runDue,
    start(): void {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(loop, 0);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;

import type { FastifyInstance } from 'fastify';
import { manualClock } from '../../server/clock';
import { DAILY, nextQuietHour } from '../../server/modules/jobs/runner';
import { buildTestApp } from '../helpers/app';
import { testMongo } from '../helpers/db';

/** Apps sharing one database, as several server instances do; each test gets its own database. */
async function instances(count: number, clock = manualClock(new Date('2026-11-22T08:00:00+08:00'))) {
  const mongo = testMongo();
  const apps: FastifyInstance[] = [];
  for (let i = 0; i < count; i += 1) apps.push(await buildTestApp({ mongo, clock }));
  return { apps, clock, mongo, close: () => Promise.all(apps.map((a) => a.close())) };
}

test('two instances on one database run a due job exactly once', async () => {
  const { apps, close } = await instances(2);
  try {
    const runs: string[] = [];
    apps.forEach((app, i) => app.jobs.define('demo.once', async () => void runs.push(`instance ${i}`)));
    await apps[0]!.jobs.schedule('demo.once', 'demo.once:1', new Date('2026-11-22T00:00:00Z'));
    const counts = await Promise.all(apps.map((app) => app.jobs.runDue()));
    expect(runs).toHaveLength(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
  } finally {
    await close();
  }
});

test('a job scheduled before a restart runs once after it, at its time and not before', async () => {
  const clock = manualClock(new Date('2026-11-22T08:00:00+08:00'));
  const mongo = testMongo();
  const before = await buildTestApp({ mongo, clock });
  before.jobs.define('report.escalate', async () => undefined);
  await before.jobs.schedule('report.escalate', 'escalate:r1', new Date('2026-11-22T09:00:00+08:00'), {
    reportId: 'r1',
  });
  await before.close();

  const after = await buildTestApp({ mongo, clock });
  try {
    const seen: unknown[] = [];
    after.jobs.define(
      'report.escalate',
      async ({ payload, dueAt }) => void seen.push([payload.reportId, dueAt.toISOString()]),
    );
    expect(await after.jobs.runDue()).toBe(0);
    clock.set(new Date('2026-11-22T09:00:00+08:00'));
    expect(await after.jobs.runDue()).toBe(1);
    expect(await after.jobs.runDue()).toBe(0);
    expect(seen).toEqual([['r1', '2026-11-22T01:00:00.000Z']]);
  } finally {
    await after.close();
  }
});

test('a failing job is retried with growing delays, then given up', async () => {
  const { apps, clock, close } = await instances(1);
  const [app] = apps;
  try {
    let calls = 0;
    app!.jobs.define('flaky', async () => {
      calls += 1;
      throw new Error('WeChat busy');
    });
    await app!.jobs.schedule('flaky', 'flaky:1', clock.now());
    const delays: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      await app!.jobs.runDue();
      const job = await app!.models.Job.findOne({ key: 'flaky:1' }).lean();
      if (job!.status === 'failed') break;
      delays.push(job!.runAt.getTime() - clock.now().getTime());
      clock.set(job!.runAt);
    }
    expect(delays.slice(0, 3)).toEqual([2000, 4000, 8000]);
    expect(calls).toBe(8);
    expect((await app!.models.Job.findOne({ key: 'flaky:1' }).lean())!.status).toBe('failed');
  } finally {
    await close();
  }
});

test('a monthly job catches up every month it missed, one occurrence at a time', async () => {
  const { apps, clock, close } = await instances(1, manualClock(new Date('2026-08-15T12:00:00+08:00')));
  const [app] = apps;
  try {
    const months: string[] = [];
    app!.jobs.define('board.freeze', async ({ dueAt }) => void months.push(dueAt.toISOString()));
    await app!.jobs.ensureRecurring('board.freeze', 'monthly:1st', new Date('2026-09-01T00:00:00+08:00'));
    // The service was down from August until late November.
    clock.set(new Date('2026-11-20T10:00:00+08:00'));
    await app!.jobs.runDue();
    expect(months).toEqual(['2026-08-31T16:00:00.000Z', '2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z']);
    // A restart does not move it.
    await app!.jobs.ensureRecurring('board.freeze', 'monthly:1st', new Date('2027-01-01T00:00:00+08:00'));
    expect((await app!.models.Job.findOne({ key: 'recurring:board.freeze' }).lean())!.runAt.toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
  } finally {
    await close();
  }
});

test('a daily job missed for years runs once, then at its usual hour after now', async () => {
  const { apps, clock, close } = await instances(1, manualClock(new Date('2026-08-15T12:00:00+08:00')));
  const [app] = apps;
  try {
    let runs = 0;
    app!.jobs.define('nightly', async () => void (runs += 1));
    await app!.jobs.ensureRecurring('nightly', DAILY, nextQuietHour(clock.now()));
    clock.set(new Date('2029-11-20T10:00:00+08:00'));
    await app!.jobs.runDue();
    expect(runs).toBe(1);
    expect((await app!.models.Job.findOne({ key: 'recurring:nightly' }).lean())!.runAt.toISOString()).toBe(
      '2029-11-20T19:00:00.000Z',
    );
    // At exactly the next 03:00 it runs again, once.
    clock.set(new Date('2029-11-21T02:59:59+08:00'));
    await app!.jobs.runDue();
    expect(runs).toBe(1);
    clock.set(new Date('2029-11-21T03:00:00+08:00'));
    await app!.jobs.runDue();
    expect(runs).toBe(2);
  } finally {
    await close();
  }
});

test('a job whose instance died mid-run is taken over when its lease runs out', async () => {
  const { apps, clock, close } = await instances(1);
  const [app] = apps;
  try {
    let runs = 0;
    app!.jobs.define('stuck', async () => void (runs += 1));
    await app!.models.Job.create({
      name: 'stuck',
      key: 'stuck:1',
      runAt: clock.now(),
      status: 'running',
      leaseOwner: 'a-dead-instance',
      leaseUntil: new Date(clock.now().getTime() + 30_000),
    });
    expect(await app!.jobs.runDue()).toBe(0);
    clock.advance(31_000);
    expect(await app!.jobs.runDue()).toBe(1);
    expect(runs).toBe(1);
  } finally {
    await close();
  }
});

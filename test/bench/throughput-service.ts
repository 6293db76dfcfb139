/**
 * The service side of throughput-bench.ts (not a test), run by it in a process of its own: the app as `npm start`
 * runs it (embedded engine in a child process, log at info to stdout, or `--log-level`), the demo plus `--reports N`
 * reports seeded,
 * listening on loopback. Tells its parent where it listens and as whom to call it, then answers the parent's
 * requests: count the database round trips of what follows, and take a CPU profile of what follows.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { seedReports } from './report-seed';
import { arg, startBenchService } from './service';

export interface ServiceReady {
  base: string;
  sessions: Record<'owner' | 'staff' | 'grid', Record<string, string>>;
  /** A report the owner filed: the detail and the write (follow) call it. */
  reportId: string;
}

export type ServiceRequest =
  { op: 'count-start' } | { op: 'count-stop' } | { op: 'profile-start' } | { op: 'profile-stop'; file: string };

async function main() {
  const levelAt = process.argv.indexOf('--log-level');
  const level = levelAt > 0 ? process.argv[levelAt + 1]! : 'info';
  const service = await startBenchService('throughput', { logger: { level } });
  const { app } = service;
  const community = await service.community();
  await seedReports(app, community, arg('reports', 100_000), Date.now());
  await service.listen();
  const sessions = {
    owner: await service.session('owner'),
    staff: await service.session('staff'),
    grid: await service.session('grid'),
  };
  const owner = await app.models.User.findOne({ openid: 'demo-owner' }).lean();
  const report = await app.models.Report.findOne({ communityId: community._id, reporterId: owner!._id }).lean();

  // Every mongoose operation is one round trip to the engine (a cursor's further batches aside).
  let commands = 0;
  const profiler = new Session();
  profiler.connect();
  process.on('message', (message: ServiceRequest) => {
    void (async () => {
      switch (message.op) {
        case 'count-start':
          commands = 0;
          app.db.connection.set('debug', () => {
            commands += 1;
          });
          process.send!({ op: message.op });
          break;
        case 'count-stop':
          app.db.connection.set('debug', false);
          process.send!({ op: message.op, commands });
          break;
        case 'profile-start':
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
          process.send!({ op: message.op });
          break;
        case 'profile-stop': {
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(message.file, JSON.stringify(profile));
          process.send!({ op: message.op });
          break;
        }
      }
    })();
  });
  process.on('disconnect', () => {
    void service.stop().then(() => process.exit(0));
  });
  process.send!({
    op: 'ready',
    ready: { base: service.base(), sessions, reportId: String(report!._id) } satisfies ServiceReady,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

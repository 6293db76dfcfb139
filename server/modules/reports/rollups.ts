import { mongo, Schema, type Connection, type Types } from 'mongoose';
import { CHINA_OFFSET_MS, chinaDate } from '../../../shared/china-time';
import { tenantScoped } from '../../data/tenant-scope';
import type { Models } from '../../plugins/models';
import type { Report } from './model';

/**
 * Per-day rollups of the report figures. Figures count the reports submitted in a range as they are now (state,
 * answers, ratings), so a day's rollup changes whenever one of its reports moves. Rather than add bookkeeping to
 * every write, a rollup records when it was checked (`checkedAt`, on the clock mongoose stamps a report's `updatedAt`
 * with: this process's); reading it first asks for the reports of its days written since, and rebuilds the days they belong
 * to. What depends on the moment of reading (deadlines passed) is kept as the deadlines themselves. Durations
 * are kept as hour histograms, with the exact values per hour in a second collection, so the p90 is exact: the
 * histograms find its hour, and only that hour's values are read.
 */

const { Binary } = mongo;
type Binary = InstanceType<typeof Binary>;

const DAY_MS = 86_400_000;
const BUCKET_MS = 3_600_000;
/**
 * A report's `updatedAt` is stamped just before its write is sent, so a write stamped before a check may land
 * after it; checks claim only what was written this long before them.
 */
const SETTLE_MS = 30_000;
const RECHECK_MS = 5 * 60_000;
/** The days the nightly job keeps built: a year's range, whatever day it starts on. */
const WARM_DAYS = 366;
/** The nightly job that keeps the rollups of the last year built. */
export const ROLLUPS_JOB = 'reports.rollups';

/** The fields of a report the figures read. */
export const FIGURE_FIELDS = {
  gridId: 1,
  category: 1,
  state: 1,
  createdAt: 1,
  respondedAt: 1,
  respondedOnTime: 1,
  firstAcceptBy: 1,
  firstResolveBy: 1,
  firstResolvedAt: 1,
  resolvedOnTime: 1,
  'rating.score': 1,
  reopenCount: 1,
} as const;
export type FigureRow = Pick<
  Report,
  | 'gridId'
  | 'category'
  | 'state'
  | 'createdAt'
  | 'respondedAt'
  | 'respondedOnTime'
  | 'firstAcceptBy'
  | 'firstResolveBy'
  | 'firstResolvedAt'
  | 'resolvedOnTime'
  | 'reopenCount'
> & { rating?: { score?: number | null } | null };

export type DurationKind = 'accept' | 'resolve';
/** Count, sum (ms) and hour histogram ([hour, count], by hour) of one kind of duration. */
interface Spread {
  count: number;
  sum: number;
  hist: [number, number][];
}

/** What a set of reports adds to the figures, as of `asOf` for the deadlines not yet passed then. */
export interface Part {
  cells: { category: string; state: string; count: number }[];
  answered: number;
  respondedOnTime: number;
  /** Unanswered reports: how many were past their first accept deadline at `asOf`, and the later deadlines (ms). */
  acceptPast: number;
  acceptDue: number[];
  everResolved: number;
  resolvedOnTime: number;
  resolvePast: number;
  resolveDue: number[];
  rated: number;
  ratingSum: number;
  atLeast4: number;
  reopened: number;
  accept: Spread;
  resolve: Spread;
}

/** The durations of a set of reports by hour: what the p90 is picked from. */
export type Values = Record<DurationKind, Map<number, number[]>>;

const bucketOf = (ms: number) => Math.floor(ms / BUCKET_MS);

/** Sums up `rows` as of `asOf`, with their durations by hour. */
export function summarise(rows: Iterable<FigureRow>, asOf: Date): { part: Part; values: Values } {
  const cells = new Map<string, { category: string; state: string; count: number }>();
  const part: Part = {
    cells: [],
    answered: 0,
    respondedOnTime: 0,
    acceptPast: 0,
    acceptDue: [],
    everResolved: 0,
    resolvedOnTime: 0,
    resolvePast: 0,
    resolveDue: [],
    rated: 0,
    ratingSum: 0,
    atLeast4: 0,
    reopened: 0,
    accept: { count: 0, sum: 0, hist: [] },
    resolve: { count: 0, sum: 0, hist: [] },
  };
  const values: Values = { accept: new Map(), resolve: new Map() };
  const spend = (kind: DurationKind, ms: number) => {
    part[kind].count++;
    part[kind].sum += ms;
    const bucket = bucketOf(ms);
    const list = values[kind].get(bucket);
    if (list) list.push(ms);
    else values[kind].set(bucket, [ms]);
  };
  const at = asOf.getTime();
  for (const r of rows) {
    const key = `${r.category}\u0000${r.state}`;
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { category: r.category, state: r.state, count: 1 });
    if (r.respondedAt) {
      part.answered++;
      spend('accept', r.respondedAt.getTime() - r.createdAt.getTime());
    } else if (r.firstAcceptBy.getTime() <= at) part.acceptPast++;
    else part.acceptDue.push(r.firstAcceptBy.getTime());
    if (r.respondedOnTime === true) part.respondedOnTime++;
    if (r.firstResolvedAt) {
      part.everResolved++;
      spend('resolve', r.firstResolvedAt.getTime() - r.createdAt.getTime());
      if (r.reopenCount > 0) part.reopened++;
    } else if (r.firstResolveBy) {
      if (r.firstResolveBy.getTime() <= at) part.resolvePast++;
      else part.resolveDue.push(r.firstResolveBy.getTime());
    }
    if (r.resolvedOnTime === true) part.resolvedOnTime++;
    const score = r.rating?.score;
    if (typeof score === 'number' && score >= 1) {
      part.rated++;
      part.ratingSum += score;
      if (score >= 4) part.atLeast4++;
    }
  }
  part.cells = [...cells.values()];
  for (const kind of ['accept', 'resolve'] as const)
    part[kind].hist = [...values[kind]].map(([bucket, list]) => [bucket, list.length] as [number, number]);
  return { part, values };
}

const daySchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  /** The China date, YYYY-MM-DD. */
  day: { type: String, required: true },
  /** Every write to the day's reports stamped before this is counted. */
  checkedAt: { type: Date, required: true },
  /** The app's time the deadlines were compared with. */
  asOf: { type: Date, required: true },
  /**
   * One part per grid, `{ gridId, part }` (gridId null: reports outside any grid), the part as JSON: a year of
   * parts is hundreds of thousands of small values, which the database would encode and decode one by one.
   */
  grids: { type: Schema.Types.Mixed, required: true },
  /**
   * The day's part over every grid, as JSON: what the community's figures read (one part a day rather than one per
   * grid). Days stored before it was kept lack it; their grids' parts are read instead.
   */
  all: { type: String },
});
daySchema.index({ communityId: 1, day: 1 }, { unique: true });
daySchema.plugin(tenantScoped);

const valuesSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  day: { type: String, required: true },
  kind: { type: String, enum: ['accept', 'resolve'], required: true },
  bucket: { type: Number, required: true },
  /**
   * `{ gridId, ms }` per grid: the durations in this hour, ms, as the bytes of a Float64Array (at a million reports
   * a year of one hour is hundreds of thousands of numbers, which the database would encode and decode one by
   * one); read and written whole.
   */
  grids: { type: Schema.Types.Mixed, required: true },
});
valuesSchema.index({ communityId: 1, kind: 1, bucket: 1, day: 1 }, { unique: true });
valuesSchema.index({ communityId: 1, day: 1 });
valuesSchema.plugin(tenantScoped);

export function figureDayModel(connection: Connection) {
  return connection.model('ReportFigureDay', daySchema, 'report_figure_days');
}
export function figureValuesModel(connection: Connection) {
  return connection.model('ReportFigureValues', valuesSchema, 'report_figure_values');
}

interface DayDoc {
  day: string;
  checkedAt: Date;
  asOf: Date;
  grids: { gridId: Types.ObjectId | null; part: string }[];
  all?: string;
}

/** The first moment of the China day `at` falls in. */
export const dayStart = (at: number) => Math.floor((at + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;

type RollupModels = Pick<Models, 'Report' | 'ReportFigureDay' | 'ReportFigureValues'>;

/** The rollups of a community's days, kept up to date as they are read. */
export function createRollups(models: RollupModels, wallClock: () => number = Date.now) {
  /** One refresh per community at a time in this process, so two readers do not rebuild the same days. */
  const running = new Map<string, Promise<unknown>>();

  /** Stores the rollups of some days (their values replacing those stored before). */
  async function save(communityId: Types.ObjectId, days: DayDoc[], values: Map<string, ValuesDoc>) {
    await models.ReportFigureValues.deleteMany({ communityId, day: { $in: days.map((d) => d.day) } });
    if (values.size)
      await models.ReportFigureValues.insertMany(
        [...values.values()].map((v) => ({ communityId, ...v })),
        { ordered: false, lean: true },
      );
    await models.ReportFigureDay.bulkWrite(
      days.map((doc) => ({
        replaceOne: { filter: { communityId, day: doc.day }, replacement: { communityId, ...doc }, upsert: true },
      })),
      { ordered: false },
    );
  }

  /**
   * Builds the days [start, end) (day starts, ms) from the reports, read in order of submission a day at a time,
   * and stores them a month at a time, checked as of `checkedAt`.
   */
  async function build(communityId: Types.ObjectId, start: number, end: number, asOf: Date, checkedAt: Date) {
    const built: DayDoc[] = [];
    let pending: DayDoc[] = [];
    let values = new Map<string, ValuesDoc>();
    let at = start;
    let grids = new Map<string, { gridId: Types.ObjectId | null; rows: FigureRow[] }>();
    /** Closes the day starting at `at` and moves to the next one, saving every 31 days. */
    const closeDay = async () => {
      const day = chinaDate(new Date(at));
      const doc: DayDoc = {
        day,
        checkedAt,
        asOf,
        grids: [],
        all: JSON.stringify(
          summarise(
            [...grids.values()].flatMap((g) => g.rows),
            asOf,
          ).part,
        ),
      };
      for (const { gridId, rows } of grids.values()) {
        const summed = summarise(rows, asOf);
        doc.grids.push({ gridId, part: JSON.stringify(summed.part) });
        for (const kind of ['accept', 'resolve'] as const)
          for (const [bucket, ms] of summed.values[kind]) {
            const key = `${kind}/${bucket}/${day}`;
            const entry = values.get(key) ?? { day, kind, bucket, grids: [] };
            entry.grids.push({ gridId, ms: Buffer.from(Float64Array.from(ms).buffer) });
            values.set(key, entry);
          }
      }
      pending.push(doc);
      grids = new Map();
      at += DAY_MS;
      if (pending.length >= 31 || at >= end) {
        await save(communityId, pending, values);
        built.push(...pending);
        [pending, values] = [[], new Map()];
      }
    };
    const cursor = models.Report.find(
      { communityId, createdAt: { $gte: new Date(start), $lt: new Date(end) } },
      FIGURE_FIELDS,
    )
      .sort({ createdAt: 1 })
      // Large batches: a year of a busy community is a million rows, each batch a round trip.
      .batchSize(10_000)
      .lean<FigureRow[]>()
      .cursor();
    for await (const row of cursor as AsyncIterable<FigureRow>) {
      while (row.createdAt.getTime() >= at + DAY_MS) await closeDay();
      const key = String(row.gridId ?? '');
      const group = grids.get(key);
      if (group) group.rows.push(row);
      else grids.set(key, { gridId: row.gridId ?? null, rows: [row] });
    }
    while (at < end) await closeDay();
    return built;
  }

  /**
   * The rollups of the days [start, end) (day starts, ms, before today), rebuilt where missing, where a report
   * of theirs was written since they were checked, or where they were computed for a later moment than `now`.
   */
  async function refresh(communityId: Types.ObjectId, start: number, end: number, now: Date): Promise<DayDoc[]> {
    const checkedAt = new Date(wallClock() - SETTLE_MS);
    const first = chinaDate(new Date(start));
    const last = chinaDate(new Date(end - 1));
    const stored = await models.ReportFigureDay.find({ communityId, day: { $gte: first, $lte: last } }).lean<
      DayDoc[]
    >();
    const byDay = new Map(stored.map((d) => [d.day, d]));
    const stale = new Set<string>();
    for (let at = start; at < end; at += DAY_MS) {
      const doc = byDay.get(chinaDate(new Date(at)));
      if (!doc || doc.asOf > now) stale.add(chinaDate(new Date(at)));
    }
    const oldest = stored.reduce<Date | null>((a, d) => (!a || d.checkedAt < a ? d.checkedAt : a), null);
    if (oldest) {
      const written = await models.Report.find(
        { communityId, updatedAt: { $gte: oldest }, createdAt: { $gte: new Date(start), $lt: new Date(end) } },
        { createdAt: 1, updatedAt: 1 },
      ).lean<{ createdAt: Date; updatedAt: Date }[]>();
      for (const r of written) {
        const doc = byDay.get(chinaDate(r.createdAt));
        if (doc && r.updatedAt >= doc.checkedAt) stale.add(doc.day);
      }
    }
    // Rebuild stale days in runs of consecutive days, one read of the reports per run.
    let runStart: number | null = null;
    for (let at = start; at <= end; at += DAY_MS) {
      const isStale = at < end && stale.has(chinaDate(new Date(at)));
      if (isStale && runStart === null) runStart = at;
      if (!isStale && runStart !== null) {
        for (const doc of await build(communityId, runStart, at, now, checkedAt)) byDay.set(doc.day, doc);
        runStart = null;
      }
    }
    // Days found unchanged are marked checked now, so the next look for writes starts here; at most every few
    // minutes, not on every read.
    const stillOld = new Date(checkedAt.getTime() - RECHECK_MS);
    const fresh = stored.filter((d) => !stale.has(d.day) && d.checkedAt < stillOld).map((d) => d.day);
    if (fresh.length)
      await models.ReportFigureDay.updateMany(
        { communityId, day: { $in: fresh }, checkedAt: { $lt: checkedAt } },
        { $set: { checkedAt } },
      );
    return [...byDay.values()].filter((d) => d.day >= first && d.day <= last);
  }

  /** See `refresh`; one refresh per community at a time. */
  function days(communityId: Types.ObjectId, start: number, end: number, now: Date): Promise<DayDoc[]> {
    const key = String(communityId);
    const previous = running.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => refresh(communityId, start, end, now));
    running.set(key, next);
    void next.finally(() => {
      if (running.get(key) === next) running.delete(key);
    });
    return next;
  }

  /**
   * Builds, or brings up to date, the rollups of the year before today (or since the community's first report), so
   * that the first read of a long range does not build them; answers how many days there are.
   */
  async function warm(communityId: Types.ObjectId, now: Date): Promise<number> {
    const first = await models.Report.findOne({ communityId }, { createdAt: 1 }).sort({ createdAt: 1 }).lean();
    if (!first) return 0;
    const end = dayStart(now.getTime());
    const start = Math.max(dayStart(first.createdAt.getTime()), end - WARM_DAYS * DAY_MS);
    return start < end ? (await days(communityId, start, end, now)).length : 0;
  }

  /** The parts of `days` for one grid, or for all. */
  function parts(days: DayDoc[], gridId: Types.ObjectId | undefined): Part[] {
    return days.flatMap((d) =>
      !gridId && d.all !== undefined
        ? [JSON.parse(d.all) as Part]
        : d.grids
            .filter((g) => !gridId || (g.gridId !== null && gridId.equals(g.gridId)))
            .map((g) => JSON.parse(g.part) as Part),
    );
  }

  /** The stored durations of `kind` in hour `bucket` over the days [first, last], of one grid or all. */
  async function stored(
    communityId: Types.ObjectId,
    gridId: Types.ObjectId | undefined,
    first: string,
    last: string,
    kind: DurationKind,
    bucket: number,
  ): Promise<Float64Array> {
    const docs = await models.ReportFigureValues.find({
      communityId,
      kind,
      bucket,
      day: { $gte: first, $lte: last },
    }).lean<{ grids: DayGridValues[] }[]>();
    return joined(
      docs.flatMap((d) =>
        d.grids.filter((g) => !gridId || (g.gridId !== null && gridId.equals(g.gridId))).map((g) => durations(g.ms)),
      ),
    );
  }

  return { days, warm, parts, stored };
}
export type Rollups = ReturnType<typeof createRollups>;

interface DayGridValues {
  gridId: Types.ObjectId | null;
  /** Float64Array bytes, read back as BSON binary; a plain array in rollups stored before. */
  ms: Buffer | Binary | number[];
}

/** The durations stored in a values document. */
function durations(stored: DayGridValues['ms']): Float64Array {
  if (Array.isArray(stored)) return Float64Array.from(stored);
  const bytes = stored instanceof Binary ? stored.buffer : stored;
  // Copied (new Uint8Array copies): within the reply the bytes need not start at a multiple of 8.
  return new Float64Array(new Uint8Array(bytes).buffer);
}

/** The values of `parts` in one array (typed: the p90 sorts it natively). */
export function joined(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
interface ValuesDoc {
  day: string;
  kind: DurationKind;
  bucket: number;
  grids: DayGridValues[];
}

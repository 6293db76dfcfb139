import { Types } from 'mongoose';
import { maskName } from '../../../shared/masking';
import {
  allowedActions,
  ANONYMOUS_REPORTER,
  distanceMeters,
  type ReportState,
  type ResponseLevel,
} from '../../../shared/reports';
import type { NodeRef } from '../../../shared/schemas/people';
import type { CategoryView, ReportPage, ReportView } from '../../../shared/schemas/reports';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { readCacheOf } from '../../data/read-cache';
import { inScope } from '../../data/tenant-scope';
import type { Media } from '../media/model';
import type { PlaceNode } from '../places/model';
import { placeRefs } from '../places/service';
import type { Actor } from '../roles/access';
import type { Report } from './model';
import type { ReportDeps } from './context';
import type { Visibility } from './visibility';

const LIST_SORT = ['createdAt', '_id'] as const;
/** Handling lists show the most urgent first: the deadline in force, soonest first. */
const DUE_SORT = ['dueAt', '_id'] as const;
/** What a list page is read from: a write to any of these makes the kept page stale (places never change). */
const PAGE_MODELS = ['Report', 'User', 'ReportCategory', 'Media'] as const;

const photosOf = (r: Report) => [...r.mediaIds, ...(r.resolution?.mediaIds ?? [])];

interface PageData {
  places: Map<string, NodeRef>;
  names: Map<string, string>;
  categories: Map<string, CategoryView>;
  media: ReadonlyMap<string, Media>;
  /** What every reader sees alike of each report, in the page's order. */
  shown: SharedView[];
}
const NO_DATA: PageData = { places: new Map(), names: new Map(), categories: new Map(), media: new Map(), shown: [] };

/** A report's view less what depends on who reads it. */
type SharedView = Omit<
  ReportView,
  'reporter' | 'media' | 'overdue' | 'resolution' | 'following' | 'canContactReporter' | 'actions'
>;

/** The read path: the view of a report as the actor sees it, a report's detail, the list pages, "me too". */
export function createLists(deps: ReportDeps, visibility: Visibility) {
  const { models, categories } = deps;
  const { standing, estatesOf, canSee, load } = visibility;

  /**
   * What a page of reports shows besides the reports, read all at once: its places with their ancestors (a report
   * keeps its ancestry), the people named, the categories and the photos, and what every reader sees alike. It does
   * not depend on who reads, so a list page keeps it with the reports in the read cache.
   */
  async function pageData(actor: Actor, reports: Report[]): Promise<PageData> {
    const communityIds = [...new Set(reports.map((r) => String(r.communityId)))].map((id) => new Types.ObjectId(id));
    const [places, users, categoryLists, media] = await Promise.all([
      models.Node.find(
        { _id: { $in: reports.flatMap((r) => [r.nodeId, ...r.ancestors]) }, communityId: { $in: communityIds } },
        { name: 1, kind: 1, ancestors: 1 },
      ).lean<Pick<PlaceNode, '_id' | 'name' | 'kind' | 'ancestors'>[]>(),
      models.User.find(
        { _id: { $in: reports.flatMap((r) => [r.reporterId, ...(r.assignee?.userId ? [r.assignee.userId] : [])]) } },
        { displayName: 1 },
      ).lean(),
      Promise.all(communityIds.map(async (id) => [String(id), await categories.list(id)] as const)),
      deps.media.find(actor, reports.flatMap(photosOf)),
    ]);
    const byId = new Map(places.map((p) => [String(p._id), p]));
    const data = {
      places: placeRefs(
        reports.flatMap((r) => byId.get(String(r.nodeId)) ?? []),
        byId,
      ),
      names: new Map(users.map((u) => [String(u._id), u.displayName])),
      categories: new Map(
        categoryLists.flatMap(([community, list]) => list.map((c) => [`${community}/${c.code}`, c] as const)),
      ),
      media,
    };
    return { ...data, shown: shownAlike(reports, data) };
  }

  async function views(actor: Actor, reports: Report[]): Promise<ReportView[]> {
    return reports.length === 0 ? [] : present(actor, reports, await pageData(actor, reports));
  }

  /** The reports as the actor sees them: what is the same for every reader comes from the page's data. */
  function present(actor: Actor, reports: Report[], data: PageData): ReportView[] {
    const nameOf = (id: Types.ObjectId) => data.names.get(String(id)) ?? '';
    const now = deps.now();
    return reports.map((r, i) => {
      const isMe = r.reporterId.equals(actor.userId);
      const { roles, handles } = standing(actor, r);
      // Those who dispatch or handle a report see its photos before WeChat's check, as staff do.
      const photoViews = (ids: Types.ObjectId[]) =>
        deps.media.viewsOf(actor, data.media, ids, handles ? { standing: 'handling' } : {});
      const due = r.dueAt;
      const alike = data.shown[i]!;
      // Field by field rather than spread: every view then has one shape, which keeps serialising it fast.
      return {
        id: alike.id,
        category: alike.category,
        description: alike.description,
        state: alike.state,
        level: alike.level,
        priority: alike.priority,
        private: alike.private,
        place: alike.place,
        location: alike.location,
        reporter: {
          displayName: isMe ? nameOf(r.reporterId) : r.showName ? maskName(nameOf(r.reporterId)) : ANONYMOUS_REPORTER,
          isMe,
        },
        media: photoViews(r.mediaIds),
        assignee: alike.assignee,
        acceptBy: alike.acceptBy,
        resolveBy: alike.resolveBy,
        overdue: !!due && due < now,
        overdueSince: alike.overdueSince,
        createdAt: alike.createdAt,
        updatedAt: alike.updatedAt,
        resolvedAt: alike.resolvedAt,
        closedAt: alike.closedAt,
        autoClosed: alike.autoClosed,
        rejection: alike.rejection,
        resolution: r.resolution
          ? { note: r.resolution.note ?? '', media: photoViews(r.resolution.mediaIds ?? []) }
          : null,
        rating: alike.rating,
        reopenCount: alike.reopenCount,
        followerCount: alike.followerCount,
        following: r.followers.some((f) => f.equals(actor.userId)),
        canContactReporter: !isMe && handles,
        moderation: alike.moderation,
        actions: allowedActions(r.state as ReportState, roles),
      };
    });
  }

  /** What every reader sees alike of each report. */
  function shownAlike(reports: Report[], data: Omit<PageData, 'shown'>): SharedView[] {
    const nameOf = (id: Types.ObjectId) => data.names.get(String(id)) ?? '';
    return reports.map((r) => {
      const category = data.categories.get(`${String(r.communityId)}/${r.category}`);
      return {
        id: String(r._id),
        category: { code: r.category, name: category?.name ?? r.category, icon: category?.icon ?? 'help' },
        description: r.description,
        state: r.state as ReportState,
        level: r.level as ResponseLevel,
        priority: r.priority as ReportView['priority'],
        private: r.private,
        place: data.places.get(String(r.nodeId))!,
        location: r.location ? { longitude: r.location.coordinates[0]!, latitude: r.location.coordinates[1]! } : null,
        assignee: r.assignee
          ? {
              kind: r.assignee.kind as 'person' | 'property',
              displayName: r.assignee.kind === 'property' ? '物业' : maskName(nameOf(r.assignee.userId!)),
            }
          : null,
        acceptBy: r.acceptBy?.toISOString() ?? null,
        resolveBy: r.resolveBy?.toISOString() ?? null,
        overdueSince: r.overdueSince?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
        closedAt: r.closedAt?.toISOString() ?? null,
        autoClosed: r.autoClosed,
        rejection: r.rejection
          ? {
              kind: r.rejection.kind ?? 'invalid',
              note: r.rejection.note ?? '',
              duplicateOf: r.rejection.duplicateOf ? String(r.rejection.duplicateOf) : null,
            }
          : null,
        rating: r.rating ? { score: r.rating.score ?? 0, comment: r.rating.comment ?? '' } : null,
        reopenCount: r.reopenCount,
        followerCount: r.followers.length,
        moderation: r.moderation.state as ReportView['moderation'],
      };
    });
  }

  async function get(actor: Actor, id: string): Promise<ReportView> {
    return (await views(actor, [await load(actor, id)]))[0]!;
  }

  /** Open reports of a category near a point, for the "me too" suggestion before filing. */
  async function nearby(actor: Actor, code: string, point: { longitude: number; latitude: number }) {
    const communityId = actor.scope.communityIds[0];
    if (!communityId) return [];
    const category = await categories.get(communityId, code);
    if (category.duplicateRadiusMeters === 0) return [];
    const found = await models.Report.find({
      communityId: { $in: actor.scope.communityIds },
      category: code,
      state: { $in: ['submitted', 'accepted', 'assigned', 'in_progress'] },
      private: false,
      'moderation.state': 'visible',
      location: {
        $nearSphere: {
          $geometry: { type: 'Point', coordinates: [point.longitude, point.latitude] },
          $maxDistance: category.duplicateRadiusMeters,
        },
      },
    })
      .limit(10)
      .lean<Report[]>();
    const visible: Report[] = [];
    for (const r of found) if (await canSee(actor, r)) visible.push(r);
    const reportViews = await views(actor, visible);
    return reportViews.map((view, i) => ({
      report: view,
      distanceMeters: Math.round(
        distanceMeters(visible[i]!.location!.coordinates as [number, number], [point.longitude, point.latitude]),
      ),
    }));
  }

  /** A page of reports for one of the list views. */
  async function list(
    actor: Actor,
    query: {
      view: 'mine' | 'estate' | 'handling' | 'all';
      state?: string;
      category?: string;
      cursor?: string;
      limit: number;
    },
  ): Promise<ReportPage> {
    const filters: Record<string, unknown>[] = [];
    if (query.state) filters.push({ state: query.state });
    if (query.category) filters.push({ category: query.category });
    if (query.view === 'mine') filters.push({ $or: [{ reporterId: actor.userId }, { followers: actor.userId }] });
    if (query.view === 'estate')
      filters.push({ estateId: { $in: await estatesOf(actor) }, private: false, 'moderation.state': 'visible' });
    if (query.view === 'handling' || query.view === 'all') {
      const covered = actor.effective
        .filter((g) => ['grid_worker', 'community_staff', 'street_staff', 'admin'].includes(g.role))
        .map((g) => new Types.ObjectId(g.nodeId));
      const mine: Record<string, unknown>[] = [{ 'assignee.userId': actor.userId }, { ancestors: { $in: covered } }];
      const estates = actor.effective
        .filter((g) => g.role === 'property_handler')
        .map((g) => new Types.ObjectId(g.nodeId));
      if (estates.length > 0) mine.push({ 'assignee.kind': 'property', ancestors: { $in: estates } });
      filters.push({ $or: mine });
      if (query.view === 'handling' && !query.state)
        filters.push({ state: { $in: ['submitted', 'accepted', 'assigned', 'in_progress'] } });
    }
    // Handling lists show the most urgent first: the deadline in force (dueAt), soonest first.
    const handling = query.view === 'handling';
    const sort = handling ? DUE_SORT : LIST_SORT;
    const values = query.cursor ? decodeCursor(query.cursor, ['date', 'objectId']) : undefined;
    if (values) filters.push(afterCursor(sort, values, handling ? 'asc' : 'desc'));
    // Walk the deadline index in order from the cursor (or the earliest date; reports with no deadline sort
    // before any date and are skipped by the bound), stopping at a page: the other conditions only filter.
    const due = handling ? { dueAt: { $gte: (values?.[0] as Date | undefined) ?? new Date(-8.64e15) } } : {};
    const filter = { ...inScope(actor.scope), ...due, $and: [{}, ...filters] };
    // The same filter gives the same page to whoever asks (the reader changes only how it is shown): staff of a
    // community share their pages, a resident's repeated pull shares its own.
    const key = `reports:${JSON.stringify([handling, query.limit, filter])}`;
    const { items, nextCursor, data } = await readCacheOf(deps.connection).get(key, PAGE_MODELS, async () => {
      const page = await models.Report.find(filter)
        .sort(handling ? { dueAt: 1, _id: 1 } : { createdAt: -1, _id: -1 })
        .hint(handling ? { communityId: 1, dueAt: 1, _id: 1 } : { communityId: 1, createdAt: -1, _id: -1 })
        .limit(query.limit + 1)
        .lean<Report[]>();
      const { items, nextCursor } = pageOf(page, query.limit, sort);
      return { items, nextCursor, data: items.length > 0 ? await pageData(actor, items) : NO_DATA };
    });
    return { items: present(actor, items, data), nextCursor };
  }

  return { views, get, nearby, list };
}
export type Lists = ReturnType<typeof createLists>;

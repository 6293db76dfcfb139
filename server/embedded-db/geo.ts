/**
 * Geospatial support for points: `$near`/`$nearSphere`/`$geoNear` (distance on a sphere, meters for GeoJSON,
 * radians for legacy pairs) and `$geoWithin`/`$geoIntersects` against Polygon, MultiPolygon, `$centerSphere`,
 * `$box`, `$polygon` and `$center`. Polygon edges are treated as straight lines in longitude/latitude, which matches
 * MongoDB's spherical answer closely for polygons of city scale.
 */
import { badValue, unsupported } from './errors';
import { isPlainObject, toNumber, type Doc } from './bson-values';

type Point = [number, number];

/** MongoDB's earth radius for 2dsphere distances, in meters. */
export const EARTH_RADIUS_M = 6378100;

/** A document value read as a point: GeoJSON Point, legacy `[lng, lat]` or `{ lng, lat }` (first two values). */
export function toPoint(v: unknown): Point | null {
  if (isPlainObject(v) && v.type === 'Point' && Array.isArray(v.coordinates)) return toPoint(v.coordinates);
  const values = Array.isArray(v) ? v : isPlainObject(v) && v.type === undefined ? Object.values(v) : null;
  if (!values || values.length < 2) return null;
  const x = toNumber(values[0]);
  const y = toNumber(values[1]);
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
}

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in radians. */
export function sphereDistance(a: Point, b: Point): number {
  const dLat = rad(b[1] - a[1]);
  const dLng = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function inRing(p: Point, ring: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Point;
    const [xj, yj] = ring[j] as Point;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const ringOf = (coords: unknown): Point[] => {
  if (!Array.isArray(coords)) throw badValue('invalid polygon coordinates');
  return coords.map((c) => {
    const p = toPoint(c);
    if (!p) throw badValue('invalid polygon coordinates');
    return p;
  });
};

/** A polygon with holes: inside the outer ring and outside every hole. */
const inPolygon = (p: Point, rings: unknown): boolean => {
  if (!Array.isArray(rings) || rings.length === 0) throw badValue('Polygon needs at least one ring');
  const [outer, ...holes] = rings.map(ringOf);
  return inRing(p, outer as Point[]) && !holes.some((h) => inRing(p, h));
};

/** Compiles a `$geoWithin` / `$geoIntersects` shape into a point predicate. */
export function compileShape(shape: unknown, operator: string): (p: Point) => boolean {
  if (!isPlainObject(shape)) throw badValue(`${operator} needs a shape`);
  if (isPlainObject(shape.$geometry)) {
    const g = shape.$geometry;
    if (g.type === 'Polygon') return (p) => inPolygon(p, g.coordinates);
    if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
      const polys = g.coordinates as unknown[];
      return (p) => polys.some((rings) => inPolygon(p, rings));
    }
    if (g.type === 'Point' && operator === '$geoIntersects') {
      const q = toPoint(g);
      return (p) => q !== null && p[0] === q[0] && p[1] === q[1];
    }
    throw unsupported(`${operator} with $geometry type ${String(g.type)}`);
  }
  const [kind, arg] = Object.entries(shape)[0] ?? [];
  if (kind === '$centerSphere' || kind === '$center') {
    const center = Array.isArray(arg) ? toPoint(arg[0]) : null;
    const radius = Array.isArray(arg) ? toNumber(arg[1]) : NaN;
    if (!center || !Number.isFinite(radius)) throw badValue(`${kind} needs [[x, y], radius]`);
    if (kind === '$center') return (p) => Math.hypot(p[0] - center[0], p[1] - center[1]) <= radius;
    return (p) => sphereDistance(center, p) <= radius;
  }
  if (kind === '$box') {
    const [lo, hi] = ringOf(arg);
    if (!lo || !hi) throw badValue('$box needs two corners');
    return (p) => p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1];
  }
  if (kind === '$polygon') {
    const ring = ringOf(arg);
    return (p) => inRing(p, ring);
  }
  throw unsupported(`${operator} shape ${String(kind)}`);
}

export interface NearQuery {
  field: string;
  point: Point;
  /** Distances are reported and limited in meters for GeoJSON points, in radians for legacy pairs. */
  metersScale: number;
  minDistance: number;
  maxDistance: number;
}

/** Parses `{ $near | $nearSphere: … }` on `field`. */
export function parseNear(field: string, spec: Doc): NearQuery {
  const op = '$near' in spec ? '$near' : '$nearSphere';
  const arg = spec[op];
  let point: Point | null;
  let geoJson: boolean;
  let min = spec.$minDistance;
  let max = spec.$maxDistance;
  if (isPlainObject(arg) && isPlainObject(arg.$geometry)) {
    point = toPoint(arg.$geometry);
    geoJson = true;
    min = arg.$minDistance ?? min;
    max = arg.$maxDistance ?? max;
  } else {
    if (op === '$near') throw unsupported('$near with legacy coordinates (2d indexes); use $geometry or $nearSphere');
    point = toPoint(arg);
    geoJson = false;
  }
  if (!point) throw badValue(`invalid point in ${op}`);
  return {
    field,
    point,
    metersScale: geoJson ? EARTH_RADIUS_M : 1,
    minDistance: min === undefined ? 0 : toNumber(min),
    maxDistance: max === undefined ? Infinity : toNumber(max),
  };
}

/** Distance from the query point to the nearest point stored at `values`, or null when none is a point. */
export function nearestDistance(near: NearQuery, values: unknown[]): number | null {
  let best: number | null = null;
  for (const v of values) {
    const p = toPoint(v);
    if (!p) continue;
    const d = sphereDistance(near.point, p) * near.metersScale;
    if (best === null || d < best) best = d;
  }
  return best;
}

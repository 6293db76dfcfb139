import { MongoServerError, type Collection, type Db } from 'mongodb';
import { openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;
let places: Collection;

const point = (lng: number, lat: number) => ({ type: 'Point', coordinates: [lng, lat] });
/** Around People's Square, Shanghai: roughly 0 m, 1.1 km, 5.8 km and 111 km away. */
const center = point(121.4737, 31.2304);

beforeAll(async () => {
  h = await openHarness();
  db = h.db();
  places = db.collection('places');
  await places.createIndex({ loc: '2dsphere' });
  await places.insertMany([
    { name: 'far', loc: point(121.4737, 32.2304), kind: 'park' },
    { name: 'here', loc: point(121.4737, 31.2304), kind: 'shop' },
    { name: 'near', loc: point(121.4737, 31.2404), kind: 'park' },
    { name: 'mid', loc: point(121.5237, 31.2604), kind: 'park' },
    { name: 'nowhere', kind: 'park' },
  ]);
});
afterAll(() => h.close());

const names = (docs: Array<Record<string, unknown>>): unknown[] => docs.map((d) => d.name);

it('sorts $near results by distance and honours $maxDistance/$minDistance', async () => {
  expect(names(await places.find({ loc: { $near: { $geometry: center } } }).toArray())).toEqual([
    'here',
    'near',
    'mid',
    'far',
  ]);
  expect(
    names(
      await places.find({ loc: { $near: { $geometry: center, $maxDistance: 6000, $minDistance: 500 } } }).toArray(),
    ),
  ).toEqual(['near', 'mid']);
  expect(
    names(
      await places
        .find({ kind: 'park', loc: { $nearSphere: { $geometry: center } } })
        .limit(2)
        .toArray(),
    ),
  ).toEqual(['near', 'mid']);
});

it('selects points with $geoWithin', async () => {
  const box = {
    type: 'Polygon',
    coordinates: [
      [
        [121.4, 31.2],
        [121.5, 31.2],
        [121.5, 31.3],
        [121.4, 31.3],
        [121.4, 31.2],
      ],
    ],
  };
  expect(
    names(
      await places
        .find({ loc: { $geoWithin: { $geometry: box } } })
        .sort({ name: 1 })
        .toArray(),
    ),
  ).toEqual(['here', 'near']);
  const radius = 7000 / 6378100;
  expect(
    names(
      await places
        .find({ loc: { $geoWithin: { $centerSphere: [[121.4737, 31.2304], radius] } } })
        .sort({ name: 1 })
        .toArray(),
    ),
  ).toEqual(['here', 'mid', 'near']);
});

it('computes distances with $geoNear', async () => {
  const out = await places
    .aggregate([
      { $geoNear: { near: center, distanceField: 'd', maxDistance: 200_000, query: { kind: 'park' } } },
      { $project: { _id: 0, name: 1, d: { $round: ['$d', -2] } } },
    ])
    .toArray();
  expect(out).toEqual([
    { name: 'near', d: 1100 },
    { name: 'mid', d: 5800 },
    { name: 'far', d: 111300 },
  ]);
});

it('requires a geo index for $near (291) and rejects invalid points', async () => {
  const plain = db.collection('plain');
  await plain.insertOne({ loc: center });
  const err = await plain
    .find({ loc: { $near: { $geometry: center } } })
    .toArray()
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MongoServerError);
  expect((err as MongoServerError).code).toBe(291);
  const bad = await places.insertOne({ loc: { type: 'Point', coordinates: ['x', 'y'] } }).catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(MongoServerError);
});

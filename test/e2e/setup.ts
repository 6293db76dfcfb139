// Browser tests wait on real page loads and builds; give them room.
jest.setTimeout(30_000);

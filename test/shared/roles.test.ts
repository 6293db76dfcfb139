import { isAllowed, mayGrant, outranks, rankOn, roleRank, type Grant, type Role } from '../../shared/roles';

// A street with one community, an estate, a building; and another community beside it.
const street = 'street';
const community = [street, 'community'];
const building = [...community, 'estate', 'building'];
const elsewhere = [street, 'other-community'];

const on = (role: Role, nodeId: string): Grant => ({ role, nodeId });
const staff = [on('community_staff', 'community')];
const streetStaff = [on('street_staff', street)];

test('ranks rise from residents through captains and community staff to street level, where admin sits', () => {
  expect(roleRank.resident).toBeLessThan(roleRank.unit_captain);
  expect(roleRank.unit_captain).toBeLessThan(roleRank.building_captain);
  expect(roleRank.building_captain).toBeLessThan(roleRank.community_staff);
  expect(roleRank.grid_worker).toBeLessThan(roleRank.community_staff);
  expect(roleRank.property_handler).toBeLessThan(roleRank.community_staff);
  expect(roleRank.community_staff).toBeLessThan(roleRank.street_staff);
  expect(roleRank.admin).toBe(roleRank.street_staff);
});

test("one's rank on a place counts the roles held on it and above it, never those below or beside it", () => {
  expect(rankOn(staff, building)).toBe(roleRank.community_staff);
  expect(rankOn(streetStaff, building)).toBe(roleRank.street_staff);
  expect(rankOn([on('building_captain', 'building')], community)).toBe(0);
  expect(rankOn(staff, elsewhere)).toBe(0);
  expect(rankOn([], community)).toBe(0);
  // The highest of several.
  expect(rankOn([on('resident', 'building'), ...staff], building)).toBe(roleRank.community_staff);
});

test('nobody grants a role ranked above their own on that place', () => {
  // Community staff cannot make themselves (or anyone) admin or street staff, on their community or the street.
  expect(mayGrant(staff, 'admin', community)).toBe(false);
  expect(mayGrant(staff, 'street_staff', community)).toBe(false);
  // They may grant their own rank and below.
  for (const role of ['community_staff', 'property_handler', 'grid_worker', 'building_captain', 'unit_captain'])
    expect(mayGrant(staff, role as Role, building)).toBe(true);
  // Street staff may make a community admin; rank held elsewhere does not count.
  expect(mayGrant(streetStaff, 'admin', community)).toBe(true);
  expect(mayGrant(staff, 'unit_captain', elsewhere)).toBe(false);
  // isAllowed says who may grant at all; mayGrant says how high.
  expect(isAllowed('role.grant', staff, community)).toBe(true);
});

test('acting against someone needs a rank strictly above theirs on that place', () => {
  const admin = [on('admin', street)];
  const captain = [on('building_captain', 'building')];
  expect(outranks(staff, captain, community)).toBe(true);
  expect(outranks(staff, [on('resident', 'building')], community)).toBe(true);
  expect(outranks(staff, admin, community)).toBe(false);
  expect(outranks(staff, [on('community_staff', 'community')], community)).toBe(false);
  expect(outranks(streetStaff, staff, community)).toBe(true);
  expect(outranks(streetStaff, admin, community)).toBe(false);
  // A role in another community gives no rank here.
  expect(outranks([on('community_staff', 'other-community')], captain, community)).toBe(false);
});

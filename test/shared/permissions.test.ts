import { isAllowed, type Grant } from '../../shared/roles';

/** isAllowed: a role that may take the action, held on the node or one of its ancestors — both, on one grant. */
const building = ['street', 'community', 'estate', 'building'];
const captainHere: Grant = { role: 'building_captain', nodeId: 'building' };

test('allowed with a permitted role on the node itself or an ancestor', () => {
  expect(isAllowed('invite.manage', [captainHere], building)).toBe(true);
  expect(isAllowed('invite.manage', [{ role: 'community_staff', nodeId: 'community' }], building)).toBe(true);
});

test('refused with a permitted role elsewhere, an unpermitted role here, or no grants', () => {
  expect(isAllowed('invite.manage', [{ role: 'building_captain', nodeId: 'other-building' }], building)).toBe(false);
  expect(isAllowed('role.grant', [captainHere], building)).toBe(false);
  expect(isAllowed('invite.manage', [], building)).toBe(false);
  // Below the node does not count.
  expect(isAllowed('invite.manage', [{ role: 'unit_captain', nodeId: 'unit' }], building)).toBe(false);
});

test('the role and the place must come from the same grant', () => {
  const mixed: Grant[] = [
    { role: 'resident', nodeId: 'building' },
    { role: 'community_staff', nodeId: 'other-community' },
  ];
  expect(isAllowed('role.grant', mixed, building)).toBe(false);
  // One matching grant among others is enough.
  expect(isAllowed('role.grant', [...mixed, { role: 'community_staff', nodeId: 'community' }], building)).toBe(true);
});

import { formatAreaHundredths, parentKind, parseAreaHundredths, ROOM_LABEL } from '../../shared/places';

test('each level of the matrix has the level above it as parent; the street has none', () => {
  expect(['street', 'community', 'estate', 'building', 'unit'].map((k) => parentKind(k as never))).toEqual([
    undefined,
    'street',
    'community',
    'estate',
    'building',
  ]);
});

test('floor areas are exact hundredths of m²: at most 6 digits and 2 decimals, positive', () => {
  expect(parseAreaHundredths('89.5')).toBe(8950);
  expect(parseAreaHundredths(' 89.05 ')).toBe(8905);
  expect(parseAreaHundredths('120')).toBe(12000);
  expect(parseAreaHundredths('999999.99')).toBe(99999999);
  expect(parseAreaHundredths('0.01')).toBe(1);
  for (const bad of ['0', '0.00', '1234567', '89.505', '-3', '89.', '.5', 'abc', '8 9', ''])
    expect([bad, parseAreaHundredths(bad)]).toEqual([bad, undefined]);
});

test('hundredths are shown with two decimals', () => {
  expect([8950, 8905, 1, 12000].map(formatAreaHundredths)).toEqual(['89.50', '89.05', '0.01', '120.00']);
});

test('room labels: digits and letters with dashes, up to 12 characters, not starting with a dash', () => {
  for (const ok of ['1201', '3-502', 'B12', 'a', '123456789012']) expect([ok, ROOM_LABEL.test(ok)]).toEqual([ok, true]);
  for (const bad of ['-502', '', '1234567890123', '12 01', '1201室'])
    expect([bad, ROOM_LABEL.test(bad)]).toEqual([bad, false]);
});

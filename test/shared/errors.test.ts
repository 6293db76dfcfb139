import { ErrorCode, isErrorCode } from '../../shared/errors';

test('every error code is sent on the wire as its own name, so clients can rely on it', () => {
  for (const [name, value] of Object.entries(ErrorCode)) expect(value).toBe(name);
});

test('isErrorCode accepts known codes only', () => {
  expect(isErrorCode('FORBIDDEN')).toBe(true);
  expect(isErrorCode('forbidden')).toBe(false);
  expect(isErrorCode('toString')).toBe(false);
  expect(isErrorCode(42)).toBe(false);
});

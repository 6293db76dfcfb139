import { DELETED_USER_NAME, maskName, maskPhone, normalisePhone } from '../../shared/masking';

test('names keep their first character and show at most six stars', () => {
  expect(maskName('王小明')).toBe('王**');
  expect(maskName('  Li Lei ')).toBe('L*****');
  expect(maskName('欧阳诸葛长名字啊')).toBe('欧******');
  expect(maskName('王')).toBe('*');
  expect(maskName('   ')).toBe('');
  // Characters outside the BMP count as one, not as two UTF-16 halves.
  expect(maskName('𠀀𠀁')).toBe('𠀀*');
});

test('a closed account reads 已注销用户 whole, masked or not', () => {
  expect(maskName(DELETED_USER_NAME)).toBe('已注销用户');
});

test('a mainland mobile shows its first 3 and last 4 digits; anything else its last 2', () => {
  expect(maskPhone('13812345678')).toBe('138****5678');
  expect(maskPhone('138-1234-5678')).toBe('138****5678');
  expect(maskPhone('010-6234567')).toBe('********67');
  expect(maskPhone('23812345678')).toBe('*********78');
  expect(maskPhone('138123456789')).toBe('**********89');
  expect(maskPhone('12')).toBe('**');
  expect(maskPhone('7')).toBe('*');
  expect(maskPhone('')).toBe('');
});

test('a phone as typed becomes 11 digits when it is a mainland mobile, else nothing', () => {
  expect(normalisePhone('138 1234 5678')).toBe('13812345678');
  expect(normalisePhone('+86 138-1234-5678')).toBe('13812345678');
  expect(normalisePhone('8613812345678')).toBe('13812345678');
  expect(normalisePhone('12812345678')).toBeUndefined();
  expect(normalisePhone('1381234567')).toBeUndefined();
  expect(normalisePhone('138123456789')).toBeUndefined();
  expect(normalisePhone('x13812345678')).toBeUndefined();
});

/**
 * Masking for every public view: names and phones of residents never appear whole to other residents.
 * Pure and shared, so the server masks before sending and the mini-program shows the same forms.
 */

/** What a closed (deleted) account shows instead of a name; kept whole by maskName. */
export const DELETED_USER_NAME = '已注销用户';

/** '王小明' → '王**', 'Li Lei' → 'L*****'; a single character stays as '*'; '已注销用户' stays as it is. */
export function maskName(name: string): string {
  if (name === DELETED_USER_NAME) return name;
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 6));
}

/** '13812345678' → '138****5678'; anything that is not a mainland mobile number shows only its last 2 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** A mainland mobile number as entered by a person (spaces, dashes or +86 allowed). */
export function normalisePhone(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

import { createHmac, randomBytes } from 'node:crypto';

/** A door code lives for one step; the previous step's is still taken, so a code read out at the turn works. */
export const DOOR_STEP_MS = 60_000;
export const MAX_DOOR_FAILURES = 5;
export const DOOR_LOCK_MS = 15 * 60_000;

export type DoorPurpose = 'check_in' | 'check_out';

export function newDoorSecret(): string {
  return randomBytes(20).toString('hex');
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / DOOR_STEP_MS);
}

/**
 * The six-digit code for an order's purpose at a time step, as TOTP derives it (HMAC-SHA1, dynamic truncation),
 * with the purpose in the message so a check-in code never checks out.
 */
export function doorCode(secret: string, purpose: DoorPurpose, step: number): string {
  const mac = createHmac('sha1', secret).update(`${purpose}:${step}`).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/**
 * The step a code entered now belongs to (this step or the one before), or null when it is wrong or expired.
 * A step at or before `usedStep` was already used.
 */
export function matchDoorCode(
  secret: string,
  purpose: DoorPurpose,
  code: string,
  now: Date,
  usedStep: number,
): number | null {
  const current = stepAt(now);
  for (const step of [current, current - 1]) {
    if (step > usedStep && doorCode(secret, purpose, step) === code) return step;
  }
  return null;
}

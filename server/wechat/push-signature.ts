import { createHash } from 'node:crypto';

/** WeChat's message-push signature: SHA-1 of the token, timestamp and nonce, sorted and joined. */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

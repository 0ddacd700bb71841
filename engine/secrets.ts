import { createHash, randomBytes } from 'node:crypto';

/** A new bearer or handoff token: 32 random bytes, URL-safe. */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** How a token is stored and looked up: never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

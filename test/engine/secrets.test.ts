import { describe, expect, test } from 'vitest';
import { hashToken, newToken } from '../../engine/secrets.js';

describe('secrets', () => {
  test('a token is stored as its SHA-256 in hex, so that hashes stored by earlier versions still match', () => {
    // FIPS 180-2's example digest of "abc".
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('a new token carries its prefix and 32 random bytes, URL-safe', () => {
    const token = newToken('user');
    expect(token).toMatch(/^user_[A-Za-z0-9_-]{43}$/);
    expect(newToken('user')).not.toBe(token);
  });
});

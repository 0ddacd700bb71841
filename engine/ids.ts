import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastMs = 0;
let counter = 0;

/**
 * A new id `<prefix>_<26 chars>`: 10 characters of milliseconds and a 6-character counter
 * (so ids sort by creation, which cursor pagination relies on), then 10 random ones.
 */
export function newId(prefix: string): string {
  const ms = Date.now();
  if (ms === lastMs) counter++;
  else {
    lastMs = ms;
    counter = 0;
  }
  let time = '';
  for (let n = ms, i = 0; i < 10; i++, n = Math.floor(n / 32)) time = ALPHABET[n % 32] + time;
  let seq = '';
  for (let n = counter, i = 0; i < 6; i++, n = Math.floor(n / 32)) seq = ALPHABET[n % 32] + seq;
  let random = '';
  for (const byte of randomBytes(10)) random += ALPHABET[byte % 32];
  return `${prefix}_${time}${seq}${random}`;
}

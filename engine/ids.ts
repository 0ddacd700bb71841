import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastMs = 0;
let counter = 0;

// One call into the CSPRNG per 409 ids rather than one per id (a unit makes several).
const RANDOM_POOL_BYTES = 4090;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomChunk(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(RANDOM_POOL_BYTES);
    poolOffset = 0;
  }
  const chunk = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return chunk;
}

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
  for (const byte of randomChunk(10)) random += ALPHABET[byte % 32];
  return `${prefix}_${time}${seq}${random}`;
}

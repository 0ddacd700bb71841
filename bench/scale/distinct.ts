/** `count` distinct numbers below `below`, in random order (a partial Fisher–Yates shuffle). */
export function distinctNumbers(count: number, below: number, random: () => number): Uint32Array {
  const pool = new Uint32Array(below);
  for (let i = 0; i < below; i++) pool[i] = i;
  const taken = Math.min(count, below);
  for (let i = 0; i < taken; i++) {
    const j = i + Math.floor(random() * (below - i));
    const swap = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = swap;
  }
  return pool.subarray(0, taken);
}

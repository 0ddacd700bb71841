/**
 * Runs `task(0)` … `task(count - 1)` on `workers` concurrent loops, each starting its next
 * task only when its previous one settled (like clients waiting for their answer). Tasks
 * start in index order, so a workload computed in order is applied in that order.
 * Resolves with each task's duration in ms.
 */
export async function runConcurrently(count: number, workers: number, task: (index: number) => Promise<unknown>): Promise<Float64Array> {
  const durations = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const start = performance.now();
      await task(index);
      durations[index] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, worker));
  return durations;
}

/** The value below which `fraction` of the samples lie (nearest rank). */
export function percentile(samples: Float64Array, fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

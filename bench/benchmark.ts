import os from 'node:os';

/** The outcome of one benchmark: whether every target was met. */
export interface BenchOutcome {
  readonly name: string;
  readonly passed: boolean;
}

/** The machine a run was measured on, in one line. */
export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/**
 * The 1-minute load average against the number of cores. Ratios measured side by side
 * survive a busy machine better than rates do, but neither is worth much when other
 * processes want more cores than there are, so the report says so.
 */
export function loadDescription(): { text: string; busy: boolean } {
  const [oneMinute = 0] = os.loadavg();
  const cores = os.cpus().length;
  return { text: `load average ${oneMinute.toFixed(2)} on ${cores} cores`, busy: oneMinute > cores * 0.75 };
}

/**
 * Waits, up to `maxMs`, for the 1-minute load average to fall below ¾ of the cores:
 * `npm run bench` compiles first, and the first benchmark would otherwise start while
 * the compiler's load still weighs on the average and on the caches.
 */
export async function settleLoad(maxMs: number, print: (line: string) => void): Promise<void> {
  const deadline = Date.now() + maxMs;
  if (!loadDescription().busy) return;
  print(`bench: ${loadDescription().text}: waiting up to ${Math.round(maxMs / 1000)} s for it to settle`);
  while (loadDescription().busy && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2_000));
  print(`bench: ${loadDescription().text}, starting`);
}

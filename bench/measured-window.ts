import { performance } from 'node:perf_hooks';
import { mainThreadCpuSeconds, processCpuSeconds } from './process-cpu.js';

/** What a window measured besides the answers: its length and the CPU spent in it. */
export interface WindowMeasure {
  readonly seconds: number;
  /** CPU seconds of this process. */
  readonly ownCpuSeconds: number;
  /** CPU seconds of the watched processes, summed; null without /proc. */
  readonly watchedCpuSeconds: number | null;
  /** CPU seconds of the watched processes' main threads, summed; null without /proc. */
  readonly watchedMainThreadCpuSeconds: number | null;
}

/**
 * The stretch of a load run that counts: opened after the warm-up and closed at the
 * planned end by timers, so that it starts and ends while the clients are busy; an answer
 * counts when it arrives inside. CPU time is read at both ends, ours and the servers'.
 */
export class MeasuredWindow {
  private start = Infinity;
  private end = Infinity;
  private ownCpuAtStart: NodeJS.CpuUsage = { user: 0, system: 0 };
  private watchedCpuAtStart: number | null = null;
  private watchedMainThreadCpuAtStart: number | null = null;
  private measure: WindowMeasure | undefined;

  constructor(private readonly watchedPids: readonly number[]) {}

  open(): void {
    this.start = performance.now();
    this.ownCpuAtStart = process.cpuUsage();
    this.watchedCpuAtStart = watchedCpu(this.watchedPids, processCpuSeconds);
    this.watchedMainThreadCpuAtStart = watchedCpu(this.watchedPids, mainThreadCpuSeconds);
  }

  close(): void {
    if (this.measure) return;
    // A run that ended before its window opened (it ran out of work) measured nothing.
    if (this.start === Infinity) this.open();
    this.end = performance.now();
    const own = process.cpuUsage(this.ownCpuAtStart);
    const watched = watchedCpu(this.watchedPids, processCpuSeconds);
    const watchedMain = watchedCpu(this.watchedPids, mainThreadCpuSeconds);
    this.measure = {
      seconds: (this.end - this.start) / 1000,
      ownCpuSeconds: (own.user + own.system) / 1e6,
      watchedCpuSeconds: watched === null || this.watchedCpuAtStart === null ? null : watched - this.watchedCpuAtStart,
      watchedMainThreadCpuSeconds: watchedMain === null || this.watchedMainThreadCpuAtStart === null ? null : watchedMain - this.watchedMainThreadCpuAtStart,
    };
  }

  /** Whether an answer that arrived at `at` (performance.now()) counts. */
  contains(at: number): boolean {
    return at >= this.start && at < this.end;
  }

  /** The measure, once closed. */
  result(): WindowMeasure {
    if (!this.measure) throw new Error('the window is still open');
    return this.measure;
  }
}

function watchedCpu(pids: readonly number[], cpuSeconds: (pid: number) => number | undefined): number | null {
  let total = 0;
  for (const pid of pids) {
    const seconds = cpuSeconds(pid);
    if (seconds === undefined) return null;
    total += seconds;
  }
  return total;
}

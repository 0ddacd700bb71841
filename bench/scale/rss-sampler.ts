import { performance } from 'node:perf_hooks';
import { residentBytes } from './resident-memory.js';

/** One reading of a process's resident memory, `seconds` after sampling started. */
export interface RssSample {
  readonly seconds: number;
  readonly bytes: number;
}

/** Reads a process's resident memory every `intervalMs` until stopped. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  readonly #start = performance.now();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    // A reading lost as the process exits is no reading.
    this.#timer = setInterval(() => void this.sample().catch(() => undefined), intervalMs);
  }

  /** Takes a reading now (also between the regular ones) and returns it. */
  async sample(): Promise<RssSample> {
    const reading = { seconds: (performance.now() - this.#start) / 1000, bytes: await residentBytes(this.pid) };
    this.samples.push(reading);
    return reading;
  }

  /** The highest reading so far. */
  get peakBytes(): number {
    return this.peakBetween(0, Number.POSITIVE_INFINITY);
  }

  /** The highest reading taken from `from` to `to` seconds (both included). */
  peakBetween(from: number, to: number): number {
    return this.samples.reduce((max, s) => (s.seconds >= from && s.seconds <= to ? Math.max(max, s.bytes) : max), 0);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

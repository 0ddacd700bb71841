/** Where the service reads the time: every "now" comes from here (SPEC §8). */
export interface Clock {
  readonly mode: 'system' | 'manual';
  now(): number;
}

/** The machine's own clock. */
export class SystemClock implements Clock {
  readonly mode = 'system';
  now(): number {
    return Date.now();
  }
}

/**
 * A clock that moves only when told to. `save` persists its time so that a restarted
 * service resumes where it stopped.
 */
export class ManualClock implements Clock {
  readonly mode = 'manual';

  constructor(
    private current: number,
    private readonly save: (ms: number) => Promise<void>,
  ) {}

  now(): number {
    return this.current;
  }

  /** Move to `ms` in memory only (while firing timers in order); never backwards. */
  moveTo(ms: number): void {
    if (ms > this.current) this.current = ms;
  }

  /** Move to `ms` and persist it. */
  async set(ms: number): Promise<void> {
    this.moveTo(ms);
    await this.save(this.current);
  }
}

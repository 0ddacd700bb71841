import { writeSync } from 'node:fs';
import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import type { ServerContext } from './context.js';

/**
 * Keys whose values must never reach a log, at a line's top level or one level down. The
 * service logs no bodies or headers, so this is a second line of defence: a detail added
 * later that happens to carry a token, a card number or a webhook secret is censored, not
 * printed.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['token', 'authorization', 'webhookSecret', 'webhook_secret', 'number', 'cardNumber', 'password']);

const CENSORED = '[redacted]';

/**
 * The line's fields with every secret censored; the same object when it holds none. One
 * pass over the keys: pino's own path redaction (`*.token`) measured 12 µs a line here,
 * ten times the rest of the line, on every request.
 */
export function censorSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  let censored: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const replacement = SECRET_KEYS.has(key) ? CENSORED : isPlainObject(value) ? censorOneLevel(value) : value;
    if (replacement !== value) (censored ??= { ...fields })[key] = replacement;
  }
  return censored ?? fields;
}

function censorOneLevel(fields: Record<string, unknown>): Record<string, unknown> {
  let censored: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) if (SECRET_KEYS.has(key)) (censored ??= { ...fields })[key] = CENSORED;
  return censored ?? fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface LoggerOptions {
  readonly level?: Level | 'silent';
  /** Where lines go (standard output unless told; tests pass a stream they read). */
  readonly destination?: DestinationStream;
}

/** Lines wait until this much is ready to go out in one write… */
export const LOG_CHUNK_BYTES = 32 * 1024;
/** …or until this long has passed, so that a quiet service's lines still show promptly. */
export const LOG_FLUSH_MS = 100;

/**
 * Where the service's lines go: a file descriptor (standard output by default), written
 * asynchronously and in chunks. Each write is a hand-off to libuv's thread pool, which on
 * these virtual machines costs the event loop ~15 µs at the median when idle and ~140 µs
 * on average under load (the woken pool thread takes the CPU from it; timed around the
 * calls). Writing whenever the previous write had ended came to a write for every eleven
 * request lines under load; in 32 kB chunks, one for every seventy (0.092 → 0.013 writes a
 * request in the HTTP benchmark). A synchronous write per line measured 2 % of the
 * service's CPU, and would stall the event loop behind a slow reader of the pipe.
 */
export function logDestination(fd = 1): ChunkedLines {
  // sonic-boom writes each chunk as soon as the previous write has ended (a minLength of 1:
  // with 0 its flush would not wait for the write under way); at exit ChunkedLines flushes
  // it and then writes what still waits.
  const writer = pino.destination({ dest: fd, sync: false, minLength: 1, maxWrite: 2 * LOG_CHUNK_BYTES });
  return new ChunkedLines(writer, fd, LOG_CHUNK_BYTES, LOG_FLUSH_MS);
}

/**
 * Log lines gathered in an array and handed to sonic-boom a chunk at a time, every
 * `chunkChars` characters or `flushMs`. Not sonic-boom's own `minLength`: it appends each
 * line to the string waiting to go out and measures that string's UTF-8 length on every
 * line, which makes V8 copy it whole (a concatenated string is flattened to be measured):
 * at 32 kB chunks, 13 kB copied per request line on average, 11 % of all the service
 * allocated under the HTTP benchmark (sampled heap profile, session 9). Joined here, each
 * line is copied once.
 */
export class ChunkedLines {
  private lines: string[] = [];
  private waiting = 0;
  private readonly timer: NodeJS.Timeout;
  // At exit no asynchronous write would finish. A writer that failed (a closed pipe, a
  // destroyed stream) has nowhere left to write, and an exit hook must not throw.
  private readonly atExit = () => {
    try {
      this.flushSync();
    } catch {
      // The lines are lost with their destination.
    }
  };

  constructor(
    private readonly writer: ReturnType<typeof pino.destination>,
    private readonly fd: number,
    private readonly chunkChars: number,
    flushMs: number,
  ) {
    this.timer = setInterval(() => this.handOver(), flushMs);
    this.timer.unref();
    process.on('exit', this.atExit);
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.waiting += line.length;
    if (this.waiting >= this.chunkChars) this.handOver();
    return true;
  }

  /** Writes what waits; `done` once it is on disk (sonic-boom's flush: drained and fsynced). */
  flush(done?: (error?: Error) => void): void {
    this.handOver();
    this.writer.flush(done);
  }

  /** Writes what waits, synchronously: at exit, when no asynchronous write would finish. */
  flushSync(): void {
    this.writer.flushSync();
    const chunk = this.take();
    if (chunk) writeWholeSync(this.fd, Buffer.from(chunk));
  }

  /** Hands over what waits and ends the writer. */
  end(): void {
    clearInterval(this.timer);
    process.off('exit', this.atExit);
    this.handOver();
    this.writer.end();
  }

  private handOver(): void {
    const chunk = this.take();
    if (chunk) this.writer.write(chunk);
  }

  private take(): string {
    if (this.lines.length === 0) return '';
    const chunk = this.lines.join('');
    this.lines = [];
    this.waiting = 0;
    return chunk;
  }
}

/** The service's pino logger: JSON lines, secrets censored, to {@link logDestination} unless told. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { level: options.level ?? 'info', formatters: { log: censorSecrets } };
  return pino(settings, options.destination ?? logDestination());
}

/** The service's log function over a pino logger. */
export function serviceLog(logger: Logger): ServerContext['log'] {
  return (level, message, details) => logger[level](details ?? {}, message);
}

// A full pipe (EAGAIN on a non-blocking descriptor) is waited out, as sonic-boom does, this long at a time.
const BUSY_WAIT_MS = 10;
const BUSY_TRIES = 100;

/** Writes all of `bytes`, waiting out a full pipe; for the exit path only. */
function writeWholeSync(fd: number, bytes: Buffer): void {
  for (let offset = 0, busy = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || ++busy > BUSY_TRIES) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_WAIT_MS);
    }
  }
}

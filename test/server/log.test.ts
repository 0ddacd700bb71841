import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, test, vi } from 'vitest';
import { ChunkedLines, LOG_CHUNK_BYTES, LOG_FLUSH_MS, censorSecrets, createLogger, logDestination } from '../../server/log.js';

describe('log: secrets', () => {
  test('a secret key is censored at the top level and one level down, whatever its value', () => {
    const fields = { token: 'tok_1', paymentMethod: { number: '4242', brand: 'visa' }, nested: { authorization: { scheme: 'Bearer' } }, status: 200 };
    expect(censorSecrets(fields)).toEqual({ token: '[redacted]', paymentMethod: { number: '[redacted]', brand: 'visa' }, nested: { authorization: '[redacted]' }, status: 200 });
    // The caller's object is left as it was.
    expect(fields.token).toBe('tok_1');
    expect(fields.paymentMethod.number).toBe('4242');
  });

  test('a line without secrets is passed on as it is, not copied', () => {
    const fields = { requestId: 'r1', method: 'POST', route: '/api/subscriptions/:id/events', status: 200, principalId: null, details: { count: 2 }, ids: ['a'] };
    expect(censorSecrets(fields)).toBe(fields);
  });

  test('the logger censors every line it writes', async () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ webhookSecret: 'whsec_1', card: { cardNumber: '4242424242424242' }, password: 'hunter2' }, 'careless');
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(chunks.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'careless', webhookSecret: '[redacted]', card: { cardNumber: '[redacted]' }, password: '[redacted]' });
    expect(chunks.join('')).not.toMatch(/whsec_1|4242424242424242|hunter2/);
  });
});

describe('log: the destination', () => {
  function withLogFile(run: (file: string, fd: number) => Promise<void>) {
    return async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'log-'));
      const file = path.join(dir, 'service.log');
      try {
        await run(file, openSync(file, 'a'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  }
  const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; n: number });

  test(
    'a line shorter than a chunk waits in memory until the periodic flush',
    withLogFile(async (file, fd) => {
      // Only the timers are fake: the flush interval is started by the destination.
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      try {
        const destination = logDestination(fd);
        createLogger({ destination }).info({ n: 1 }, 'quiet');
        // A round trip through the thread pool, as long as a write of its own would take.
        await readFile(file);
        expect(readFileSync(file, 'utf8')).toBe('');
        vi.advanceTimersByTime(LOG_FLUSH_MS);
        await vi.waitFor(() => expect(linesOf(file)).toMatchObject([{ msg: 'quiet', n: 1 }]));
        destination.end();
      } finally {
        vi.useRealTimers();
      }
    }),
  );

  test(
    'lines of several chunks are all written, in order, once a flush has written what waits',
    withLogFile(async (file, fd) => {
      const destination = logDestination(fd);
      const logger = createLogger({ destination });
      const count = Math.ceil((3 * LOG_CHUNK_BYTES) / 100);
      for (let n = 0; n < count; n++) logger.info({ n, padding: 'x'.repeat(40) }, 'busy');
      await vi.waitFor(() => expect(linesOf(file).length).toBeGreaterThan(0));
      await new Promise<void>((resolve, reject) => destination.flush((error) => (error ? reject(error) : resolve())));
      expect(linesOf(file).map((line) => line.n)).toEqual(Array.from({ length: count }, (_, n) => n));
      destination.end();
    }),
  );

  test(
    'a synchronous flush (the exit path) writes what waits in memory at once',
    withLogFile(async (file, fd) => {
      const destination = logDestination(fd);
      const exitHooks = process.listenerCount('exit');
      createLogger({ destination }).info({ n: 1 }, 'last words');
      expect(readFileSync(file, 'utf8')).toBe('');
      destination.flushSync();
      expect(linesOf(file)).toMatchObject([{ msg: 'last words', n: 1 }]);
      destination.end();
      expect(process.listenerCount('exit')).toBe(exitHooks - 1);
    }),
  );
});

describe('log: lines gathered into chunks', () => {
  /** A stand-in for sonic-boom that records what it is handed. */
  function recordingWriter() {
    const handed: string[] = [];
    const writer = { write: (chunk: string) => handed.push(chunk) > 0, flush: vi.fn(), flushSync: vi.fn(), end: vi.fn() };
    return { handed, writer: writer as unknown as ConstructorParameters<typeof ChunkedLines>[0] };
  }

  test('hands the writer one string per chunk, each line in it once and in order', () => {
    // sonic-boom measures the string it holds on every write it is given, copying it whole:
    // given a chunk at a time, it copies each line once, not once per line that follows.
    const { handed, writer } = recordingWriter();
    const lines = new ChunkedLines(writer, -1, 1_000, 60_000);
    const written = Array.from({ length: 95 }, (_, n) => `${String(n).padStart(99, '.')}\n`);
    for (const line of written) lines.write(line);
    expect(handed.map((chunk) => chunk.length)).toEqual(Array.from({ length: 9 }, () => 1_000));
    lines.flush();
    expect(handed.at(-1)).toHaveLength(500);
    expect(handed.join('')).toBe(written.join(''));
    lines.end();
  });

  test('hands over nothing when nothing waits', () => {
    const { handed, writer } = recordingWriter();
    const lines = new ChunkedLines(writer, -1, 1_000, 60_000);
    lines.flush();
    lines.end();
    expect(handed).toEqual([]);
  });
});

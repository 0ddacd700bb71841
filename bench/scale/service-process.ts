import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// dist/bench/scale/ → the repository's dist/, where main.js is.
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Fixed for the benchmark: the operator's token is needed to set up the template. */
export const OPERATOR_TOKEN = 'op_scale_bench_operator_token';

/** The built service (`node dist/main.js`) running as a child process. */
export interface ServiceProcess {
  readonly pid: number;
  /** The base URL from its `listening on` line. */
  readonly base: string;
  /** SIGTERM, then waits for it to exit (it drains and closes the database). */
  stop(): Promise<void>;
}

/**
 * Starts the service on an SQLite file with the manual clock (so that nothing is due while
 * it is measured), no demo data, no rate limit, and only warnings logged (a JSON line per
 * request would cost this process as much as the service). Resolves once it listens.
 */
export async function startService(databaseFile: string, clockStart: string): Promise<ServiceProcess> {
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${databaseFile}`,
    CLOCK: 'manual',
    CLOCK_START: clockStart,
    SEED: 'none',
    RATE_LIMIT: '0',
    OPERATOR_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [path.join(DIST, 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('listening on ')) resolve(line.slice('listening on '.length));
    });
    void exited.then((code) => reject(new Error(`the service exited (${code}) before listening: ${stderr.join('').trim()}`)));
  });
  return {
    pid: child.pid!,
    base,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`the service exited with ${code}: ${stderr.join('').trim()}`);
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

// Compiled side by side in dist/: the service's entry point and the bare handler's.
const SERVICE_ENTRY = new URL('../main.js', import.meta.url);
const BARE_ENTRY = new URL('./bare-express-server.js', import.meta.url);

/** How a service process is started, beyond its database and log. */
export interface ServiceStart {
  /** Write a V8 CPU profile here. */
  readonly cpuProfileDir?: string;
  /** Another build's `main.js` (bench/ab.ts compares two); this build's by default. */
  readonly entry?: URL;
  /** Node options before the script (V8 flags, say). */
  readonly nodeArgs?: readonly string[];
  /** Variables on top of the service's (UV_THREADPOOL_SIZE, say). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts the real service (`dist/main.js`) on a prepared database, configured as it would
 * be run, with two exceptions: no rate limit (50 clients share one admin's token, and the
 * limit would answer 429 after 1,200 requests a minute), and no demo seed. It logs a line
 * per request, as in production, to `logFile`.
 */
export function startService(databaseUrl: string, logFile: string, start: ServiceStart = {}): Promise<ServerProcess> {
  return startServerProcess(start.entry ?? SERVICE_ENTRY, {
    env: {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      CLOCK: 'system',
      CLOCK_START: '',
      SEED: 'none',
      RATE_LIMIT: '0',
      // Set, so that a start on a database without an operator prints no new token.
      OPERATOR_TOKEN: `op_${randomBytes(24).toString('base64url')}`,
      INSPECT: 'off',
      LOG_LEVEL: 'info',
      ...start.env,
    },
    logFile,
    nodeArgs: [...(start.nodeArgs ?? []), ...(start.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${start.cpuProfileDir}`] : [])],
  });
}

/** Starts the bare Express handler that the service is measured against. */
export function startBareExpress(logFile: string): Promise<ServerProcess> {
  return startServerProcess(BARE_ENTRY, { env: { PORT: '0', HOST: '127.0.0.1' }, logFile });
}

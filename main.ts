import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { openDatabase } from './storage/database.js';
import { readConfig } from './server/config.js';
import { closeGracefully } from './server/drain.js';
import { createLogger, serviceLog } from './server/log.js';
import { ensureOperator, isEmpty, seedDemo } from './server/seed.js';
import { attachInspector } from './server/live-inspector.js';
import { createHttpServer } from './server/http-server.js';
import { createService } from './server/service.js';

// The only file that reads the environment and wires real dependencies.

// How long SIGTERM waits for requests under way before cutting what is left (event streams).
const DRAIN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const log = createLogger({ level: config.LOG_LEVEL });
  if (config.DATABASE_URL.startsWith('sqlite:') && config.DATABASE_URL !== 'sqlite::memory:') {
    mkdirSync(path.dirname(config.DATABASE_URL.slice('sqlite:'.length)), { recursive: true });
  }
  const database = await openDatabase(config.DATABASE_URL);
  const empty = await isEmpty(database);
  const service = await createService({
    database,
    clock: config.CLOCK,
    clockStart: config.CLOCK_START,
    rateLimit: config.RATE_LIMIT,
    log: serviceLog(log),
    metricsAccess: config.METRICS_ACCESS,
    processMetrics: true,
  });
  const server = createHttpServer(service.app).listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;

  const now = new Date(service.ctx.runtime.clock.now()).toISOString();
  const operatorToken = await ensureOperator(database, config.OPERATOR_TOKEN, now);
  const lines: string[] = [];
  if (operatorToken) lines.push(`operator token (shown once): ${operatorToken}`);
  if (empty && (config.SEED ?? 'demo') === 'demo') {
    const demo = await seedDemo(database, base, now);
    lines.push(
      'demo data created; tokens (shown once):',
      `  tenant admin    ${demo.admin}`,
      `  billing admin   ${demo.billingAdmin}`,
      `  publisher       ${demo.publisher}`,
      `  partner         ${demo.partner}`,
      `  sales           ${demo.sales}`,
      `  webhook secret  ${demo.webhookSecret}`,
    );
  }
  let stopInspector = () => undefined as void;
  if (config.INSPECT === 'ws') {
    // Loaded only when asked for: with INSPECT off nothing of it runs.
    const { createWebSocketInspector } = await import('@statelyai/inspect');
    const inspector = createWebSocketInspector({ url: config.INSPECT_URL });
    const detach = attachInspector(service.ctx.runtime.engine, inspector);
    stopInspector = () => {
      detach();
      inspector.stop();
    };
    lines.push(`live actors:      streamed to ${config.INSPECT_URL} (@statelyai/inspect)`);
  }
  lines.push(`admin center:     ${base}/admin`, `publisher portal: ${base}/publisher`, `inspector:        ${base}/inspect`, `API:              ${base}/api/openapi.json`, `clock:            ${config.CLOCK}`);
  process.stdout.write(`${lines.join('\n')}\nlistening on ${base}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining');
    try {
      // Stop accepting and let in-flight requests finish; then stop the timers and the
      // outbox (their work commits or stays due for the next start); then close the database.
      await closeGracefully(server, DRAIN_GRACE_MS);
      await service.stop();
      stopInspector();
      await database.close();
    } catch (error) {
      log.error({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, 'stopping failed');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

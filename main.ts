import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { openDatabase } from './storage/database.js';
import { readConfig } from './server/config.js';
import { ensureOperator, isEmpty, seedDemo } from './server/seed.js';
import { attachInspector } from './server/live-inspector.js';
import { createService } from './server/service.js';

// The only file that reads the environment and wires real dependencies.

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const log = pino({ level: config.LOG_LEVEL, redact: ['token', '*.token', 'authorization', '*.authorization', 'webhookSecret', '*.number'] });
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
    log: (level, message, details) => log[level](details ?? {}, message),
  });
  const server = service.app.listen(config.PORT, config.HOST);
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
    // Stop accepting, let in-flight requests finish, then stop the timers and the outbox.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await service.stop();
    stopInspector();
    await database.close();
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

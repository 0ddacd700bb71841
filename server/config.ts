import { z } from 'zod';

const clockStart = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'sqlite:<path>, sqlite::memory: or postgres://…')
    .default('sqlite:./data/saas.db'),
  OPERATOR_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  CLOCK: z.enum(['system', 'manual']).default('system'),
  CLOCK_START: clockStart.optional(),
  SEED: z.enum(['demo', 'none']).optional(),
  INSPECT: z.enum(['off', 'ws']).default('off'),
  // Where INSPECT=ws sends: `@statelyai/inspect/server`'s relay listens here by default.
  INSPECT_URL: z.string().regex(/^wss?:\/\//, 'ws://host:port or wss://…').default('ws://localhost:8080'),
  RATE_LIMIT: z.coerce.number().int().min(0).default(1200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // GET /metrics has no token: by default only this machine may read it.
  METRICS_ACCESS: z.enum(['loopback', 'any']).default('loopback'),
});

/** The service's configuration (API.md "Running it"). */
export type Config = Readonly<z.output<typeof schema>>;

/** Read the configuration from an environment; a bad variable is an error naming it. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable means "not set", as shells and .env files commonly leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`bad configuration: ${problems}`);
  }
  return Object.freeze(result.data);
}

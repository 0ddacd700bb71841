import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import type { ServerContext } from './context.js';

/**
 * Fields that must never reach a log, wherever they appear in a line's details. The
 * service logs no bodies or headers, so these are a second line of defence: a detail
 * added later that happens to carry a token, a card number or a webhook secret is
 * censored, not printed.
 */
export const REDACTED_PATHS = ['token', 'authorization', 'webhookSecret', 'webhook_secret', 'number', 'cardNumber', 'password']
  .flatMap((key) => [key, `*.${key}`]);

export interface LoggerOptions {
  readonly level?: Level | 'silent';
  /** Where lines go (standard output unless told; tests pass a stream they read). */
  readonly destination?: DestinationStream;
}

/** The service's pino logger: JSON lines, secrets censored. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** The service's log function over a pino logger. */
export function serviceLog(logger: Logger): ServerContext['log'] {
  return (level, message, details) => logger[level](details ?? {}, message);
}

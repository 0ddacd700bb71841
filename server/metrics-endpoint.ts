import type { RequestHandler } from 'express';
import { DomainError } from '../engine/errors.js';
import type { ServiceMetrics } from './metrics.js';

/** Who may read `/metrics`: loopback clients only (the default), or anyone. */
export type MetricsAccess = 'loopback' | 'any';

/** Whether a socket's remote address is this machine's loopback (IPv4, IPv6, or IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * `GET /metrics`: the Prometheus text, without a token. The socket's address decides, not
 * `X-Forwarded-For`, which any client can write; behind a proxy on the same machine, let
 * the proxy restrict it, or scrape the port directly.
 */
export function metricsEndpoint(metrics: ServiceMetrics, access: MetricsAccess): RequestHandler {
  return async (req, res, next) => {
    if (access === 'loopback' && !isLoopback(req.socket.remoteAddress)) {
      return next(new DomainError('forbidden', 'Metrics are served to this machine only: scrape them from localhost, or start the service with METRICS_ACCESS=any.'));
    }
    const { contentType, body } = await metrics.render();
    res.type(contentType).set('Cache-Control', 'no-store').send(body);
  };
}

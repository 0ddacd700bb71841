import type { Server } from 'node:http';

/**
 * Stop accepting connections and resolve once every request under way has been answered.
 * `server.close()` alone closes only the connections idle at that moment, and a
 * keep-alive connection whose request ends later would hold the close for its idle
 * timeout; so idle connections are closed as they become idle. A request that still
 * arrives on a connection kept alive from before is answered with `Connection: close`,
 * so that its client opens its next connection elsewhere (another instance behind the
 * balancer) at once rather than finding this one gone. Event streams never end by
 * themselves: whatever is still open after `graceMs` is cut.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Before the app's listener, so that the header is set before anything is written.
    server.prependListener('request', (_req, res) => res.setHeader('Connection', 'close'));
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}

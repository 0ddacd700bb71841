import type { Server } from 'node:http';

/**
 * Stop accepting connections and resolve once every request under way has been answered.
 * `server.close()` alone closes only the connections idle at that moment, and a
 * keep-alive connection whose request ends later would hold the close for its idle
 * timeout; so idle connections are closed as they become idle. Event streams never end
 * by themselves: whatever is still open after `graceMs` is cut.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}

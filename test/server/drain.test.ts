import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { closeGracefully } from '../../server/drain.js';

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: drain.test\r\n\r\n`;

/** The `Connection` header of each response in a raw HTTP/1.1 exchange, in order. */
function connectionHeaders(exchange: string): string[] {
  return [...exchange.matchAll(/^Connection: (.+)\r$/gim)].map((m) => m[1]!.toLowerCase());
}

test('a request arriving on a kept-alive connection during the drain is answered, with Connection: close, and the drain then ends', async () => {
  const held: http.ServerResponse[] = [];
  let arrived = 0;
  const arrivals: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    arrived++;
    arrivals.splice(0).forEach((wake) => wake());
    if (req.url === '/held') held.push(res);
    else res.end(`answered ${req.url}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const arrivedAtLeast = async (n: number) => {
    while (arrived < n) await new Promise<void>((wake) => arrivals.push(wake));
  };

  const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  let exchange = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (exchange += chunk));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));

  socket.write(GET('/before'));
  await arrivedAtLeast(1);
  socket.write(GET('/held'));
  await arrivedAtLeast(2);
  // The connection is busy with /held when the drain starts, so it is not swept as idle.
  const drained = closeGracefully(server, 10_000);
  socket.write(GET('/during'));
  held[0]!.end('answered /held\n');
  await arrivedAtLeast(3);
  await drained;
  await ended;

  expect(exchange.match(/answered \/\w+/g)).toEqual(['answered /before', 'answered /held', 'answered /during']);
  // Answers begun before the drain keep the connection; the one that arrived during it closes it.
  expect(connectionHeaders(exchange)).toEqual(['keep-alive', 'keep-alive', 'close']);
});

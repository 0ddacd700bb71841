import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect, test } from 'vitest';
import { createHttpServer } from '../../server/http-server.js';

test('requests and responses are born with the prototypes Express gives them, and are served as usual', async () => {
  const app = express();
  app.post('/echo/:id', express.json(), (req, res) => {
    res.status(201).json({ id: req.params.id, body: req.body as unknown, path: req.path });
  });
  // Looked at before Express: its own swap would hide whether they were born this way.
  const born: boolean[][] = [];
  const server = createHttpServer(app, (req, res) => {
    born.push([
      Object.getPrototypeOf(req) === app.request,
      Object.getPrototypeOf(res) === app.response,
      req instanceof http.IncomingMessage,
      res instanceof http.ServerResponse,
    ]);
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const n of [1, 2]) {
      const answer = await fetch(`${url}/echo/x${n}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
      expect(answer.status).toBe(201);
      expect(await answer.json()).toEqual({ id: `x${n}`, body: { n }, path: `/echo/x${n}` });
    }
    expect(born).toEqual([
      [true, true, true, true],
      [true, true, true, true],
    ]);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

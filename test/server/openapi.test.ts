import { describe, expect } from 'vitest';
import { ACCESS } from '../../server/access.js';
import { BACKENDS } from '../helpers/databases.js';
import { serverTest } from '../helpers/server.js';

const test = serverTest(BACKENDS[0]!);

describe('OpenAPI document', () => {
  test('is served without a token and lists every route of the authorization table', async ({ server }) => {
    const res = await server.http().get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const routes = Object.keys(ACCESS).filter((k) => k.split(' ').length === 2);
    for (const key of routes) {
      const [method, route] = key.split(' ') as [string, string];
      expect(res.body.paths[route.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()], key).toBeDefined();
    }
  });

  test('request bodies come from the validating schemas', async ({ server }) => {
    const doc = (await server.http().get('/api/openapi.json').expect(200)).body;
    const purchase = doc.paths['/api/purchases'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(purchase)).toContain('azure-marketplace');
    const event = doc.paths['/api/subscriptions/{id}/events'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(event)).toContain('CHANGE_QUANTITY');
  });

  test('every route of the table is registered by some module', async ({ server }) => {
    expect(server.service.app.undefinedRoutes()).toEqual([]);
  });
});

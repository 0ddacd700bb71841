import { z } from 'zod';
import type { AccessKey, Audience } from './access.js';
import { ACCESS } from './access.js';
import * as v from './validators.js';

// Request bodies by route: the very schemas that validate the requests.
const BODIES: Partial<Record<AccessKey, z.ZodType>> = {
  'POST /api/operator/tenants': v.tenantCreate,
  'POST /api/operator/publishers': v.publisherCreate,
  'POST /api/operator/partners': v.partnerCreate,
  'POST /api/operator/principals': v.principalCreate,
  'POST /api/apps': v.appCreate,
  'POST /api/tenant/agreement': v.agreementAccept,
  'POST /api/billing-profiles': v.billingProfileCreate,
  'PATCH /api/billing-profiles/:id': v.billingProfilePatch,
  'PUT /api/billing-profiles/:id/roles/:userId': v.rolesPut,
  'POST /api/purchases': v.purchaseCreate,
  'POST /api/purchases/:id/events': v.purchaseEvent,
  'POST /api/subscriptions/:id/events': v.subscriptionEvent,
  'POST /api/publisher/resolve': v.resolveToken,
  'POST /api/invoices/:id/payments': v.paymentRecord,
  'POST /api/clock/advance': v.clockAdvance,
};

const problem = {
  description: 'An RFC 9457 problem document; `code` is one of API.md’s codes.',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' } },
        additionalProperties: true,
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** Who may call a route, and which of its events or channels, as the table says. */
function accessText(key: AccessKey): string {
  const qualified = (Object.keys(ACCESS) as AccessKey[]).filter((k) => k.startsWith(`${key} `));
  const who = (k: AccessKey) => (ACCESS[k] as readonly Audience[]).join(', ');
  const lines = [`Allowed: ${who(key)}.`, ...qualified.map((k) => `- ${k.slice(key.length + 1)}: ${who(k)}`)];
  return lines.join('\n');
}

/** The OpenAPI 3.1 document of the API, built from the authorization table and the zod schemas. */
export function openApiDocument(serverUrl = '/') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(ACCESS) as AccessKey[]) {
    const parts = key.split(' ');
    if (parts.length !== 2) continue;
    const [method, route] = parts as [string, string];
    const path = route.replace(/:(\w+)/g, '{$1}');
    const parameters = [...route.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const body = BODIES[key];
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${route.replace(/^\/api/, '').replace(/[/:{}.-](\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: key,
      description: accessText(key),
      'x-allowed': ACCESS[key],
      security: [{ bearer: [] }],
      parameters,
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
      responses: { '2XX': { description: 'Success; see API.md for the resource shapes.' }, default: problem },
    };
  }
  paths['/api/openapi.json'] = { get: { operationId: 'getOpenapi', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } };
  return {
    openapi: '3.1.0',
    info: { title: 'SaaS app subscriptions', version: '0.1.0', description: 'Buy, activate, license, bill and end subscriptions to third-party SaaS apps.' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

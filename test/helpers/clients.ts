import supertest from 'supertest';
import type { AuthedClient, TestServer } from './server.js';

/** The operator's token in the databases the test harnesses make. */
export const OPERATOR_TOKEN = 'op_test_token';

/** Supertest clients for a service at `url`: plain, with a bearer token, and as the operator. */
export function clientsFor(url: string, operatorToken: string): Pick<TestServer, 'http' | 'as' | 'operator'> {
  const http = () => supertest.agent(url);
  const as = (token: string): AuthedClient => {
    const auth = (t: supertest.Test) => t.set('Authorization', `Bearer ${token}`);
    return {
      get: (path) => auth(http().get(path)),
      post: (path, body) => auth(http().post(path)).send(body as object),
      put: (path, body) => auth(http().put(path)).send(body as object),
      patch: (path, body) => auth(http().patch(path)).send(body as object),
    };
  };
  return { http, as, operator: as(operatorToken) };
}

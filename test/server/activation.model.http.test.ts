import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../engine/secrets.js';
import type { ActivationContext, ActivationEvent, ActivationInput } from '../../machines/index.js';
import { MACHINES, TOKEN_LIFETIME_MS, accepts, activationIdOf, addMs, allowedEvents, refusalOf } from '../../machines/index.js';
import type { MachineCoverage } from '../helpers/machine-coverage.js';
import { advanceClockTo, expectFullCoverageOverHttp, servedSnapshot } from '../helpers/model-http.js';
import { startServer } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';
import { activationModel } from '../machines/support/activation-model.js';
import type { ModelPath } from '../machines/support/model-runner.js';
import { coveringPaths, modelPaths } from '../machines/support/model-runner.js';

const entry = MACHINES.activation;
const machine = entry.machine;

/**
 * Replays a path on the activation (publisher handoff) of a new subscription, pending
 * activation. The activation has no public view: after every step its value and context
 * are read with the operator's `GET /api/instances/:id`, and the events that snapshot
 * accepts (the refusal API's `allowedEvents`, over all its events, timers' included) are
 * compared with the model's.
 *
 * Events: ISSUE_TOKEN is the admin opening the publisher portal (OPEN_PUBLISHER_PORTAL);
 * the server makes the token, so the model's hash-N stands for the N-th token it gave.
 * RESOLVE is the publisher's `POST /api/publisher/resolve` with the token of that hash.
 * TOKEN_EXPIRED is the clock moved to the token's expiry, 24 h after its issue. CLOSE is the
 * admin cancelling the subscription (the handoff closes when the subscription ends).
 */
async function replayOverHttp(path: ModelPath, coverage: MachineCoverage): Promise<void> {
  const input = path.input as ActivationInput;
  const server = await startServer('sqlite', { clockStart: Date.parse(input.at) });
  try {
    const world = await createWorld(server);
    const profile = (await world.admin.post('/api/billing-profiles', { name: 'P', paymentMethod: { type: 'check-wire' }, contact: { name: 'n', address: 'a', email: 'ap@x.example' } }).expect(201)).body;
    const bought = await world.admin
      .post('/api/purchases', { channel: 'direct', source: 'appsource', appId: world.app.id, planId: world.app.seatPlanId, quantity: 2, billingProfileId: profile.id, acceptAgreement: true })
      .expect(201);
    const subscriptionId = bought.body.subscriptionIds[0] as string;
    const id = activationIdOf(subscriptionId);
    // The model's token hashes → the tokens the server gave, in the order it gave them.
    const tokens = new Map<string, string>();
    const hashOf = (modelHash: string | null) => (modelHash === null ? null : hashToken(tokens.get(modelHash) ?? `unknown ${modelHash}`));
    const sendEvent = (body: object) => world.admin.post(`/api/subscriptions/${subscriptionId}/events`, body).expect(200);

    let [model] = initialTransition(machine, path.input);
    coverage.recordInitial(path.input);
    let accepted = 0;

    const check = async (where: string) => {
      const context = model.context as ActivationContext;
      const instance = (await server.operator.get(`/api/instances/${id}`).expect(200)).body;
      expect(instance.value, where).toEqual(model.value);
      expect(instance.version, where).toBe(1 + accepted);
      expect(instance.context, where).toEqual({
        ...context,
        id,
        subscriptionId,
        publisherId: world.publisher.publisherId,
        tokenHash: hashOf(context.tokenHash),
        resolvedTokenHash: hashOf(context.resolvedTokenHash),
      });
      const served = servedSnapshot(entry, instance);
      expect(served.status, where).toBe(model.status);
      expect(allowedEvents(entry, served, entry.events), where).toEqual(allowedEvents(entry, model, entry.events));
      // Every token but the one that may still be resolved is refused, with the model's reason:
      // 410 token_used for the resolved one, token_expired for one replaced or past its 24 h.
      const now = (await server.operator.get('/api/clock').expect(200)).body.now as string;
      for (const [modelHash, token] of tokens) {
        if (modelHash === context.tokenHash) continue;
        const resolve: ActivationEvent = { type: 'RESOLVE', tokenHash: modelHash, at: now };
        const refused = await world.publisher.post('/api/publisher/resolve', { token }).expect(410);
        expect(refused.body.code, `${where}: resolving ${modelHash}`).toBe(refusalOf(entry, model, resolve));
      }
    };
    await check(`${path.inputName} created`);

    for (const [i, event] of path.events.entries()) {
      const where = `${path.inputName} step ${i + 1} (${event.type})`;
      const ev = event as ActivationEvent;
      switch (ev.type) {
        case 'ISSUE_TOKEN': {
          const opened = await sendEvent({ type: 'OPEN_PUBLISHER_PORTAL' });
          const { token, url, expiresAt } = opened.body.handoff as { token: string; url: string; expiresAt: string };
          expect(tokens.has(ev.tokenHash), where).toBe(false);
          tokens.set(ev.tokenHash, token);
          expect(new URL(url).searchParams.get('token'), where).toBe(token);
          expect(expiresAt, where).toBe(addMs(ev.at, TOKEN_LIFETIME_MS));
          break;
        }
        case 'RESOLVE': {
          const token = tokens.get(ev.tokenHash);
          expect(token, where).toBeDefined();
          if (accepts(model, ev)) {
            const resolved = await world.publisher.post('/api/publisher/resolve', { token }).expect(200);
            expect(resolved.body, where).toMatchObject({ subscriptionId, tenantId: world.tenant.id, appId: world.app.id, planId: world.app.seatPlanId, quantity: 2 });
          } else {
            const refused = await world.publisher.post('/api/publisher/resolve', { token }).expect(410);
            expect(refused.body.code, where).toBe(refusalOf(entry, model, ev));
          }
          break;
        }
        case 'TOKEN_EXPIRED':
          // A durable timer, 24 h after the token's issue: moving the clock there fires it.
          expect(ev.at, where).toBe((model.context as ActivationContext).tokenExpiresAt);
          await advanceClockTo(server, ev.at);
          break;
        case 'CLOSE': {
          const canceled = await sendEvent({ type: 'CANCEL' });
          expect(canceled.body.status, where).toBe('deactivated');
          break;
        }
      }
      if (accepts(model, ev)) accepted++;
      coverage.recordStep(model, ev);
      [model] = transition(machine, model, ev);
      await check(where);
    }
    expect(server.faults()).toEqual([]);
  } finally {
    await server.stop();
  }
}

describe('activation machine, model-based, through the HTTP API', () => {
  it('replays generated paths as HTTP calls, checking value, context and accepted events after every step', async () => {
    const paths = coveringPaths(machine, modelPaths(activationModel));
    await expectFullCoverageOverHttp(machine, paths, replayOverHttp);
  }, 120_000);
});

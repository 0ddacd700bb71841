import { describe, expect, it } from 'vitest';
import { runModel } from './support/model-runner.js';
import { subscriptionModel } from './support/subscription-model.js';

describe('subscription machine, model-based', () => {
  it('reaches every state and takes every transition along the generated paths', async () => {
    const { coverage, paths } = await runModel(subscriptionModel);
    console.log(`${coverage.summary()} (${paths} paths)`);
    const { states, transitions } = coverage.report();
    expect(states.missing).toEqual([]);
    expect(transitions.missing).toEqual([]);
    expect([states.total, transitions.total]).toEqual([6, 18]);
  });
});

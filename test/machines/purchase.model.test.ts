import { describe, expect, it } from 'vitest';
import { runModel } from './support/model-runner.js';
import { purchaseModel } from './support/purchase-model.js';

describe('purchase machine, model-based', () => {
  it('reaches every state and takes every transition along the generated paths', async () => {
    const { coverage, paths } = await runModel(purchaseModel);
    console.log(`${coverage.summary()} (${paths} paths)`);
    const { states, transitions } = coverage.report();
    expect(states.missing).toEqual([]);
    expect(transitions.missing).toEqual([]);
    expect(states.covered).toBe(4);
    expect(transitions.covered).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { activationModel } from './support/activation-model.js';
import { runModel } from './support/model-runner.js';

describe('activation machine, model-based', () => {
  it('reaches every state and takes every transition along the generated paths', async () => {
    const { coverage, paths } = await runModel(activationModel);
    console.log(`${coverage.summary()} (${paths} paths)`);
    const { states, transitions } = coverage.report();
    expect(states.missing).toEqual([]);
    expect(transitions.missing).toEqual([]);
    expect([states.total, transitions.total]).toEqual([4, 8]);
  });
});

import { describe, expect, it } from 'vitest';
import { invoiceModel } from './support/invoice-model.js';
import { runModel } from './support/model-runner.js';

describe('invoice machine, model-based', () => {
  it('reaches every state and takes every transition along the generated paths', async () => {
    const { coverage, paths } = await runModel(invoiceModel);
    console.log(`${coverage.summary()} (${paths} paths)`);
    const { states, transitions } = coverage.report();
    expect(states.missing).toEqual([]);
    expect(transitions.missing).toEqual([]);
    expect([states.total, transitions.total]).toEqual([4, 8]);
  });
});

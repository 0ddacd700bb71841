// The machine layer's public face: pure machines, their registry and the domain rules.
export * from './activation.machine.js';
export * from './catalog.js';
export * from './effects.js';
export * from './ids.js';
export * from './invoice.machine.js';
export * from './money.js';
export * from './purchase.machine.js';
export * from './refusal-codes.js';
export * from './refusal.js';
export * from './regions.js';
export * from './registry.js';
export * from './rules.js';
export * from './subscription.machine.js';
export * from './time.js';
export * from './payment-card.js';

import { describe, expect, test } from 'vitest';
import { renderOrder } from '../../../web/client/dom.js';

describe('web client: overlapping renders', () => {
  test('only the render started last is not superseded, whatever the order they finish in', () => {
    const begin = renderOrder();
    const first = begin();
    const second = begin();
    expect(second()).toBe(false);
    expect(first()).toBe(true);
    const third = begin();
    expect(second()).toBe(true);
    expect(third()).toBe(false);
  });

  test('each page keeps its own order', () => {
    const admin = renderOrder();
    const publisher = renderOrder();
    const adminRender = admin();
    publisher();
    expect(adminRender()).toBe(false);
  });
});

import { describe, expect } from 'vitest';
import { serverTest } from '../helpers/server.js';
import { PAGES } from '../../web/pages.js';

// The pages as files over HTTP, without a browser: served without a token, under a strict
// Content-Security-Policy, and built only from this service's own assets.

const test = serverTest('sqlite');

/** Every asset a page loads, following the browser modules' imports. */
async function assetsOf(get: (path: string) => Promise<{ status: number; type: string; text: string }>, html: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const queue = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '').filter((ref) => !ref.startsWith('#') && !ref.startsWith('data:'));
  while (queue.length > 0) {
    const ref = queue.shift()!;
    if (found.has(ref)) continue;
    const res = await get(ref);
    expect(res.status, ref).toBe(200);
    found.set(ref, res.text);
    if (ref.endsWith('.js')) {
      expect(res.type, ref).toMatch(/^text\/javascript/);
      for (const m of res.text.matchAll(/\bfrom\s*["']([^"']+)["']/g)) queue.push(new URL(m[1] ?? '', `http://x${ref}`).pathname);
    }
  }
  return found;
}

describe('web pages over HTTP', () => {
  test('each page loads without a token, as HTML with a same-origin-only CSP and no Referer', async ({ server }) => {
    for (const path of Object.keys(PAGES)) {
      const res = await server.http().get(path).expect(200);
      expect(res.type).toBe('text/html');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.text).toMatch(/<html lang="en">/);
    }
  });

  test('everything a page loads comes from the service itself, and every module import resolves', async ({ server }) => {
    const get = async (path: string) => {
      const res = await server.http().get(path);
      return { status: res.status, type: String(res.headers['content-type'] ?? ''), text: res.text };
    };
    for (const path of Object.keys(PAGES)) {
      const html = (await get(path)).text;
      const assets = await assetsOf(get, html);
      expect([...assets.keys()].every((ref) => ref.startsWith('/assets/')), path).toBe(true);
      expect(assets.size).toBeGreaterThan(3);
      for (const [ref, text] of assets) {
        // No absolute URL to anywhere in what the browser runs (a CDN, fonts, analytics).
        expect(text.match(/(?:src|href|url|from|import)\s*\(?\s*["']?(?:https?:)?\/\/[^"'\s)]*/g), ref).toBeNull();
      }
    }
  });

  test('only plain asset names are served: no sources, no paths out of the folder', async ({ server }) => {
    for (const path of ['/assets/nope.js', '/assets/api.ts', '/assets/..%2Fpages.ts', '/assets/..%2F..%2Fpackage.json', '/assets/pages.css.map']) {
      const res = await server.http().get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  test('the pages change nothing for the API: it still needs a token', async ({ server }) => {
    const res = await server.http().get('/api/subscriptions').expect(401);
    expect(res.body.code).toBe('unauthenticated');
  });
});

import path from 'node:path';
import express from 'express';
import type { Response } from 'express';
import { STATIC_DIR, clientScript } from './assets.js';

/** The pages and the HTML file of each. */
export const PAGES = { '/inspect': 'inspect.html', '/admin': 'admin.html', '/publisher': 'publisher.html' } as const;

// Everything a page uses comes from this origin; the CSP makes that a rule the browser
// enforces. No inline script or style: the SVG diagrams are built from Graphviz
// attributes, not style attributes. The publisher page receives a handoff token in its
// URL, so no page sends a Referer elsewhere.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secured(res: Response): Response {
  // Pages change with the code; always ask again (they are small).
  return res.set({ 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
}

// Plain file names only, so no request can reach outside the asset folders.
const ASSET = /^([a-z0-9-]+)\.(js|css)$/;

/** The web pages (inspector, admin center, publisher portal) and their assets; no token needed to load them. */
export function pagesRouter(): express.Router {
  const router = express.Router();
  for (const [route, file] of Object.entries(PAGES)) {
    router.get(route, (_req, res, next) => secured(res).type('html').sendFile(path.join(STATIC_DIR, file), (error) => error && next(error)));
  }
  router.get('/assets/:file', async (req, res, next) => {
    const match = ASSET.exec(String(req.params.file));
    if (!match) return next();
    const [, name = '', ext] = match;
    if (ext === 'css') return secured(res).type('css').sendFile(path.join(STATIC_DIR, `${name}.css`), (error) => error && next());
    const code = await clientScript(name);
    if (code === undefined) return next();
    secured(res).type('text/javascript').send(code);
  });
  return router;
}

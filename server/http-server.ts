import http from 'node:http';
import type { Express } from 'express';

// Node's IncomingMessage and ServerResponse are plain constructor functions, which a
// constructor of ours can call on the object `new` made with our prototype.
type NodeConstructor = (this: object, ...args: unknown[]) => void;

/**
 * A constructor of `base`'s objects whose prototype is `prototype`. Written as a plain
 * function calling `base` rather than with `Reflect.construct(base, args, new.target)`:
 * measured with the bare handler, that way was slower still than Express's default.
 */
function bornWith(base: unknown, prototype: object): new (...args: unknown[]) => object {
  const construct = base as NodeConstructor;
  function Constructed(this: object, ...args: unknown[]) {
    construct.apply(this, args);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as new (...args: unknown[]) => object;
}

/**
 * The HTTP server for an Express app, creating each request and response with Express's
 * prototypes (`app.request`, `app.response`) from the start.
 *
 * Express (5 as 4) swaps the prototype of every request and response it handles
 * (`Object.setPrototypeOf` in `app.handle`). V8 gives each swapped object a map that its
 * inline caches have not seen, so property reads and writes on them across Node's http
 * code, Express and the middleware miss their caches and take the slow path: measured
 * with perf, 28 % of this service's main thread and 38 % of a bare Express handler's went
 * to those misses (expressjs/express#5998, nodejs/node#37457). Born with the prototype
 * Express would give them, the swap is a no-op (the prototype is already the one asked
 * for) and the objects keep stable maps: the bare handler answered 2.5× the requests
 * per second built this way. `listener` (the app unless told) may wrap the app, as the
 * tests' harness does to watch every answer.
 */
export function createHttpServer(app: Express, listener: http.RequestListener = app): http.Server {
  return http.createServer(
    {
      IncomingMessage: bornWith(http.IncomingMessage, app.request) as typeof http.IncomingMessage,
      ServerResponse: bornWith(http.ServerResponse, app.response) as unknown as typeof http.ServerResponse,
    },
    listener,
  );
}

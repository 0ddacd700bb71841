import { ApiError, createApi } from './api.js';
import type { AdminContext } from './admin-context.js';
import { loadBasics } from './admin-context.js';
import { appPage } from './admin-app.js';
import { appsPage } from './admin-apps.js';
import { billingPage, profilePage } from './admin-billing.js';
import { buyPage } from './admin-buy.js';
import { ordersPage } from './admin-orders.js';
import { byId, h, renderOrder, replace } from './dom.js';
import { announce } from './forms.js';
import { problemContent } from './problems.js';
import { showSession, showSignIn, tokenStore } from './session.js';
import type { Tenant } from './types.js';

// The admin center: one page, views chosen by the URL's hash (#/apps, #/apps/<id>, #/buy,
// #/orders, #/billing, #/billing/<id>) so that the back button and reloads work.

const store = tokenStore('admin.token');
const api = createApi(() => store.get());

const NAV: readonly [string, string][] = [
  ['#/apps', 'Your apps'],
  ['#/buy', 'Buy an app'],
  ['#/orders', 'Orders and proposals'],
  ['#/billing', 'Billing'],
];

type View = (ctx: AdminContext, param: string | undefined) => Promise<Node[]>;

const VIEWS: Readonly<Record<string, View>> = {
  apps: (ctx, id) => (id ? appPage(ctx, id) : appsPage(ctx)),
  buy: (ctx) => buyPage(ctx),
  orders: (ctx) => ordersPage(ctx),
  billing: (ctx, id) => (id ? profilePage(ctx, id) : billingPage(ctx)),
};

function showNav(section: string | undefined): void {
  const links = NAV.map(([href, text]) => h('li', {}, h('a', { href, 'aria-current': href === `#/${section}` ? 'page' : false }, text)));
  replace(byId('nav'), h('ul', {}, ...links));
}

const beginRender = renderOrder();

async function render(message?: string, failure?: unknown): Promise<void> {
  const superseded = beginRender();
  if (!store.get()) {
    replace(byId('nav'));
    showSignIn(store, {
      heading: 'Sign in to the admin center',
      intro: 'Use the token of a tenant admin (global admin or billing admin).',
      label: 'Your token',
      hint: 'Tokens are printed when the demo starts, or given by the operator.',
      check: async (candidate) => {
        await createApi(() => candidate).get<Tenant>('/api/tenant');
      },
      onSignedIn: () => start('Signed in.'),
    });
    return;
  }
  const [, section = 'apps', param] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(location.hash) ?? [];
  const view = VIEWS[section] ?? VIEWS.apps!;
  showNav(section);
  const basics = await loadBasics(api);
  if (superseded()) return;
  showSession(store, basics.tenant.name, () => start());
  const ctx: AdminContext = {
    api,
    ...basics,
    go: (hash, note) => {
      if (location.hash === hash) start(note);
      else {
        pendingMessage = note;
        location.hash = hash;
      }
    },
    reload: (note, error) => start(note, error),
  };
  const nodes = await view(ctx, param === undefined ? undefined : decodeURIComponent(param));
  if (superseded()) return;
  replace(byId('page'), ...nodes);
  if (failure !== undefined) byId('page').prepend(h('div', { class: 'error', role: 'alert' }, problemContent(failure)));
  announce(message ?? '');
  // After a change of view, start reading at its heading.
  byId('page').querySelector<HTMLElement>('h1')?.focus();
}

let pendingMessage: string | undefined;

function start(message?: string, failure?: unknown): void {
  render(message, failure).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthenticated') store.clear();
    replace(byId('page'), h('h1', { tabindex: '-1' }, 'Something went wrong'), h('div', { class: 'error', role: 'alert' }, problemContent(error)), h('p', {}, h('a', { href: '#/apps' }, 'Back to your apps')));
  });
}

window.addEventListener('hashchange', () => {
  // Only our own views: the skip link's #main is not a view.
  if (!location.hash.startsWith('#/')) return;
  const note = pendingMessage;
  pendingMessage = undefined;
  start(note);
});
start();

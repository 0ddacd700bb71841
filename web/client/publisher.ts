import { ApiError, createApi } from './api.js';
import { byId, h, renderOrder, replace, table } from './dom.js';
import { licenses, statusClass, statusText } from './format.js';
import { announce } from './forms.js';
import { problemContent } from './problems.js';
import { subscriptionPanel } from './publisher-subscription.js';
import { showSession, showSignIn, tokenStore } from './session.js';
import type { App, List, Subscription } from './types.js';

// The demo publisher's portal, its landing page: the admin center sends the customer here
// with ?token=<handoff token>. The page keeps that token only until it is resolved (it is
// single-use), takes it out of the address bar, and asks for the publisher's API key.

const store = tokenStore('publisher.key');
const handoff = tokenStore('publisher.handoff');
const api = createApi(() => store.get());

function takeTokenFromUrl(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (!token) return;
  handoff.set(token);
  url.searchParams.delete('token');
  history.replaceState(null, '', url.pathname + url.search + url.hash);
}

function chosen(): string | undefined {
  const match = /^#subscription=(.+)$/.exec(location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** Resolve a pending handoff token; a refused one is dropped, as it can never succeed. */
async function resolvePending(): Promise<{ subscriptionId?: string; failure?: unknown }> {
  const token = handoff.get();
  if (!token) return {};
  try {
    const resolved = await api.post<{ subscriptionId: string }>('/api/publisher/resolve', { token });
    handoff.clear();
    return { subscriptionId: resolved.subscriptionId };
  } catch (failure) {
    if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500 && failure.code !== 'unauthenticated') handoff.clear();
    return { failure };
  }
}

const beginRender = renderOrder();

async function render(message?: string): Promise<void> {
  const superseded = beginRender();
  takeTokenFromUrl();
  if (!store.get()) {
    showSignIn(store, {
      heading: 'Sign in to your publisher portal',
      intro: handoff.get()
        ? 'A customer was sent here to set up their subscription. Sign in with your publisher API key to continue.'
        : 'Sign in with your publisher API key to see your customers’ subscriptions.',
      label: 'Publisher API key',
      hint: 'The key the operator gave your company (the demo prints it at start).',
      check: async (candidate) => {
        await createApi(() => candidate).get('/api/subscriptions?limit=1');
      },
      onSignedIn: () => start('Signed in.'),
    });
    return;
  }
  showSession(store, 'Publisher', () => start());
  const { subscriptionId, failure } = await resolvePending();
  if (subscriptionId) {
    history.replaceState(null, '', `${location.pathname}#subscription=${encodeURIComponent(subscriptionId)}`);
    message = 'The customer’s link is resolved: here is their subscription.';
  }
  const id = chosen();
  const [subscriptions, apps] = await Promise.all([api.get<List<Subscription>>('/api/subscriptions?limit=200'), api.get<List<App>>('/api/apps?limit=200')]);
  const appsById = new Map(apps.items.map((a) => [a.id, a]));
  const panel = id ? await subscriptionPanel(api, id, appsById, (note) => start(note)) : null;
  if (superseded()) return;
  const rows = subscriptions.items.map((s) => [
    h('a', { href: `#subscription=${encodeURIComponent(s.id)}` }, appsById.get(s.appId)?.name ?? s.appId),
    h('code', {}, s.tenantId),
    h('span', { class: statusClass(s) }, statusText(s)),
    licenses(s),
  ]);
  replace(
    byId('page'),
    h('h1', { tabindex: '-1' }, 'Your customers’ subscriptions'),
    failure !== undefined && h('div', { class: 'error', role: 'alert' }, problemContent(failure)),
    panel,
    h('h2', {}, 'All subscriptions'),
    rows.length === 0 ? h('p', {}, 'No customer has bought your apps yet.') : table('Subscriptions of your apps, oldest first', ['App', 'Customer tenant', 'Status', 'Licenses'], rows),
  );
  announce(message ?? '');
  (byId('page').querySelector<HTMLElement>('#subscription-heading') ?? byId('page').querySelector<HTMLElement>('h1'))?.focus();
}

function start(message?: string): void {
  render(message).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthenticated') store.clear();
    replace(byId('page'), h('h1', { tabindex: '-1' }, 'Something went wrong'), h('div', { class: 'error', role: 'alert' }, problemContent(error)), h('p', {}, h('a', { href: '/publisher' }, 'Start again')));
  });
}

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#subscription=') || location.hash === '') start();
});
start();

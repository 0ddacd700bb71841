import { byId, field, h, replace } from './dom.js';
import { actionForm, announce, valueOf } from './forms.js';

/** A token kept in sessionStorage under a page's own key (pages in one tab sign in apart). */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/** The token store of a page. */
export function tokenStore(key: string): TokenStore {
  return {
    get: () => sessionStorage.getItem(key),
    set: (token) => sessionStorage.setItem(key, token),
    clear: () => sessionStorage.removeItem(key),
  };
}

/** What the sign-in form asks for. */
export interface SignInOptions {
  readonly heading: string;
  readonly intro: string;
  readonly label: string;
  readonly hint: string;
  /** Checks the token against the service; throws an ApiError when it is refused. */
  check(token: string): Promise<void>;
  onSignedIn(): void;
}

/** Show the sign-in form in #page; the token is stored only once the service accepts it. */
export function showSignIn(store: TokenStore, options: SignInOptions): void {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = actionForm(
    options.heading,
    async (f) => {
      const token = valueOf(f, 'token');
      await options.check(token);
      store.set(token);
      announce('Signed in.');
      options.onSignedIn();
    },
    field(options.label, input, options.hint),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  replace(byId('page'), h('h1', { tabindex: '-1' }, options.heading), h('p', {}, options.intro), h('div', { class: 'card' }, form));
  replace(byId('session'));
  input.focus();
}

/** The signed-in line in the header, with a sign-out button. */
export function showSession(store: TokenStore, who: string, onSignOut: () => void): void {
  const button = h('button', { type: 'button' }, 'Sign out');
  button.addEventListener('click', () => {
    store.clear();
    announce('Signed out.');
    onSignOut();
  });
  replace(byId('session'), h('span', {}, who), button);
}

import { h, replace } from './dom.js';
import type { Child } from './dom.js';
import { problemContent } from './problems.js';

/** A page-wide announcement in the status region (read out by screen readers). */
export function announce(message: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = message;
}

/**
 * A form that runs `submit` and shows its failure inside itself, next to the controls
 * that caused it. While it runs, its buttons are disabled so that it is not sent twice.
 */
export function actionForm(label: string | null, submit: (form: HTMLFormElement) => Promise<void>, ...children: (Child | Child[])[]): HTMLFormElement {
  const error = h('div', { class: 'error', role: 'alert' });
  // A named form is a landmark: only real forms get a name, not lone buttons.
  const form = h('form', { 'aria-label': label }, ...children, error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(form, error, () => submit(form));
  });
  return form;
}

/** A lone button that runs an action, with its own error region after it. */
export function actionButton(text: string, action: () => Promise<void>, attrs: Record<string, string> = {}): HTMLElement {
  return actionForm(null, action, h('button', { type: 'submit', ...attrs }, text));
}

async function run(form: HTMLFormElement, error: HTMLElement, work: () => Promise<void>): Promise<void> {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => (b.disabled = true));
  error.replaceChildren();
  try {
    await work();
  } catch (failure) {
    replace(error, problemContent(failure));
    announce('');
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

/** The value of a named control of a form. */
export function valueOf(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}

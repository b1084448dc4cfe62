import './style.css';
import { api, csrfToken } from './api';
import { createView } from './create';
import { h } from './dom';
import { executorsView } from './executors';
import { studiesView } from './studies';
import { studyView } from './study';

const root = document.getElementById('app') as HTMLElement;
let controller = new AbortController();

async function route(): Promise<void> {
  controller.abort();
  controller = new AbortController();
  const path = location.hash.replace(/^#/, '') || '/';
  const m = path.match(/^\/studies\/(\d+)(?:\/trials\/(\d+))?$/);
  try {
    if (m) await studyView(root, Number(m[1]), controller.signal, m[2] ? Number(m[2]) : undefined);
    else if (path === '/new') createView(root);
    else if (path === '/executors') await executorsView(root);
    else await studiesView(root);
  } catch (e) {
    root.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, String(e)));
  }
}

async function header(): Promise<void> {
  const nav = document.querySelector('header.top nav');
  if (!nav) return;
  const me = await api.me();
  const form = h('form', { method: 'post', action: '/logout', class: 'logout' },
    h('input', { type: 'hidden', name: '_csrf', value: csrfToken() }),
    h('span', { class: 'me' }, `${me.username} (${me.role.toLowerCase()})`),
    h('button', { type: 'submit', id: 'logout' }, 'Sign out'));
  form.addEventListener('submit', () => {
    (form.querySelector('input[name=_csrf]') as HTMLInputElement).value = csrfToken();
  });
  nav.append(form);
}

window.addEventListener('hashchange', () => void route());
void route();
void header().catch(() => undefined);

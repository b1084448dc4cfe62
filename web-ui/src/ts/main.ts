import './style.css';
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

window.addEventListener('hashchange', () => void route());
void route();

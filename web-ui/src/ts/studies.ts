import { api, Study } from './api';
import { fmt, h, when } from './dom';

export async function studiesView(root: HTMLElement): Promise<void> {
  const search = h('input', { type: 'search', placeholder: 'Search by name', 'aria-label': 'Search studies',
    id: 'study-search' });
  const body = h('tbody');
  const table = h('table', { class: 'grid', 'aria-label': 'Studies' },
    h('thead', {}, h('tr', {}, ...['Name', 'Algorithm', 'Objectives', 'State', 'Trials by state', 'Best (front)',
      'Progress', 'Created'].map(t => h('th', { scope: 'col' }, t)))), body);
  root.replaceChildren(h('h1', {}, 'Studies'), h('div', { class: 'toolbar' }, search,
    h('a', { class: 'button', href: '#/new' }, 'New study')), table);

  // multi-objective studies have no single best value: their cell shows the Pareto front's size and hypervolume,
  // fetched from /pareto when the row scrolls into view (once per study and trial count)
  const fronts = new Map<string, Promise<Front>>();
  const visible = new IntersectionObserver(entries => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      visible.unobserve(e.target);
      const cell = e.target as HTMLElement;
      const key = cell.dataset.front!;
      let f = fronts.get(key);
      if (!f) {
        f = api.pareto(Number(key.split(':')[0])).then(p => ({ size: p.trials.length, hypervolume: p.hypervolume }));
        fronts.set(key, f);
        f.catch(() => fronts.delete(key));
      }
      f.then(p => cell.replaceChildren(`front ${p.size}`,
        p.hypervolume !== undefined ? ` · HV ${fmt(p.hypervolume)}` : ''), () => cell.replaceChildren('—'));
    }
  });
  const bestCell = (s: Study) => {
    if (s.objectives.length <= 1) return h('td', { class: 'best' }, fmt(s.bestValue));
    const cell = h('td', { class: 'best front', title: 'Pareto front: trials on it, hypervolume',
      'data-front': `${s.id}:${s.trialsIssued}:${s.trialCounts.COMPLETED ?? 0}` }, '…');
    visible.observe(cell);
    return cell;
  };

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const all: Study[] = [];
    let after = 0;
    for (;;) {
      const page = await api.studies(search.value.trim(), after, 1000);
      all.push(...page.studies);
      if (page.next === null || all.length >= 5000) break;
      after = page.next;
    }
    if (mine !== seq) return;
    visible.disconnect();
    body.replaceChildren(...all.map(s => row(s, bestCell)));
    if (all.length === 0) body.append(h('tr', {}, h('td', { colspan: '8' }, 'No studies yet.')));
  }
  search.addEventListener('input', () => { void load(); });
  await load();
}

interface Front { size: number; hypervolume?: number }

function row(s: Study, bestCell: (s: Study) => HTMLTableCellElement): HTMLTableRowElement {
  const counts = Object.entries(s.trialCounts).filter(([, n]) => n > 0)
    .map(([k, n]) => h('span', { class: 'pill state-' + k.toLowerCase() }, `${k.toLowerCase()} ${n}`));
  const max = s.limits.maxTrials;
  const done = (s.trialCounts.COMPLETED ?? 0) + (s.trialCounts.FAILED ?? 0) + (s.trialCounts.PRUNED ?? 0) +
    (s.trialCounts.INFEASIBLE ?? 0);
  const progress = max ? h('progress', { max: String(max), value: String(done), 'aria-label': 'progress' })
    : h('span', {}, `${s.trialsIssued} issued`);
  return h('tr', {},
    h('td', {}, h('a', { href: `#/studies/${s.id}`, class: 'study-link' }, s.name)),
    h('td', {}, s.algorithm.name),
    h('td', {}, s.objectives.map(o => `${o.metric} ${o.direction === 'MINIMIZE' ? '↓' : '↑'}`).join(', ')),
    h('td', {}, h('span', { class: 'pill state-' + s.state.toLowerCase() }, s.state)),
    h('td', {}, ...counts),
    bestCell(s),
    h('td', {}, progress, max ? ` ${done}/${max}` : ''),
    h('td', {}, when(s.createdAt)));
}

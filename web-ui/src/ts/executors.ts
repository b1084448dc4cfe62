import { api } from './api';
import { fmt, h, when } from './dom';

export async function executorsView(root: HTMLElement): Promise<void> {
  const { executors } = await api.executors();
  const rows = executors.map(e => h('tr', {},
    h('td', {}, String(e.name)), h('td', {}, String(e.state)),
    h('td', {}, `${fmt(e.slotsInUse)} / ${fmt(e.slots)}`), h('td', {}, fmt(e.cpuCores)),
    h('td', {}, (e.gpus as { index: number; name: string; memoryMiB: number }[])
      .map(g => `#${g.index} ${g.name} (${g.memoryMiB} MiB)`).join(', ') || '—'),
    h('td', {}, Object.entries(e.labels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(', ')),
    h('td', {}, typeof e.pool === 'string' ? e.pool : 'default'),
    h('td', {}, ...(e.runningTrials as { studyId: number; number: number }[]).map(t =>
      h('a', { href: `#/studies/${t.studyId}/trials/${t.number}`, class: 'pill' }, `${t.studyId}/${t.number}`))),
    h('td', {}, `${fmt(e.trialsCompleted)} / ${fmt(e.attemptsFailed)}`),
    h('td', {}, when(String(e.lastSeenAt)))));
  root.replaceChildren(h('h1', {}, 'Executors'),
    h('table', { class: 'grid', 'aria-label': 'Executors' },
      h('thead', {}, h('tr', {}, ...['Name', 'State', 'Slots in use', 'CPU cores', 'GPUs', 'Labels', 'Pool',
        'Running trials (study/number)',
        'Completed / failed attempts', 'Last heartbeat']
        .map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...(rows.length ? rows : [h('tr', {}, h('td', { colspan: '10' }, 'No executors registered.'))]))));
}

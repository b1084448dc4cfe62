import * as echarts from 'echarts';
import { api, fromRow, num, Num, Study, Trial } from './api';
import { fmt, h, tip, when } from './dom';

type Chart = echarts.ECharts;
const POLL_MS = 2000;
const PAGE = 50;

// ECharts draws a value axis's line through the other axis's zero, which puts it mid-chart when the data straddle
// zero; every chart keeps its axis lines at the plot's edges.
const AT_EDGE = { axisLine: { onZero: false } };
// An x axis's name centred under its labels: at the end of the axis it runs off the chart ("comp" for "completed
// trials").
const NAME_BELOW = { nameLocation: 'middle' as const, nameGap: 28 };
/** What a tooltip formatter receives for one item (ECharts' callback parameters, the parts used here). */
type Hover = { data: unknown; seriesName?: string; name?: string; axisValueLabel?: string };
const hovered = (q: unknown) => q as Hover;
const hoveredAll = (q: unknown) => (Array.isArray(q) ? q : [q]) as Hover[];

/** Charts exposed for tests and debugging (the browser test clicks a Pareto point through them). */
declare global {
  interface Window { __sextant: { charts: Record<string, Chart>; ready: boolean; timings: Record<string, number> } }
}

export async function studyView(root: HTMLElement, id: number, signal: AbortSignal, openTrial?: number):
    Promise<void> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const mark = (k: string) => { timings[k] = Math.round(performance.now() - t0); };
  window.__sextant = { charts: {}, ready: false, timings };
  const [first, catalog] = await Promise.all([api.study(id), api.algorithms()]);
  let study: Study = first;
  mark('study');
  // what the study's algorithm declares it can do (GET /api/v1/algorithms), not a list of names
  const capabilities = new Set(catalog.algorithms.find(a => a.name === study.algorithm.name)?.capabilities ?? []);
  const trials = new Map<number, Trial>();
  let maxNumber = 0;
  const load = async (after: number) => {
    for (;;) {
      const page = await api.trialRows(id, after);
      for (const r of page.trials) {
        const t = fromRow(page.metrics, r);
        trials.set(t.number, t);
        maxNumber = Math.max(maxNumber, t.number);
      }
      if (page.next === null) break;
      after = page.next;
    }
  };
  // the first Pareto and importance answers are fetched while the trials load
  let firstPareto: ReturnType<typeof api.pareto> | null = study.objectives.length > 1 ? api.pareto(id) : null;
  let firstImportance: ReturnType<typeof api.importance> | null =
    capabilities.has('renders-code') ? null : api.importance(id, study.objectives[0].metric);
  await load(0);
  mark('trials');

  const multi = study.objectives.length > 1;
  const bandit = capabilities.has('bandit');
  const program = capabilities.has('renders-code');
  const metrics = study.objectives.map(o => o.metric);
  const sign = (k: number) => (study.objectives[k].direction === 'MINIMIZE' ? 1 : -1);

  // ---- layout
  const header = h('div', { class: 'study-head' });
  const summary = h('div', { class: 'summary' });
  const chartBox = (key: string, title: string) => {
    const el = h('div', { class: 'chart', id: 'chart-' + key, role: 'img', 'aria-label': title });
    return { el, section: h('section', { class: 'panel' }, h('h2', {}, title), el) };
  };
  const history = chartBox('history', multi ? 'Objective values over trials' : 'Optimization history');
  const pareto = chartBox('pareto', 'Pareto front');
  const hv = chartBox('hypervolume', 'Hypervolume over completed trials');
  const parallel = chartBox('parallel', 'Parallel coordinates');
  const importance = chartBox('importance', 'Parameter importance');
  const slice = chartBox('slice', 'Slice plot');
  const curves = chartBox('curves', 'Intermediate values');
  const axisX = h('select', { 'aria-label': 'Pareto x axis', id: 'pareto-x' });
  const axisY = h('select', { 'aria-label': 'Pareto y axis', id: 'pareto-y' });
  metrics.forEach((m, i) => { axisX.append(h('option', { value: String(i) }, m)); axisY.append(h('option', { value: String(i) }, m)); });
  axisY.value = '1';
  const view3d = h('input', { type: 'checkbox', id: 'pareto-3d', 'aria-label': '3-D view' });
  if (multi) {
    pareto.section.insertBefore(h('div', { class: 'toolbar' }, h('label', {}, 'x ', axisX), h('label', {}, 'y ', axisY),
      study.objectives.length === 3 ? h('label', {}, view3d, ' 3-D') : null), pareto.el);
  }
  const sliceParam = h('select', { 'aria-label': 'Slice parameter', id: 'slice-param' });
  study.space.parameters.filter(p => p.type !== 'fixed')
    .forEach(p => sliceParam.append(h('option', { value: p.name }, p.name)));
  slice.section.insertBefore(h('div', { class: 'toolbar' }, h('label', {}, 'Parameter ', sliceParam)), slice.el);
  const stateFilter = h('select', { 'aria-label': 'Filter trials by state', id: 'trial-state' },
    h('option', { value: '' }, 'All states'),
    ...['WAITING', 'RUNNING', 'COMPLETED', 'PRUNED', 'FAILED', 'INFEASIBLE'].map(s => h('option', { value: s }, s)));
  const sortBy = h('select', { 'aria-label': 'Sort trials', id: 'trial-sort' },
    h('option', { value: 'number' }, 'Newest first'), h('option', { value: 'value' }, `Best ${metrics[0]} first`));
  const tableBody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const detail = h('aside', { class: 'panel detail', id: 'trial-detail', 'aria-live': 'polite' },
    h('p', {}, 'Click a point or a trial to see its details.'));
  const table = h('section', { class: 'panel wide' }, h('h2', {}, 'Trials'),
    h('div', { class: 'toolbar' }, stateFilter, sortBy),
    h('table', { class: 'grid', 'aria-label': 'Trials' }, h('thead', {}, h('tr', {},
      ...['#', 'State', ...metrics, program ? 'Program' : 'Params', 'Attempt', 'Finished'].map(t => h('th', { scope: 'col' }, t)))),
      tableBody), pager);
  const arms = chartBox('arms', 'Pulls and mean cost per arm');
  const cumulative = chartBox('cumulative', 'Cumulative cost vs the best fixed arm and the instance optimum');
  const programs = h('section', { class: 'panel wide', id: 'best-programs' }, h('h2', {}, 'Best programs'));
  const grid = h('div', { class: 'charts' }, bandit ? arms.section : null, bandit ? cumulative.section : null,
    history.section, multi ? pareto.section : null, multi ? hv.section : null, program ? null : parallel.section,
    program ? null : importance.section, program ? null : slice.section, curves.section);
  root.replaceChildren(header, summary, h('div', { class: 'study-body' }, grid, detail),
    program ? programs : '', table);

  const charts: Record<string, Chart> = {};
  // zrender paints a large series over several animation frames; a frame still queued when the chart is disposed
  // would use the disposed painter (TypeError in the console). Repainting the emptied chart first gives the painter
  // a new redraw id, and the queued frame then does nothing.
  const disposeChart = (c: Chart) => {
    c.clear();
    c.getZr().refreshImmediately();
    c.dispose();
  };
  const make = (key: string, el: HTMLElement) => {
    charts[key] = echarts.init(el, undefined, { renderer: 'canvas' });
    window.__sextant.charts[key] = charts[key];
    charts[key].on('click', (p: { data?: unknown }) => {
      const d = p.data as { number?: number } | number[] | undefined;
      const n = Array.isArray(d) ? d[d.length - 1] : d?.number;
      if (typeof n === 'number') void showTrial(n);
    });
    return charts[key];
  };
  const remake = (key: string, el: HTMLElement) => {
    disposeChart(charts[key]);
    return make(key, el);
  };
  let glLoaded = false;
  make('history', history.el);
  if (bandit) { make('arms', arms.el); make('cumulative', cumulative.el); }
  if (multi) { make('pareto', pareto.el); make('hypervolume', hv.el); }
  if (!program) {
    make('parallel', parallel.el);
    make('importance', importance.el);
    make('slice', slice.el);
  }
  make('curves', curves.el);
  const onResize = () => Object.values(charts).forEach(c => c.resize());
  window.addEventListener('resize', onResize);
  signal.addEventListener('abort', () => {
    window.removeEventListener('resize', onResize);
    Object.values(charts).forEach(disposeChart);
  });

  // ---- header and actions
  function renderHeader() {
    const btn = (label: string, fn: () => Promise<unknown>, id: string) =>
      h('button', { type: 'button', id, onclick: async () => { await fn(); study = await api.study(id0); renderHeader(); } }, label);
    const id0 = id;
    header.replaceChildren(
      h('h1', {}, study.name, ' ', h('span', { class: 'pill state-' + study.state.toLowerCase(), id: 'study-state' }, study.state),
        study.stateReason ? h('span', { class: 'state-reason', id: 'study-state-reason' }, study.stateReason) : null),
      h('div', { class: 'toolbar' },
        study.state === 'ACTIVE' ? btn('Pause', () => api.pause(id), 'pause') : null,
        study.state === 'PAUSED' ? btn('Resume', () => api.resume(id), 'resume') : null,
        h('a', { class: 'button', href: `/api/v1/studies/${id}/export?format=csv`, download: '' }, 'Export CSV'),
        h('a', { class: 'button', href: `/api/v1/studies/${id}/export?format=json`, download: '' }, 'Export JSON'),
        h('button', { type: 'button', class: 'danger', id: 'delete', onclick: async () => {
          if (confirm(`Delete study "${study.name}" and all its trials?`)) { await api.remove(id); location.hash = '#/'; }
        } }, 'Delete')));
  }
  renderHeader();

  // ---- data helpers
  const completed = () => [...trials.values()].filter(t => t.state === 'COMPLETED' && t.values);
  let front = new Set<number>();
  let hvHistory: number[] = [];

  function renderSummary() {
    const c = study.trialCounts;
    const best = !multi ? completed().reduce<Trial | null>((b, t) =>
      b === null || sign(0) * num(t.values![metrics[0]]) < sign(0) * num(b.values![metrics[0]]) ? t : b, null) : null;
    summary.replaceChildren(
      h('span', {}, `Algorithm: ${study.algorithm.name}`),
      h('span', {}, `Evaluator: ${study.evaluator?.name ?? 'client (ask/tell)'}`),
      h('span', {}, `Issued: ${study.trialsIssued}${study.limits.maxTrials ? ' / ' + study.limits.maxTrials : ''}`),
      ...Object.entries(c).filter(([, n]) => n > 0).map(([k, n]) => h('span', { class: 'pill state-' + k.toLowerCase() }, `${k.toLowerCase()} ${n}`)),
      best ? h('span', { id: 'best-value' }, `Best ${metrics[0]}: ${fmt(num(best.values![metrics[0]]))} (trial ${best.number})`) : '');
  }

  function renderHistory() {
    const done = completed().sort((a, b) => a.number - b.number);
    const series: echarts.SeriesOption[] = metrics.map((m, k) => ({
      type: 'scatter', name: m, symbolSize: 5, large: done.length > 5000,
      data: done.map(t => [t.number, num(t.values![m]), t.number]).filter(d => Number.isFinite(d[1])),
      yAxisIndex: 0, xAxisIndex: 0, ...(k > 0 ? {} : {}),
    }));
    if (!multi) {
      let best = Infinity;
      const line: number[][] = [];
      for (const t of done) {
        const v = sign(0) * num(t.values![metrics[0]]);
        if (Number.isFinite(v) && v < best) best = v;
        if (Number.isFinite(best)) line.push([t.number, sign(0) * best]);
      }
      series.push({ type: 'line', name: 'best so far', step: 'end', showSymbol: false, data: line });
    }
    charts.history.setOption({
      animation: false, legend: { top: 0 },
      tooltip: { trigger: 'item', formatter: (q: unknown) => {
        const { data, seriesName } = hovered(q);
        const [n, v] = data as number[];
        return tip(`trial ${n}`, [seriesName ?? '', v]);
      } },
      xAxis: { type: 'value', name: 'trial', min: 'dataMin', ...AT_EDGE, ...NAME_BELOW },
      yAxis: { type: 'value', scale: true, ...AT_EDGE },
      dataZoom: [{ type: 'inside' }], series,
    }, true);
  }

  async function renderPareto() {
    if (!multi) return;
    const p = await (firstPareto ?? api.pareto(id));
    firstPareto = null;
    front = new Set(p.trials.map(t => t.number));
    hvHistory = p.history ?? [];
    const xi = Number(axisX.value), yi = Number(axisY.value);
    const done = completed();
    const pt = (t: Trial) => [...metrics.map(m => num(t.values![m])), t.number];
    if (study.objectives.length === 3 && view3d.checked) {
      if (!glLoaded) {
        await import('echarts-gl');
        glLoaded = true;
        // an ECharts instance copies the registered processors when it is created: the 3-D layout (registered by
        // echarts-gl just now) would never run on the chart made before the import (the scatter3D had no points).
        remake('pareto', pareto.el);
      }
      charts.pareto.setOption({
        animation: false, grid3D: {}, xAxis3D: { name: metrics[0] }, yAxis3D: { name: metrics[1] },
        zAxis3D: { name: metrics[2] },
        tooltip: { formatter: (q: unknown) => {
          const d = hovered(q).data as number[];
          return tip(`trial ${d[3]}`, ...metrics.map((m, k): [string, unknown] => [m, d[k]]));
        } },
        series: [
          { type: 'scatter3D', name: 'dominated', symbolSize: 4, itemStyle: { color: '#b8bcc8' },
            data: done.filter(t => !front.has(t.number)).map(pt) },
          { type: 'scatter3D', name: 'Pareto front', symbolSize: 7, itemStyle: { color: '#d1495b' },
            data: done.filter(t => front.has(t.number)).map(pt) }],
      } as echarts.EChartsOption, true);
    } else {
      const xy = (t: Trial) => [num(t.values![metrics[xi]]), num(t.values![metrics[yi]]), t.number];
      charts.pareto.setOption({
        animation: false, legend: { top: 0 },
        tooltip: { trigger: 'item', formatter: (q: unknown) => {
          const d = hovered(q).data as number[];
          return tip(`trial ${d[2]}`, [metrics[xi], d[0]], [metrics[yi], d[1]]);
        } },
        xAxis: { type: 'value', name: metrics[xi], scale: true, ...AT_EDGE, ...NAME_BELOW },
        yAxis: { type: 'value', name: metrics[yi], scale: true, ...AT_EDGE },
        series: [
          { type: 'scatter', name: 'dominated', symbolSize: 5, itemStyle: { color: '#b8bcc8' },
            data: done.filter(t => !front.has(t.number)).map(xy) },
          { type: 'scatter', name: 'Pareto front', symbolSize: 9, itemStyle: { color: '#d1495b' },
            data: done.filter(t => front.has(t.number)).map(xy).sort((a, b) => a[0] - b[0]) }],
      }, true);
    }
    charts.hypervolume.setOption({
      animation: false,
      tooltip: { trigger: 'axis', formatter: (q: unknown) => {
        const [i, v] = hoveredAll(q)[0].data as number[];
        return tip(`${i} completed trials`, ['hypervolume', v]);
      } },
      xAxis: { type: 'value', name: 'completed trials', ...AT_EDGE, ...NAME_BELOW },
      yAxis: { type: 'value', scale: true, name: 'hypervolume', ...AT_EDGE },
      series: [{ type: 'line', showSymbol: false, data: hvHistory.map((v, i) => [i + 1, v]) }],
      graphic: hvHistory.length ? [] : [{ type: 'text', left: 'center', top: 'middle',
        style: { text: 'No hypervolume history from the server yet', fill: '#666' } }],
    }, true);
  }

  function renderParallel() {
    const params = study.space.parameters.filter(p => p.type !== 'fixed');
    const done = completed().slice(-2000);
    const dims = [...params.map((p, i) => p.type === 'categorical'
      ? { dim: i, name: p.name, type: 'category' as const, data: (p.choices ?? []).map(String) }
      : { dim: i, name: p.name, ...(p.log ? { type: 'log' as const } : {}) }),
    ...metrics.map((m, k) => ({ dim: params.length + k, name: m }))];
    charts.parallel.setOption({
      animation: false, parallelAxis: dims, parallel: { left: 40, right: 60 },
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.35 }, data: done.map(t => [
        ...params.map(p => p.type === 'categorical' ? String(t.params[p.name]) : (t.params[p.name] as number | undefined) ?? null),
        ...metrics.map(m => num(t.values![m]))]) }],
    }, true);
  }

  async function renderImportance() {
    const imp = await (firstImportance ?? api.importance(id, metrics[0]));
    firstImportance = null;
    const entries = Object.entries(imp.importance).sort((a, b) => a[1] - b[1]);
    charts.importance.setOption({
      animation: false, grid: { left: 110 },
      tooltip: { formatter: (q: unknown) => {
        const { name, data } = hovered(q);
        return tip(name ?? '', [`share of ${metrics[0]} variance`, data]);
      } },
      xAxis: { type: 'value', max: 1, name: `share of ${metrics[0]} variance`, ...NAME_BELOW },
      yAxis: { type: 'category', data: entries.map(e => e[0]) },
      series: [{ type: 'bar', data: entries.map(e => e[1]) }],
      graphic: entries.length ? [] : [{ type: 'text', left: 'center', top: 'middle',
        style: { text: 'Needs at least 4 completed trials', fill: '#666' } }],
    }, true);
  }

  function renderSlice() {
    const p = sliceParam.value;
    const param = study.space.parameters.find(x => x.name === p);
    const done = completed().filter(t => t.params[p] !== undefined);
    const cat = param?.type === 'categorical';
    charts.slice.setOption({
      animation: false,
      tooltip: { formatter: (q: unknown) => {
        const [x, y, n] = hovered(q).data as [unknown, number, number];
        return tip(`trial ${n}`, [p, x], [metrics[0], y]);
      } },
      xAxis: cat ? { type: 'category', name: p, data: (param?.choices ?? []).map(String), ...NAME_BELOW }
        : { type: param?.log ? 'log' : 'value', name: p, scale: true, ...AT_EDGE, ...NAME_BELOW },
      yAxis: { type: 'value', name: metrics[0], scale: true, ...AT_EDGE },
      series: [{ type: 'scatter', symbolSize: 5, data: done.map(t => [cat ? String(t.params[p]) : t.params[p],
        num(t.values![metrics[0]]), t.number]) }],
    }, true);
  }

  async function renderCurves() {
    const recent = await api.trials(id, Math.max(0, maxNumber - 50), 100, '', true);
    const withM = recent.trials.filter(t => (t.measurements ?? []).length > 0);
    charts.curves.setOption({
      animation: false,
      tooltip: { trigger: 'item', formatter: (q: unknown) => {
        const [step, v, n] = hovered(q).data as number[];
        return tip(`trial ${n}`, ['step', step], [metrics[0], v]);
      } },
      xAxis: { type: 'value', name: 'step', ...AT_EDGE, ...NAME_BELOW },
      yAxis: { type: 'value', name: metrics[0], scale: true, ...AT_EDGE },
      series: withM.map(t => ({ type: 'line', name: `trial ${t.number}`, symbolSize: 4,
        data: t.measurements!.map(m => [m.step, num(m.values[metrics[0]]), t.number]) })),
      graphic: withM.length ? [] : [{ type: 'text', left: 'center', top: 'middle',
        style: { text: 'No intermediate measurements in recent trials', fill: '#666' } }],
    }, true);
  }

  // a program-evolution trial's program as code (the server renders it in the full trial), fetched for the rows shown
  const codes = new Map<number, string>();
  const codeRequests = new Map<number, Promise<string>>();
  function programCode(n: number): HTMLElement {
    const pre = h('pre', { class: 'code' }, codes.get(n) ?? '…');
    if (!codes.has(n)) {
      let request = codeRequests.get(n);
      if (!request) {
        request = api.trial(id, n).then(t => t.code ?? JSON.stringify(t.params, null, 2));
        codeRequests.set(n, request);
        request.then(c => codes.set(n, c), () => codeRequests.delete(n));
      }
      request.then(c => { pre.textContent = c; }, () => { pre.textContent = '(not loaded)'; });
    }
    return pre;
  }

  let page = 0;
  function renderTable() {
    let rows = [...trials.values()];
    if (stateFilter.value) rows = rows.filter(t => t.state === stateFilter.value);
    if (sortBy.value === 'value') {
      const key = (t: Trial) => t.values ? sign(0) * num(t.values[metrics[0]]) : Infinity;
      rows.sort((a, b) => key(a) - key(b) || a.number - b.number);
    } else rows.sort((a, b) => b.number - a.number);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    page = Math.min(page, pages - 1);
    tableBody.replaceChildren(...rows.slice(page * PAGE, page * PAGE + PAGE).map(t => h('tr', {},
      h('td', {}, h('a', { href: `#/studies/${id}/trials/${t.number}`, class: 'trial-link' }, String(t.number))),
      h('td', {}, h('span', { class: 'pill state-' + t.state.toLowerCase() }, t.state)),
      ...metrics.map(m => h('td', {}, t.values ? fmt(num(t.values[m])) : '')),
      program ? h('td', { class: 'program' }, programCode(t.number))
        : h('td', { class: 'params' }, Object.entries(t.params).map(([k, v]) => `${k}=${fmt(v)}`).join(', ')),
      h('td', {}, String(t.attempt)), h('td', {}, when(t.finishedAt)))));
    pager.replaceChildren(
      h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; renderTable(); } }, 'Previous'),
      h('span', {}, ` page ${page + 1} of ${pages} (${rows.length} trials) `),
      h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => { page++; renderTable(); } }, 'Next'));
  }
  stateFilter.addEventListener('change', () => { page = 0; renderTable(); });
  sortBy.addEventListener('change', () => { page = 0; renderTable(); });
  sliceParam.addEventListener('change', renderSlice);
  axisX.addEventListener('change', () => void renderPareto());
  axisY.addEventListener('change', () => void renderPareto());
  view3d.addEventListener('change', () => void renderPareto());

  async function showTrial(n: number) {
    const t = await api.trial(id, n);
    const dl = (pairs: [string, unknown][]) => h('dl', {}, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, fmt(v))]));
    const parts: (Node | null)[] = [
      h('h2', {}, `Trial ${t.number}`),
      h('p', {}, h('span', { class: 'pill state-' + t.state.toLowerCase() }, t.state)),
      ...(t.code ? [h('h3', {}, 'Program'), h('pre', { class: 'code' }, t.code)]
        : [h('h3', {}, 'Parameters'), dl(Object.entries(t.params))]),
      t.values ? h('h3', {}, 'Values') : null, t.values ? dl(Object.entries(t.values)) : null,
      h('h3', {}, 'Run'),
      dl([['attempt', t.attempt], ['executor', t.executorId ?? t.workerId ?? ''], ['gpus', t.gpus ?? ''],
        ['created', when(t.createdAt)], ['started', when(t.startedAt)], ['finished', when(t.finishedAt)]]),
      t.failureReason ? h('p', { class: 'error' }, `Failure: ${t.failureReason}`) : null,
      t.infeasibleReason ? h('p', { class: 'error' }, `Infeasible: ${t.infeasibleReason}`) : null,
      (t.measurements ?? []).length ? h('h3', {}, 'Measurements') : null,
      (t.measurements ?? []).length ? h('table', { class: 'grid' }, h('tbody', {}, ...t.measurements!.map(m =>
        h('tr', {}, h('td', {}, String(m.step)), h('td', {}, Object.entries(m.values).map(([k, v]) => `${k}=${fmt(v)}`).join(', ')))))) : null,
      Object.keys(t.metadata).length ? h('h3', {}, 'Metadata') : null,
      Object.keys(t.metadata).length ? h('pre', {}, JSON.stringify(t.metadata, null, 2)) : null];
    detail.replaceChildren(...parts.filter((x): x is Node => x !== null));
    detail.scrollIntoView({ block: 'nearest' });
  }

  async function renderArms() {
    if (!bandit) return;
    const a = await api.arms(id) as { arms: { params: Record<string, unknown>; pulls: number; meanCost?: Num }[];
      history: (number | null)[][]; regret?: number; instanceOptimalRegret?: number; bestArm?: number };
    // arms in the order of their values (the server lists them as it met them), parameter by parameter
    const keys = study.space.parameters.map(p => p.name);
    const arms = [...a.arms].sort((x, y) => {
      for (const k of keys) {
        const c = compareValues(x.params[k], y.params[k]);
        if (c !== 0) return c;
      }
      return 0;
    });
    const names = arms.map(x => Object.values(x.params).map(v => fmt(v)).join(', '));
    const rows = (q: unknown) => hoveredAll(q).map((p): [string, unknown] => [p.seriesName ?? '',
      Array.isArray(p.data) ? p.data[1] : p.data]);
    charts.arms.setOption({
      animation: false, legend: { top: 0 },
      tooltip: { trigger: 'axis', formatter: (q: unknown) => tip(`arm ${hoveredAll(q)[0].axisValueLabel}`, ...rows(q)) },
      xAxis: { type: 'category', data: names, name: 'arm', ...NAME_BELOW },
      yAxis: [{ type: 'value', name: 'pulls' }, { type: 'value', name: 'mean cost', scale: true, ...AT_EDGE }],
      series: [{ type: 'bar', name: 'pulls', data: arms.map(x => x.pulls) },
        { type: 'line', name: 'mean cost', yAxisIndex: 1, data: arms.map(x => num(x.meanCost)) }],
    }, true);
    // the comparators the server knows: the best fixed arm (absent for a contextual study without a per-instance
    // reference) and, where each trial reports its instance-optimal cost, the instance-optimal policy
    const line = (k: number) => a.history.filter(p => p[k] !== null && p[k] !== undefined).map(p => [p[0], p[k]]);
    const fixed = line(2);
    const optimal = line(3);
    const regrets = [a.regret !== undefined ? `regret ${fmt(a.regret)} vs best fixed` : null,
      a.instanceOptimalRegret !== undefined ? `${fmt(a.instanceOptimalRegret)} vs instance-optimal` : null]
      .filter(x => x !== null).join(' · ');
    charts.cumulative.setOption({
      animation: false, legend: { top: 0 },
      tooltip: { trigger: 'axis', formatter: (q: unknown) =>
        tip(`pull ${(hoveredAll(q)[0].data as number[])[0]}`, ...rows(q)) },
      xAxis: { type: 'value', name: 'pull', ...AT_EDGE, ...NAME_BELOW },
      yAxis: { type: 'value', name: 'cumulative cost', ...AT_EDGE },
      series: [{ type: 'line', name: 'learner', showSymbol: false, data: a.history.map(p => [p[0], p[1]]) },
        ...(fixed.length ? [{ type: 'line', name: 'best fixed arm', showSymbol: false, lineStyle: { type: 'dashed' },
          data: fixed }] : []),
        ...(optimal.length ? [{ type: 'line', name: 'instance-optimal', showSymbol: false,
          lineStyle: { type: 'dotted' }, data: optimal }] : [])],
      title: { text: regrets, right: 10, top: 24, textStyle: { fontSize: 12 } },
    }, true);
  }

  async function renderPrograms() {
    if (!program) return;
    const best = completed().sort((x, y) => sign(0) * (num(x.values![metrics[0]]) - num(y.values![metrics[0]])))
      .slice(0, 5);
    const [full, insights] = await Promise.all([Promise.all(best.map(t => api.trial(id, t.number))),
      best.length ? api.programs(id, 5).catch(() => null) : Promise.resolve(null)]);
    const familyOf = new Map((insights?.best ?? []).map(b => [b.trial, b.familyDescription]));
    // the funnel's stages as the optimizer-proxy evaluator reports them (AdamW = 1), where a trial has them
    const stages: [string, string][] = [['cheap_fitness', 'cheap'], ['full_fitness', 'full'],
      ['meta_validation', 'meta-validation (held out)']];
    const stageLine = (t: Trial) => stages.filter(([k]) => t.metrics?.[k] !== undefined)
      .map(([k, label]) => `${label} ${fmt(num(t.metrics![k]))}`).join(' · ');
    const families = insights ? Object.entries(insights.families).map(([f, n]) => `${f} ${n}`).join(' · ') : '';
    const lineage = insights?.lineage;
    // the best program's ancestry: from the warm start, each ancestor that was a trial with the edits that made it
    const lineageView = lineage && lineage.steps.length ? h('div', { class: 'lineage', id: 'best-lineage' },
      h('h3', {}, `How trial ${lineage.trial} was found (from ${lineage.start ?? 'an added program'}, `
        + `${lineage.steps.length - 1} step${lineage.steps.length === 2 ? '' : 's'}${lineage.truncated ? ', truncated' : ''})`),
      h('ol', {}, ...lineage.steps.map(s => h('li', { 'data-trial': String(s.trial) },
        h('span', { class: 'step' }, `trial ${s.trial}: ${s.edits.length ? s.edits.join(' + ') : s.origin}`
          + (s.family ? ` → ${s.family}` : '') + (s.value !== undefined ? `, ${lineage.metric} ${fmt(num(s.value))}` : '')),
        s.code ? h('details', {}, h('summary', {}, 'code'), h('pre', {}, s.code)) : null)))) : null;
    programs.replaceChildren(h('h2', {}, 'Best programs'),
      families ? h('p', { class: 'families', id: 'program-families' }, `Families of the best ${insights!.best.length}: `, families) : '',
      ...full.map(t => h('div', { class: 'program' },
        h('h3', {}, `Trial ${t.number}: ${metrics[0]} ${fmt(num(t.values![metrics[0]]))}`
          + (familyOf.has(t.number) ? ` · ${familyOf.get(t.number)}` : '')),
        stageLine(t) ? h('p', { class: 'stages' }, stageLine(t), ' (AdamW = 1)') : null,
        h('pre', {}, (t as Trial & { code?: string }).code ?? JSON.stringify(t.params, null, 2)))),
      lineageView ?? '');
  }

  async function renderAll() {
    renderSummary();
    renderHistory();
    mark('history');
    if (!program) {
      renderParallel();
      mark('parallel');
      renderSlice();
      mark('slice');
    }
    renderTable();
    mark('table');
    await Promise.all([renderPareto().then(() => mark('pareto')),
      (program ? Promise.resolve() : renderImportance()).then(() => mark('importance')),
      renderCurves().then(() => mark('curves')), renderArms(), renderPrograms()]);
    mark('all');
  }
  await renderAll();
  window.__sextant.ready = true;
  if (openTrial !== undefined) await showTrial(openTrial);

  // ---- live updates: new trials after the cursor, plus pending trials that may have changed
  const poll = async () => {
    if (signal.aborted) return;
    try {
      const pending = [...trials.values()].filter(t => t.state === 'WAITING' || t.state === 'RUNNING').map(t => t.number);
      const before = study.trialsIssued + JSON.stringify(study.trialCounts) + study.state;
      study = await api.study(id);
      await load(maxNumber);
      for (const n of pending) trials.set(n, await api.trial(id, n));
      if (study.trialsIssued + JSON.stringify(study.trialCounts) + study.state !== before) {
        renderHeader();
        await renderAll();
      }
    } catch { /* transient: try again on the next tick */ }
    if (!signal.aborted) setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
}

/** Numbers (and numeric strings) by value, anything else as text with digit runs compared as numbers. */
function compareValues(a: unknown, b: unknown): number {
  const x = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
  const y = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN;
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return fmt(a).localeCompare(fmt(b), undefined, { numeric: true });
}

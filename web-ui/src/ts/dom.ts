// Minimal DOM helpers. All user text goes through textContent (never innerHTML), so names cannot inject markup.

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean |
    ((e: Event) => void)> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false) el.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function fmt(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : v.toPrecision(6).replace(/\.?0+$/, '');
  }
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function when(iso?: string): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/**
 * A chart tooltip built as DOM nodes: ECharts inserts a returned element as it is, while a returned string would be
 * parsed as HTML. Every tooltip formatter returns one of these, so names and values stay text.
 */
export function tip(title: string, ...rows: [string, unknown][]): HTMLElement {
  return h('div', { class: 'tip' }, h('strong', {}, title), ...rows.map(([k, v]) => h('div', {}, `${k}: ${fmt(v)}`)));
}

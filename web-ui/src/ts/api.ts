// Typed access to the Sextant REST API (same origin).

export type Num = number | string; // non-finite numbers arrive as "Infinity", "-Infinity", "NaN"

export interface Objective { metric: string; direction: 'MINIMIZE' | 'MAXIMIZE' }
export interface Param { name: string; type: string; low?: number; high?: number; log?: boolean; choices?: unknown[] }
export interface Study {
  id: number; name: string; state: string;
  /** Why the study ended as it did (e.g. FAILED), where the server says. */
  stateReason?: string;
  space: { parameters: Param[] };
  objectives: Objective[];
  algorithm: { name: string; options: Record<string, unknown> };
  evaluator: { name: string; config: Record<string, unknown> } | null;
  limits: { maxTrials?: number; maxParallel?: number; maxAttempts: number };
  trialsIssued: number;
  trialCounts: Record<string, number>;
  bestValue?: Num;
  createdAt: string;
}
/**
 * An installed algorithm as GET /api/v1/algorithms lists it. `capabilities` says what it can do (e.g.
 * 'bandit', 'contextual', 'multi-objective', 'renders-code', 'needs-parameters'): the UI decides by them, not by names.
 */
export interface Algorithm { name: string; description: string; needsParameters?: boolean; capabilities?: string[] }
export interface Measurement { step: number; values: Record<string, Num>; at: string }
export interface Trial {
  id: number; number: number; state: string; params: Record<string, unknown>;
  values?: Record<string, Num>; metrics?: Record<string, Num>; attempt: number;
  workerId?: string; executorId?: string; gpus?: number[]; failureReason?: string; infeasibleReason?: string;
  measurements?: Measurement[]; metadata: Record<string, unknown>;
  /** The parameters as readable code, where the algorithm renders them (a program-evolution trial's program). */
  code?: string;
  createdAt: string; startedAt?: string; finishedAt?: string;
}
/** A program-evolution study's best programs with their families, and the lineage of the best one. */
export interface LineageStep {
  trial: number; origin: string; edits: string[]; value?: Num; family?: string; code?: string;
}
export interface Programs {
  metric: string;
  best: { trial: number; value: number; family: string; familyDescription: string }[];
  families: Record<string, number>;
  lineage?: { trial: number; metric: string; start: string | null; steps: LineageStep[]; truncated: boolean };
}
export type TrialRow = [number, string, Record<string, unknown>, Num[] | null, number, string | null, string | null];

/** A compact row as a {@link Trial} (without what only the trial detail shows: it loads the full trial). */
export function fromRow(metrics: string[], r: TrialRow): Trial {
  const [number, state, params, values, attempt, startedAt, finishedAt] = r;
  return { id: 0, number, state, params, attempt, metadata: {}, createdAt: '',
    values: values ? Object.fromEntries(metrics.map((m, i) => [m, values[i]])) : undefined,
    startedAt: startedAt ?? undefined, finishedAt: finishedAt ?? undefined };
}

export interface Problem { status: number; title?: string; detail?: string; field?: string }

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? 'HTTP ' + problem.status);
  }
}

export function num(v: Num | undefined): number {
  if (v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

/** The CSRF token Spring Security keeps in the XSRF-TOKEN cookie; every change sends it back as a header. */
export function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

async function call<T>(method: string, path: string, body?: string, contentType = 'application/json'): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = contentType;
  if (method !== 'GET') headers['X-XSRF-TOKEN'] = csrfToken();
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (res.status === 401) {
    location.href = '/login';
    throw new ApiError({ status: 401, detail: 'signed out' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(data ?? { status: res.status });
  return data as T;
}

export const api = {
  studies: (q = '', after = 0, limit = 100) =>
    call<{ studies: Study[]; next: number | null }>('GET',
      `/api/v1/studies?limit=${limit}&after=${after}` + (q ? '&q=' + encodeURIComponent(q) : '')),
  study: (id: number) => call<Study>('GET', `/api/v1/studies/${id}`),
  create: (text: string, yaml: boolean) =>
    call<Study>('POST', '/api/v1/studies', text, yaml ? 'application/yaml' : 'application/json'),
  importStudy: (text: string, name: string) =>
    call<Study>('POST', '/api/v1/studies/import' + (name ? '?name=' + encodeURIComponent(name) : ''), text),
  pause: (id: number) => call<Study>('POST', `/api/v1/studies/${id}/pause`),
  resume: (id: number) => call<Study>('POST', `/api/v1/studies/${id}/resume`),
  remove: (id: number) => call<void>('DELETE', `/api/v1/studies/${id}`),
  trials: (id: number, after = 0, limit = 1000, state = '', measurements = false) =>
    call<{ trials: Trial[]; next: number | null }>('GET',
      `/api/v1/studies/${id}/trials?after=${after}&limit=${limit}&measurements=${measurements}` +
      (state ? '&state=' + state : '')),
  /** Every trial after the cursor as compact rows (number, state, params, values, attempt, started, finished). */
  trialRows: (id: number, after = 0, limit = 100000) =>
    call<{ metrics: string[]; trials: TrialRow[]; next: number | null }>('GET',
      `/api/v1/studies/${id}/trials/compact?after=${after}&limit=${limit}`),
  trial: (id: number, n: number) => call<Trial>('GET', `/api/v1/studies/${id}/trials/${n}`),
  pareto: (id: number) => call<{ trials: Trial[]; hypervolume?: number; referencePoint?: number[];
    history?: number[] }>('GET', `/api/v1/studies/${id}/pareto`),
  importance: (id: number, objective: string) =>
    call<{ importance: Record<string, number>; trials: number }>('GET',
      `/api/v1/studies/${id}/importance?objective=${encodeURIComponent(objective)}`),
  me: () => call<{ username: string; role: string }>('GET', '/api/v1/me'),
  algorithms: () => call<{ algorithms: Algorithm[] }>('GET', '/api/v1/algorithms'),
  executors: () => call<{ executors: Record<string, unknown>[] }>('GET', '/api/v1/executors'),
  programs: (id: number, top = 5) => call<Programs>('GET', `/api/v1/studies/${id}/programs?top=${top}`),
  arms: (id: number) => call<Record<string, unknown>>('GET', `/api/v1/studies/${id}/arms`),
};

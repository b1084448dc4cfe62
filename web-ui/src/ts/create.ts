import { api, ApiError } from './api';
import { h } from './dom';

const EXAMPLE = `name: my-study
space:
  parameters:
    - {name: x1, type: float, low: -5, high: 10}
    - {name: x2, type: float, low: 0, high: 15}
objectives:
  - {metric: loss, direction: MINIMIZE}
algorithm: {name: sobol}
evaluator: {name: branin}
limits: {maxTrials: 50, maxParallel: 2}
`;

export function createView(root: HTMLElement): void {
  const text = h('textarea', { id: 'study-spec', rows: '18', spellcheck: 'false', 'aria-label': 'Study definition',
    'aria-describedby': 'spec-error' });
  text.value = EXAMPLE;
  const format = h('select', { id: 'spec-format', 'aria-label': 'Format' },
    h('option', { value: 'yaml' }, 'YAML'), h('option', { value: 'json' }, 'JSON'));
  const error = h('div', { id: 'spec-error', class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', id: 'create-study' }, 'Create study');
  const form = h('form', { class: 'create' },
    h('label', { for: 'spec-format' }, 'Format '), format, text, error, submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.hidden = true;
    try {
      const s = await api.create(text.value, format.value === 'yaml');
      location.hash = `#/studies/${s.id}`;
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : { status: 0, detail: String(err) };
      error.replaceChildren(h('strong', {}, p.field ? `${p.field}: ` : 'Error: '), p.detail ?? 'request failed');
      error.hidden = false;
      text.setAttribute('aria-invalid', 'true');
    }
  });
  root.replaceChildren(h('h1', {}, 'New study'),
    h('p', {}, 'Write the study in YAML or JSON (see the API docs for every field). The server validates it; ' +
      'errors name the offending field.'), form, importForm());
}

/** Restores a study from a JSON export (the study page's "Export JSON"), optionally under a new name. */
function importForm(): HTMLElement {
  const file = h('input', { type: 'file', id: 'import-file', accept: '.json,application/json',
    'aria-label': 'Exported study (JSON)' });
  const name = h('input', { type: 'text', id: 'import-name', placeholder: 'New name (optional)',
    'aria-label': 'Name of the imported study' });
  const error = h('div', { id: 'import-error', class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', id: 'import-study' }, 'Import study');
  const form = h('form', { class: 'create', id: 'import-form' }, file, name, error, submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.hidden = true;
    const chosen = file.files?.[0];
    try {
      if (!chosen) throw new ApiError({ status: 0, field: 'file', detail: 'choose an exported study (JSON) first' });
      const s = await api.importStudy(await chosen.text(), name.value.trim());
      location.hash = `#/studies/${s.id}`;
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : { status: 0, detail: String(err) };
      error.replaceChildren(h('strong', {}, p.field ? `${p.field}: ` : 'Error: '), p.detail ?? 'request failed');
      error.hidden = false;
    }
  });
  return h('section', { 'aria-label': 'Import a study' }, h('h2', {}, 'Import an exported study'), form);
}

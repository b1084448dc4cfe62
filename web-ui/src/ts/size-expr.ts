// claygl (echarts-gl's WebGL engine) sizes its post-effect buffers with expressions such as
// "expr([width * dpr / 2, height * dpr / 2])" and compiles them with `new Function`, which the Content-Security-Policy
// forbids (no 'unsafe-eval'). The build (vite.config.ts) replaces that call with this parser: numbers, the variables
// width, height and dpr, + - * /, parentheses and one level of [a, b] arrays; anything else is refused.

type Vars = [width: number, height: number, dpr: number];
type Fn = (v: Vars) => number;
export type SizeExpression = (width: number, height: number, dpr: number) => number | number[];

export function compileSizeExpression(source: string): SizeExpression {
  const tokens = source.match(/\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+|[A-Za-z_]\w*|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (t?: string) => {
    const got = tokens[i++];
    if (got === undefined || (t !== undefined && got !== t)) throw new Error(`invalid size expression: ${source}`);
    return got;
  };
  const VARS = new Map([['width', 0], ['height', 1], ['dpr', 2]]);
  function factor(): Fn {
    const t = take();
    if (t === '(') { const e = sum(); take(')'); return e; }
    if (t === '-') { const f = factor(); return v => -f(v); }
    if (t === '+') return factor();
    const k = VARS.get(t);
    if (k !== undefined) return v => v[k];
    const n = Number(t);
    if (/^[\d.]/.test(t) && Number.isFinite(n)) return () => n;
    throw new Error(`invalid size expression: ${source}`);
  }
  function product(): Fn {
    let left = factor();
    while (peek() === '*' || peek() === '/') {
      const op = take(), l = left, r = factor();
      left = op === '*' ? v => l(v) * r(v) : v => l(v) / r(v);
    }
    return left;
  }
  function sum(): Fn {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = take(), l = left, r = product();
      left = op === '+' ? v => l(v) + r(v) : v => l(v) - r(v);
    }
    return left;
  }
  let result: SizeExpression;
  if (peek() === '[') {
    take('[');
    const items = [sum()];
    while (peek() === ',') { take(','); items.push(sum()); }
    take(']');
    result = (width, height, dpr) => items.map(f => f([width, height, dpr]));
  } else {
    const e = sum();
    result = (width, height, dpr) => e([width, height, dpr]);
  }
  if (i !== tokens.length) throw new Error(`invalid size expression: ${source}`);
  return result;
}

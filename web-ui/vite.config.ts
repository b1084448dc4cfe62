import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const SIZE_EXPR = fileURLToPath(new URL('./src/ts/size-expr.ts', import.meta.url));

/**
 * The server's Content-Security-Policy allows scripts from the origin only: no inline script, no eval. Two library
 * modules compile strings with `new Function`: claygl (under echarts-gl) its buffer-size expressions, replaced by a
 * small parser (src/ts/size-expr.ts), and ECharts' GeoJSON loader (a fallback for browsers without JSON.parse,
 * never taken; replaced by JSON.parse). After writing, the build fails if any emitted script could still evaluate
 * a string or the page carries an inline script, so an upgrade cannot bring either back unnoticed.
 */
function contentSecurityPolicy(): Plugin {
  const replacements: { file: string; from: string; to: string; imports?: string }[] = [
    { file: '/claygl/src/createCompositor.js', from: "new Function('width', 'height', 'dpr', 'return ' + exprRes[1])",
      to: 'compileSizeExpression(exprRes[1])',
      imports: `import { compileSizeExpression } from ${JSON.stringify(SIZE_EXPR)};\n` },
    { file: '/echarts/lib/coord/geo/GeoJSONResource.js', from: "new Function('return (' + source + ');')()",
      to: 'JSON.parse(source)' },
  ];
  return {
    name: 'sextant-csp',
    enforce: 'pre',
    transform(code, id) {
      const path = id.split('?')[0].replace(/\\/g, '/');
      const r = replacements.find(x => path.endsWith(x.file));
      if (!r) return null;
      if (!code.includes(r.from)) this.error(`${r.file} changed: its use of eval needs a new replacement`);
      return (r.imports ?? '') + code.replace(r.from, r.to);
    },
    writeBundle(_, bundle) {
      for (const [name, out] of Object.entries(bundle)) {
        const text = out.type === 'chunk' ? out.code : typeof out.source === 'string' ? out.source : '';
        if (name.endsWith('.js') && /(?:^|[^.\w$])(?:new\s+)?Function\s*\(|(?:^|[^.\w$])eval\s*\(/.test(text)) {
          this.error(`${name} evaluates strings as code, which the Content-Security-Policy forbids`);
        }
        if (name.endsWith('.html') && /<script\b(?![^>]*\bsrc=)[^>]*>/i.test(text)) {
          this.error(`${name} has an inline script, which the Content-Security-Policy forbids`);
        }
      }
    },
  };
}

// Built into the module's classes so the jar carries it at classpath:/static/, which search-api serves at /.
export default defineConfig({
  base: '/',
  plugins: [contentSecurityPolicy()],
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});

import { defineConfig } from 'vite';

// Built into the module's classes so the jar carries it at classpath:/static/, which search-api serves at /.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});

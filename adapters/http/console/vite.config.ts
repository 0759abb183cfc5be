import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Vite 8 compiles TSX with oxc; React 19's automatic JSX runtime, no plugin needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  logLevel: 'warn',
});

import { defaultClientConditions, defineConfig } from 'vite';

// The directory of this file, so `vite build` works from any working directory.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

/** The Rendezvous server (apps/server) that dev and preview servers forward signaling and API calls to. */
const backend = 'http://127.0.0.1:8080';

const proxy = {
  '/ws': { target: backend, ws: true, changeOrigin: true },
  '/api': { target: backend, ws: true, changeOrigin: true },
  '/healthz': { target: backend, ws: true, changeOrigin: true },
};

export default defineConfig({
  root,
  // Workspace packages resolve to their TypeScript sources (their package.json "source" export).
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the served build: they would publish the app's sources (the dev server makes its own).
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry /*#__PURE__*/ comments in places Rollup cannot use; harmless.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) {
          return;
        }
        warn(warning);
      },
    },
  },
  server: { proxy },
  preview: { proxy },
});

import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The shared pure domain code (scoring) is imported from its library, not copied.
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: {
      '@tieuchi/framework/domain/scoring': `${root}libs/framework/domain/src/scoring.ts`,
      '@tieuchi/shared/kernel': `${root}libs/shared/kernel/src/index.ts`,
      // react-router's package exports point every condition at its development build (warnings, 30 KB more).
      ...(command === 'build' ? { 'react-router': `${root}node_modules/react-router/dist/production/index.mjs` } : {}),
    },
  },
  build: {
    outDir: `${root}dist/web`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    // Read by tools/web-bundle-size.cjs to know which chunks each route loads.
    manifest: true,
  },
  server: { proxy: { '^/(periods|units|frameworks|review-queue|audit|admin|recalculation-runs|auth|me|health|docs)': 'http://localhost:3000' } },
}));

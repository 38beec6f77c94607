import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The shared pure domain code (scoring) is imported from its library, not copied.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: {
      '@tieuchi/framework/domain/scoring': `${root}libs/framework/domain/src/scoring.ts`,
      '@tieuchi/shared/kernel': `${root}libs/shared/kernel/src/index.ts`,
    },
  },
  build: {
    outDir: `${root}dist/web`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '^/(periods|units|frameworks|review-queue|audit|admin|recalculation-runs|auth|me|health|docs)': 'http://localhost:3000' } },
});

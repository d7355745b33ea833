// Vite build of the React front end: web/ in, web/dist/ out, served by the Fastify app (dev: `npm run dev:web` proxies the API).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.CONCIERGERIE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // the landing page's own JavaScript is checked by the e2e tests (150 KB gzipped); warn well before that
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/pay': { target: api },
      '/docs': { target: api },
    },
  },
});

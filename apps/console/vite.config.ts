import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

export default defineConfig({
  root: 'web',
  plugins: [solid()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/trpc': 'http://127.0.0.1:3001' } },
});

// Builds the web interface into dist/ (served by `whereabouts serve --web web/dist`).
// Relative asset paths, so that the pages work under any mount point.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 2048,
    // Leaflet's images are inlined or copied as files; no request leaves the server.
    assetsInlineLimit: 8192,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});

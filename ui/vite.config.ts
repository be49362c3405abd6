import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The window loads ui/dist through Tauri's custom protocol: relative asset paths,
// every script and stylesheet emitted as a file (the CSP forbids inline ones).
export default defineConfig({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});

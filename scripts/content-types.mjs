// The Content-Type each file of a build is served with: the end-to-end harness and the build's own
// profiling server (scripts/split-wasm.mjs) serve dist/ the way a plain web server does.
// `application/wasm` matters: without it browsers cannot compile WebAssembly while it downloads.
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

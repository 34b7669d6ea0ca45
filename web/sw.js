// The playground's service worker (a template: scripts/post-build.mjs fills in the build's
// version and files). After the first visit every file of the build is in the Cache Storage, so
// the page reloads and works with no network at all. Nothing is ever sent anywhere: the worker
// only answers the page's own requests for its own files.
//
// Follows the Service Worker spec's install/activate/fetch life cycle
// (https://www.w3.org/TR/service-workers/): precache on install, drop older builds' caches on
// activate, answer from the cache first.
const VERSION = '__S3PG_VERSION__';
const CACHE = `s3pg-${VERSION}`;
// URLs relative to this script: index.html's directory, then every file of the build.
const FILES = [/*__S3PG_FILES__*/];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // The page itself past the HTTP cache (`reload`), so the cache holds exactly this build; every
    // other file's name carries a hash of its content, so a copy the browser already has (the
    // page has just downloaded most of them) is this build's and need not be fetched again.
    const page = (url) => url === './' || url === './index.html';
    await cache.addAll(FILES.map((url) => new Request(url, { cache: page(url) ? 'reload' : 'default' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('s3pg-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page itself: the network when there is one (so a new build is seen at once), this
    // build's copy when there is not.
    event.respondWith((async () => {
      try {
        return await fetch(request);
      } catch (offline) {
        const cache = await caches.open(CACHE);
        const page = await cache.match('./');
        if (page) return page;
        throw offline;
      }
    })());
    return;
  }
  // Hashed files never change under the same name: the cache first.
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    return (await cache.match(request)) ?? fetch(request);
  })());
});

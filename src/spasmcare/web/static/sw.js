// The service worker, served as /sw.js so that it covers the whole app. It
// keeps the app shell so the plan and the timers still work when the
// connection drops: pages come from the network first, and from the last
// copy kept here when the network fails or hangs; static files come from
// here (their content is part of VERSION, so a change installs afresh).
const VERSION = "__VERSION__";
const CACHE = "spasmcare-" + VERSION;
const SHELL = ["/", "/plan", "/diary", "/timer", "/timer/ice", "/timer/heat", "/timer/walk",
  "/timer/plank", "/static/app.css", "/static/timer.js", "/static/outbox.js",
  "/static/register-sw.js", "/static/icon.svg", "/manifest.webmanifest"];
const PATIENCE_MS = 4000;  // a hanging connection: show the kept copy after this long

// The shell is kept page by page: a page that answered with a redirect (to
// the unlock page, when the diary is locked) is not kept as if it were that
// page, and does not stop the rest being kept.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.all(SHELL.map((path) => fetch(path)
      .then((response) => (keepable(response) ? cache.put(path, response) : null))
      .catch(() => null))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("spasmcare-") && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin ||
      url.pathname.startsWith("/api/") || url.pathname.startsWith("/report/download")) return;
  event.respondWith(url.pathname.startsWith("/static/") ? cacheFirst(request)
                                                        : networkFirst(request));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((open) => {
    const page = open.find((c) => new URL(c.url).pathname.startsWith("/timer")) || open[0];
    return page ? page.focus() : self.clients.openWindow("/timer");
  }));
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (keepable(response)) cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = async () => (await cache.match(request)) ||
                           (await cache.match(request, { ignoreSearch: true }));
  const network = fetch(request).then((response) => {
    if (keepable(response)) cache.put(request, response.clone());
    return response;
  });
  network.catch(() => {});
  const patience = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS))
    .then(async () => (await kept()) || network);
  try {
    return await Promise.race([network, patience]);
  } catch (e) {
    return (await kept()) || offline();
  }
}

// Exported files and anything sent "no-store" are never kept on the device.
function keepable(response) {
  return response.ok && !response.redirected && !/no-store/i.test(response.headers.get("Cache-Control") || "") &&
    !/attachment/i.test(response.headers.get("Content-Disposition") || "");
}

function offline() {
  return new Response(
    "<!doctype html><html lang='en'><meta charset='utf-8'><meta name='viewport' " +
    "content='width=device-width,initial-scale=1'><title>Offline · SpasmCare</title>" +
    "<link rel='stylesheet' href='/static/app.css'><main class='page'><h1>You are offline</h1>" +
    "<p>This page has not been saved on this device yet. Your <a href='/plan'>plan</a> and the " +
    "<a href='/timer'>timers</a> work offline.</p></main></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

{#- The site's service worker (issue 23, docs/offline.md), published at the site's root by `majlis build` only. Values are written with `json_encode`: this file is a script, not HTML. -#}
// majlis's service worker (docs/offline.md). After a first visit it keeps the visited
// language's home, programme, speakers, agenda and pages ahead, with the theme's assets, and
// each page and calendar file opened since. Pages come from the network first, so that an
// attendee online sees the programme as it is now; from the cache when the network fails,
// marked so that the page says it is offline. Assets, named by their content, come from the
// cache first. Only GET requests for the site's own addresses are answered here.
"use strict";
const VERSION = {{ version | json_encode | safe }};
const ASSETS = {{ assets | json_encode | safe }};
const LANGUAGES = {{ languages | json_encode | safe }};
// The site's root, the folder of this script, whatever path the site is published at.
const ROOT = new URL("./", self.location.href).href;
// Caches belong to the origin: the root in their names keeps another site of the host apart.
const PREFIX = `majlis ${ROOT} `;
const CACHE = PREFIX + VERSION;
// A page still on its way after this is given from the cache, as venue Wi-Fi that connects
// but carries nothing would otherwise leave the attendee waiting; the page is kept when it
// arrives.
const PATIENCE_MS = 6000;

const address = (path) => new URL(path, ROOT).href;
const assets = new Set(ASSETS.map(address));
// A page is the same whatever its query (the agenda reads `?s=` in the browser).
const keyOf = (url) => url.split(/[?#]/)[0];
const languageOf = (url) => {
  const first = url.slice(ROOT.length).split(/[/?#]/)[0];
  return url.startsWith(ROOT) ? LANGUAGES.find((l) => l.code === first) : undefined;
};
const fresh = (url) => fetch(url, { cache: "no-cache", credentials: "same-origin" });

async function put(cache, url, response) {
  if (response.ok && response.type === "basic") await cache.put(keyOf(url), response.clone());
  return response;
}

// A language's pages, fetched anew; one the host lacks is left out.
async function keepAhead(cache, language) {
  await Promise.all(
    language.pages.map((path) => fresh(address(path)).then((r) => put(cache, r.url, r), () => {})),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const kept = new Set();
      // What an earlier version kept: its pages until they are fetched again, its assets
      // that this version still uses; the languages it kept ahead are kept ahead again.
      for (const name of await caches.keys()) {
        if (!name.startsWith(PREFIX) || name === CACHE) continue;
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          const url = request.url;
          if (url.startsWith(address("assets/")) && !assets.has(url)) continue;
          const response = await old.match(request);
          if (response) await cache.put(request, response);
          const language = languageOf(url);
          if (language && url === address(language.pages[0])) kept.add(language);
        }
      }
      const missing = [];
      for (const url of assets) if (!(await cache.match(url, { ignoreVary: true }))) missing.push(url);
      await cache.addAll(missing);
      // The page of the first visit, which no worker answered yet.
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (!client.url.startsWith(ROOT)) continue;
        const language = languageOf(client.url);
        if (language) kept.add(language);
        await fresh(keyOf(client.url)).then((r) => put(cache, r.url, r), () => {});
      }
      await Promise.all([...kept].map((language) => keepAhead(cache, language)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // The site's own addresses only (same origin, under the root), read and never sent; a
  // stream or a range goes to the network untouched.
  if (
    request.method !== "GET" ||
    !request.url.startsWith(ROOT) ||
    request.headers.has("range") ||
    request.headers.get("accept") === "text/event-stream"
  )
    return;
  event.respondWith(assets.has(request.url) ? asset(request) : page(event));
});

async function asset(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request.url, { ignoreVary: true })) ?? put(cache, request.url, await fetch(request));
}

// The cached copy of a page, marked for its notice ("offline — the programme as of …").
async function saved(cache, request) {
  const response = await cache.match(keyOf(request.url), { ignoreVary: true });
  if (!response || request.mode !== "navigate") return response;
  const html = (await response.text()).replace("<html", "<html data-offline");
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

async function page(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const navigate = request.mode === "navigate";
  // Asked of the server again (a host may let a page be cached for minutes); a redirection
  // is left to the browser to follow.
  const asked = navigate
    ? new Request(request.url, { cache: "no-cache", credentials: "same-origin", redirect: "manual" })
    : new Request(request, { cache: "no-cache" });
  const network = fetch(asked).then((response) => put(cache, request.url, response));
  event.waitUntil(network.catch(() => {}));
  const language = navigate && languageOf(request.url);
  if (language && !(await cache.match(address(language.pages[0]), { ignoreVary: true })))
    event.waitUntil(keepAhead(cache, language));
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, PATIENCE_MS)))
    .then(() => saved(cache, request))
    .then((copy) => copy ?? network);
  try {
    return await Promise.race([network, late]);
  } catch {
    return (await saved(cache, request)) ?? Response.error();
  } finally {
    clearTimeout(timer);
  }
}

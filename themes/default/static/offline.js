// Registers the site's service worker (issue 23), which keeps the programme for a visit
// without a network: docs/offline.md. Only the published site's pages load this script;
// `majlis serve` publishes no worker. Registered once the page has loaded, so that it takes
// nothing from the page's own first requests; its scope is its folder, the site's root.
"use strict";
(() => {
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const worker = new URL(script.dataset.worker, location.href);
  addEventListener("load", () => {
    navigator.serviceWorker.register(worker.href).catch(() => {});
  });
})();

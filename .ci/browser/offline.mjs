// The programme offline (issue 23), in Debian's Chromium driven by playwright-core. The
// example site is built for a sub-path (https://host.example/meeting-4/) and served there on
// 127.0.0.1, with a copy built after a session moved. Then:
//   - after one visit to the French home, the service worker controls the pages, and what it
//     kept ahead (the language's pages and the theme's assets) costs at most 2 MB to download
//     (as hosts send it, gzipped); the large synthetic event, when given, is measured the
//     same way;
//   - a speaker's page and a calendar file are opened; then the browser goes offline and the
//     server stops answering: the programme, the speaker's page and the agenda (with its
//     sessions) still load, each saying "offline — the programme as of …"; the calendar file
//     too; a page never visited does not pretend to be there;
//   - online again, with the programme rebuilt with a session moved, a reload shows the move;
//     the notice takes no room online;
//   - Chromium finds the site installable (the DevTools protocol's
//     Page.getInstallabilityErrors returns none), its manifest in the page's language;
//   - `majlis serve` publishes and registers no worker.
//
// Usage: node offline.mjs MAJLIS SITE_ROOT ARTIFACTS_DIR [LARGE_SITE_SOURCE]

import { execFileSync, spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { gzipSync } from "node:zlib";
import { serve } from "./serve.mjs";

const [majlis, siteRoot, artifactsDir, largeSource] = process.argv.slice(2);
if (!artifactsDir) {
  console.error("usage: node offline.mjs MAJLIS SITE_ROOT ARTIFACTS_DIR [LARGE_SITE_SOURCE]");
  process.exit(2);
}
setTimeout(() => {
  console.error("offline checks: timed out after 8 minutes");
  process.exit(1);
}, 8 * 60 * 1000).unref();

// Kept ahead per language at the large scale, at most (issue 23).
const AHEAD_BUDGET = 2 * 1024 * 1024;
const MOUNT = "meeting-4";
const BASE = `https://host.example/${MOUNT}/`;

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  FAIL ${message}`);
};
async function check(name, body) {
  console.log(`- ${name}`);
  try {
    await body();
  } catch (e) {
    fail(`${name}: ${e.stack ?? e}`);
  }
}

const work = await mkdtemp(path.join(os.tmpdir(), "majlis-offline-"));
const build = (root, out, base = BASE) =>
  execFileSync(path.resolve(majlis), ["--root", root, "build", "--output", out, "--base-url", base], {
    stdio: "pipe",
  });
const now = path.join(work, "now");
build(siteRoot, now);
// The same site once a session moved: registration a half hour earlier.
const movedRoot = path.join(work, "moved-source");
for (const part of ["site-config.yaml", "content", "themes"])
  await cp(path.join(siteRoot, part), path.join(movedRoot, part), { recursive: true }).catch((e) => {
    if (part !== "themes") throw e;
  });
{
  const file = path.join(movedRoot, "content/programme.yaml");
  const yaml = await readFile(file, "utf8");
  const from = '      - id: registration\n        start: "09:00"\n        end: "09:30"\n';
  if (!yaml.includes(from)) throw new Error("the example's programme changed: update offline.mjs");
  await writeFile(file, yaml.replace(from, from.replace('"09:00"', '"08:25"').replace('"09:30"', '"08:55"')));
}
const moved = path.join(work, "moved");
build(movedRoot, moved);
const mounts = { [MOUNT]: now };
let large;
if (largeSource) {
  large = path.join(work, "large");
  build(largeSource, large, "https://host.example/large/");
  mounts.large = large;
}

// The server, which can stop answering: the venue's Wi-Fi gone.
const server = await serve(work, mounts);
let down = false;
server.on("connection", (socket) => down && socket.destroy());
const network = async (up) => {
  down = !up;
  if (!up) server.closeAllConnections();
  await context.setOffline(!up);
};
const origin = `http://127.0.0.1:${server.address().port}`;
const site = `${origin}/${MOUNT}/`;

const options = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
};
// A profile on disk: Chromium installs nothing from an incognito one.
const context = await chromium.launchPersistentContext(path.join(work, "profile"), options);
// Fresh profiles, for the large event and `majlis serve`.
const browser = await chromium.launch(options);

// Waits until the page is controlled by the site's worker, which has kept what it keeps.
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}
// What the worker's caches hold for the site, in bytes, by kind.
const kept = (page) =>
  page.evaluate(async () => {
    const sizes = { assets: 0, pages: 0, urls: [] };
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const bytes = (await (await cache.match(request)).arrayBuffer()).byteLength;
        sizes[request.url.includes("/assets/") ? "assets" : "pages"] += bytes;
        sizes.urls.push(request.url);
      }
    }
    return sizes;
  });
// What downloading the files at `urls` of the site in `dir` (served at `prefix`) costs, as a
// host sends them (text gzipped, as serve.mjs and every static host do).
async function downloaded(urls, prefix, dir) {
  let bytes = 0;
  for (const url of urls) {
    let file = path.join(dir, decodeURIComponent(new URL(url).pathname.slice(new URL(prefix).pathname.length)));
    if (url.endsWith("/")) file = path.join(file, "index.html");
    const body = await readFile(file);
    bytes += /\.(woff2?|png)$/.test(file) ? body.length : gzipSync(body).length;
  }
  return bytes;
}
const noticeOf = (page) =>
  page.evaluate(() => {
    const notice = document.querySelector(".offline-notice");
    return notice && { shown: getComputedStyle(notice).display !== "none", text: notice.textContent, height: notice.getBoundingClientRect().height };
  });

const speakerId = (await readdir(path.join(now, "fr/speakers"), { withFileTypes: true })).find((e) =>
  e.isDirectory(),
).name;
const page = context.pages()[0] ?? (await context.newPage());

await check("one visit keeps the language ahead, within budget", async () => {
  const response = await page.goto(`${site}fr/`);
  if (!response.ok()) throw new Error(`fr/: ${response.status()}`);
  await controlled(page);
  const sizes = await kept(page);
  const ahead = await downloaded(sizes.urls, site, now);
  console.log(`  example, kept ahead after visiting fr/: ${sizes.urls.length} files, ${ahead} B to download, ${sizes.pages} B of pages and ${sizes.assets} B of assets stored`);
  for (const must of ["fr/", "fr/programme/", "fr/speakers/", "fr/agenda/", "fr/agenda/sessions.json"])
    if (!sizes.urls.includes(site + must)) fail(`fr/ visited: ${must} is not kept ahead`);
  if (sizes.urls.some((u) => u.startsWith(`${site}en/`))) fail("fr/ visited: English pages are kept ahead too");
  if (ahead > AHEAD_BUDGET) fail(`example: ${ahead} B kept ahead, over ${AHEAD_BUDGET}`);
  const notice = await noticeOf(page);
  if (!notice || notice.shown || notice.height !== 0) fail(`online, the offline notice shows or takes room: ${JSON.stringify(notice)}`);
});

await check("a speaker's page and a calendar file, opened online", async () => {
  const response = await page.goto(`${site}fr/speakers/${speakerId}/`);
  if (!response.ok()) throw new Error(`speaker: ${response.status()}`);
  const status = await page.evaluate(async (url) => (await fetch(url)).status, `${site}fr/calendar.ics`);
  if (status !== 200) throw new Error(`fr/calendar.ics: ${status}`);
});

const before = await page.goto(`${site}fr/programme/`).then(() =>
  page.evaluate(() => document.getElementById("registration")?.textContent ?? ""),
);

await check("offline, the programme, the speaker's page and the agenda open", async () => {
  await network(false);
  for (const [where, test] of [
    ["fr/programme/", () => document.getElementById("registration") !== null],
    [`fr/speakers/${speakerId}/`, () => document.querySelector("main h1") !== null],
    ["fr/agenda/", () => !document.querySelector("#agenda").hidden && document.querySelector(".agenda-unavailable").hidden],
  ]) {
    const response = await page.goto(site + where);
    if (!response?.ok()) {
      fail(`offline: ${where} does not open (${response?.status()})`);
      continue;
    }
    await page.waitForFunction(test, null, { timeout: 10_000 }).catch(() => fail(`offline: ${where} is not whole`));
    const notice = await noticeOf(page);
    if (!notice?.shown || !/Hors ligne/.test(notice.text) || !/\d{4}/.test(notice.text))
      fail(`offline: ${where} does not say it is offline: ${JSON.stringify(notice)}`);
    if (where.endsWith("programme/"))
      await page.screenshot({ path: path.join(artifactsDir, "programme-fr-offline.png") });
  }
  const ics = await page.evaluate(async (url) => {
    const r = await fetch(url);
    return r.ok && (await r.text()).startsWith("BEGIN:VCALENDAR");
  }, `${site}fr/calendar.ics`);
  if (!ics) fail("offline: the calendar file opened before is not kept");
  const other = (await readdir(path.join(now, "fr/speakers"), { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name !== speakerId)[0].name;
  const unvisited = await page.goto(`${site}fr/speakers/${other}/`).then((r) => r?.ok(), () => false);
  if (unvisited) fail("offline: a speaker's page never opened answers as if it were kept");
});

await check("online after a rebuild, a reload shows the moved session", async () => {
  await network(true);
  mounts[MOUNT] = moved;
  await page.goto(`${site}fr/programme/`);
  await page.reload();
  const after = await page.evaluate(() => document.getElementById("registration")?.textContent ?? "");
  if (!/08:25/.test(after) || after === before) fail(`the moved session does not show: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  const notice = await noticeOf(page);
  if (notice?.shown) fail("online again, the page still says it is offline");
  await controlled(page);
});

await check("Chromium finds the site installable", async () => {
  await page.goto(`${site}ar/`);
  await controlled(page);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  if (installabilityErrors.length) fail(`ar/ is not installable: ${JSON.stringify(installabilityErrors)}`);
  const { url, errors, data } = await cdp.send("Page.getAppManifest");
  const manifest = JSON.parse(data ?? "{}");
  if (errors.length || manifest.lang !== "ar" || manifest.dir !== "rtl" || !url.endsWith("/ar/manifest.webmanifest"))
    fail(`ar/'s manifest: ${url} ${JSON.stringify(errors)} ${data}`);
});

if (large)
  await check("the large event: kept ahead per language within budget", async () => {
    const fresh = await browser.newContext();
    const visit = await fresh.newPage();
    const lang = (await readdir(large, { withFileTypes: true })).find((e) => e.isDirectory() && e.name !== "assets").name;
    await visit.goto(`${origin}/large/${lang}/`);
    await controlled(visit);
    const sizes = await kept(visit);
    const ahead = await downloaded(sizes.urls, `${origin}/large/`, large);
    console.log(`  large event, kept ahead after visiting ${lang}/: ${sizes.urls.length} files, ${ahead} B to download, ${sizes.pages} B of pages and ${sizes.assets} B of assets stored`);
    if (ahead > AHEAD_BUDGET) fail(`large event: ${ahead} B kept ahead for ${lang}, over ${AHEAD_BUDGET}`);
    await fresh.close();
  });

await check("majlis serve publishes and registers no worker", async () => {
  const serving = spawn(path.resolve(majlis), ["--root", siteRoot, "serve", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "";
      serving.stdout.on("data", (chunk) => {
        out += chunk;
        const found = out.match(/serving the site at (http\S+)/);
        if (found) resolve(found[1]);
      });
      serving.on("exit", () => reject(new Error(`majlis serve ended: ${out}`)));
      setTimeout(() => reject(new Error(`majlis serve printed no address: ${out}`)), 60_000);
    });
    const fresh = await browser.newContext();
    const visit = await fresh.newPage();
    await visit.goto(`${url}en/programme/`);
    await visit.waitForTimeout(2000);
    const seen = await visit.evaluate(async () => ({
      registrations: (await navigator.serviceWorker.getRegistrations()).length,
      scripts: [...document.scripts].map((s) => s.src).filter((s) => /offline|worker/.test(s)),
      worker: (await fetch("/service-worker.js")).status,
    }));
    if (seen.registrations || seen.scripts.length || seen.worker !== 404)
      fail(`majlis serve: ${JSON.stringify(seen)}`);
    await fresh.close();
  } finally {
    serving.kill();
  }
});

await context.close();
await browser.close();
server.close();
await rm(work, { recursive: true, force: true });
if (failures.length) {
  console.error(`offline checks: ${failures.length} failure(s)`);
  process.exit(1);
}
console.log("offline checks: every check passed");

// The attendee's agenda (issue 19) in Debian's Chromium, driven by playwright-core. It builds
// the example site, the same site republished later (one starred session cancelled, one
// deleted), the multilingual fixture (two sessions at once) and the hostile one, and serves
// them on 127.0.0.1. Then:
//   - stars: none on registration, breaks and meals (nor any add-to-calendar link there); a
//     star made on the French programme and one on an English speaker's page show in the
//     Arabic agenda after a reload, in programme order, in Arabic;
//   - the agenda's own share link, and a typed `?s=` link, open their sessions in a fresh
//     profile, and are kept only when asked;
//   - "add my agenda to my calendar" downloads an .ics that ics_check.py accepts and whose
//     UIDs and instants are the feed's, as ical.js reads them;
//   - after the site is republished, the cancelled session shows as cancelled and the deleted
//     one as gone, offering to drop it; overlapping sessions are marked, others not;
//   - every Google Calendar and Outlook link of the programme and a speaker's page has the
//     feed's UTC instants (ical.js), the event's zone, and the page's language;
//   - without script the agenda page says it needs script and links the programme, and no
//     star shows; the hostile site's text stays text in the agenda;
//   - axe-core finds no WCAG 2.1 A/AA violation on the filled agendas, which do not scroll
//     sideways at 320 px; screenshots of the Arabic and French agendas go to the artefacts.
//
// Usage: node agenda.mjs MAJLIS SITE_ROOT ICS_CHECK ARTIFACTS_DIR

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ICAL from "ical.js";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const [majlis, siteRoot, icsCheck, artifactsDir] = process.argv.slice(2);
if (!artifactsDir) {
  console.error("usage: node agenda.mjs MAJLIS SITE_ROOT ICS_CHECK ARTIFACTS_DIR");
  process.exit(2);
}
setTimeout(() => {
  console.error("agenda checks: timed out after 5 minutes");
  process.exit(1);
}, 5 * 60 * 1000).unref();

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  FAIL ${message}`);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// The sites: `now` is served first, `later` in its place once the programme changed.
const work = await mkdtemp(path.join(os.tmpdir(), "majlis-agenda-"));
const build = (root, out) =>
  execFileSync(path.resolve(majlis), ["--root", root, "build", "--output", out], { stdio: "pipe" });
const fixtures = path.join(path.resolve(siteRoot), "tests/sites");
for (const folder of ["now", "later"]) {
  await mkdir(path.join(work, folder));
  build(path.join(fixtures, "multilingual"), path.join(work, folder, "multilingual"));
  build(path.join(fixtures, "hostile"), path.join(work, folder, "hostile"));
}
build(siteRoot, path.join(work, "now", "example"));
{
  const copy = path.join(work, "example-later");
  for (const part of ["site-config.yaml", "content", "themes"])
    await cp(path.join(siteRoot, part), path.join(copy, part), { recursive: true }).catch(
      (e) => { if (part !== "themes") throw e; },
    );
  const file = path.join(copy, "content/programme.yaml");
  let yaml = await readFile(file, "utf8");
  const cancelled = yaml.replace("      - id: panel-2\n", "      - id: panel-2\n        cancelled: true\n");
  const gala = cancelled.indexOf("      - id: gala-dinner\n");
  const nextDay = cancelled.indexOf("  - date: ", gala);
  if (cancelled === yaml || gala < 0 || nextDay < 0) throw new Error("the example's programme changed: update agenda.mjs");
  yaml = cancelled.slice(0, gala) + cancelled.slice(nextDay);
  await writeFile(file, yaml);
  build(copy, path.join(work, "later", "example"));
}
let served = path.join(work, "now");
const server = await serve(() => served);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});

/** A fresh profile whose every request must go to the local server. */
async function newPage(options = {}) {
  // No service worker (offline.mjs checks it): the route below would not see what it answers.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: "block",
    ...options,
  });
  context.setDefaultTimeout(30_000);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:"))
      return route.continue();
    fail(`request leaves the site: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => fail(`${page.url()}: script error: ${error.message}`));
  return page;
}
async function open(page, url) {
  const response = await page.goto(`${origin}${url}`, { waitUntil: "load" });
  if (!response || !response.ok()) throw new Error(`${url}: HTTP ${response?.status()}`);
  await page.evaluate(() => document.fonts.ready);
}
/** Opens an agenda page and waits until its script has read the sessions' data. */
async function openAgenda(page, url) {
  await open(page, url);
  await page.waitForFunction(() => {
    const agenda = document.getElementById("agenda");
    return agenda && !agenda.hidden && (
      document.querySelector(".agenda-days > *, .agenda-gone:not([hidden])") ||
      !document.querySelector(".agenda-empty").hidden ||
      !document.querySelector(".agenda-unavailable").hidden);
  });
}
const shown = (page) =>
  page.$$eval(".agenda-days article.session", (items) => items.map((a) => a.id));
async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    WCAG,
  );
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
    fail(`${label}: axe ${v.id} (${v.impact}): ${v.help} — ${where}`);
  }
}

/** A feed, read by ical.js: each session (by the id of its URL) with its UID and instants. */
async function feed(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  const sessions = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const id = new URL(vevent.getFirstPropertyValue("url")).hash.slice(1);
    const start = vevent.getFirstPropertyValue("dtstart").toJSDate().getTime();
    const end = vevent.getFirstPropertyValue("dtend")?.toJSDate().getTime() ?? start;
    sessions[id] = { uid: vevent.getFirstPropertyValue("uid"), start, end };
  }
  return sessions;
}
const fetchText = async (url) => (await fetch(`${origin}${url}`)).text();

let passed = 0;
let failed = 0;
async function check(label, run) {
  const before = failures.length;
  try {
    await run();
  } catch (error) {
    fail(`${label}: ${error.message.split("\n")[0]}`);
  }
  if (failures.length === before) passed += 1;
  else failed += 1;
  console.log(`${failures.length === before ? "ok  " : "FAIL"} ${label}`);
}

const KEY = "majlis.agenda:/example/";
const attendee = await newPage();
let shareLink = null;

await check("no star and no add-to-calendar on registration, breaks and meals", async () => {
  await open(attendee, "/example/fr/programme/");
  const kinds = await attendee.$$eval("article.session", (sessions) =>
    sessions.map((s) => ({
      id: s.id,
      everyone: /\bkind-(break|meal|registration)\b/.test(s.className),
      star: s.querySelectorAll("button.star[aria-pressed]").length,
      visible: [...s.querySelectorAll("button.star")].every((b) => !b.hidden && b.offsetParent),
      links: s.querySelectorAll(".add-to-calendar a").length,
    })),
  );
  for (const s of kinds) {
    if (s.everyone && (s.star || s.links)) fail(`#${s.id}: a star or calendar links on a session for everyone`);
    if (!s.everyone && (s.star !== 1 || !s.visible || s.links !== 3))
      fail(`#${s.id}: ${s.star} stars (visible: ${s.visible}), ${s.links} calendar links, not 1 and 3`);
  }
  if (!kinds.some((s) => s.everyone)) fail("the example has no break left to check");
});

await check("a star made in French and on an English speaker's page shows in the Arabic agenda after a reload", async () => {
  await open(attendee, "/example/fr/programme/");
  for (const id of ["gala-dinner", "opening", "panel-2"]) await attendee.click(`#${id} button.star`);
  const pressed = await attendee.$$eval('button.star[aria-pressed="true"]', (b) => b.map((x) => x.dataset.session));
  if (!same(pressed.sort(), ["gala-dinner", "opening", "panel-2"])) fail(`pressed on the French programme: ${pressed}`);
  await open(attendee, "/example/en/speakers/varol-dur/");
  const opening = await attendee.getAttribute("#opening button.star", "aria-pressed");
  if (opening !== "true") fail("the star of #opening made in French is not pressed on an English speaker's page");
  await attendee.click("#panel-1 button.star");
  await openAgenda(attendee, "/example/ar/agenda/");
  await attendee.reload({ waitUntil: "load" });
  await openAgenda(attendee, "/example/ar/agenda/");
  const ids = await shown(attendee);
  if (!same(ids, ["opening", "panel-1", "panel-2", "gala-dinner"])) fail(`the Arabic agenda shows ${ids}`);
  const page = await attendee.evaluate(() => ({
    dir: document.documentElement.dir,
    title: document.querySelector("#opening .session-title").textContent,
  }));
  const programme = await fetchText("/example/ar/programme/");
  if (page.dir !== "rtl" || !programme.includes(page.title))
    fail(`the Arabic agenda is ${page.dir}, #opening is titled ${page.title}`);
  const stars = await attendee.$$eval(".agenda-days button.star", (b) => b.map((x) => x.getAttribute("aria-pressed")));
  if (stars.length !== 4 || stars.some((p) => p !== "true")) fail(`the agenda's stars: ${stars}`);
  shareLink = await attendee.$eval(".agenda-share", (a) => a.href);
});

await check("the agenda in Arabic and French: axe, no sideways scroll, screenshots", async () => {
  for (const lang of ["ar", "fr"]) {
    await openAgenda(attendee, `/example/${lang}/agenda/`);
    await axe(attendee, `/example/${lang}/agenda/ with four sessions`);
    for (const width of [390, 1280]) {
      await attendee.setViewportSize({ width, height: 900 });
      await attendee.screenshot({ path: path.join(artifactsDir, `agenda-${lang}-${width}.png`), fullPage: true });
    }
    await attendee.setViewportSize({ width: 320, height: 800 });
    const overflow = await attendee.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) fail(`/example/${lang}/agenda/ scrolls sideways by ${overflow}px at 320px`);
    await attendee.setViewportSize({ width: 1280, height: 900 });
  }
});

await check("the exported .ics passes ics_check.py and carries the feed's UIDs and instants", async () => {
  await openAgenda(attendee, "/example/fr/agenda/");
  const [download] = await Promise.all([
    attendee.waitForEvent("download"),
    attendee.click(".agenda-download"),
  ]);
  const file = path.join(artifactsDir, "agenda-fr.ics");
  await download.saveAs(file);
  execFileSync("python3", [icsCheck, "--quiet", "--werror", file], { stdio: "inherit" });
  const exported = await feed(await readFile(file, "utf8"));
  const subscribed = await feed(await fetchText("/example/fr/calendar.ics"));
  const ids = Object.keys(exported).sort();
  if (!same(ids, ["gala-dinner", "opening", "panel-1", "panel-2"])) fail(`the .ics holds ${ids}`);
  for (const id of ids)
    if (!same(exported[id], subscribed[id]))
      fail(`${id}: exported ${JSON.stringify(exported[id])}, the feed has ${JSON.stringify(subscribed[id])}`);
});

await check("a shared link opens its sessions in a fresh profile, kept only when asked", async () => {
  for (const [url, expected] of [
    [shareLink, ["opening", "panel-1", "panel-2", "gala-dinner"]],
    [`${origin}/example/en/agenda/?s=closing,overview,no-such-session,<b>`, ["overview", "closing"]],
  ]) {
    const fresh = await newPage();
    await openAgenda(fresh, new URL(url).pathname + new URL(url).search);
    const ids = await shown(fresh);
    if (!same(ids, expected)) fail(`${url} shows ${ids}, not ${expected}`);
    const offered = (await fresh.isVisible(".agenda-keep")) && !(await fresh.isVisible(".agenda-download"));
    const stored = await fresh.evaluate((key) => localStorage.getItem(key), KEY);
    if (!offered || stored !== null) fail(`${url}: keep offered ${offered}, kept before asked: ${stored}`);
    await fresh.click(".agenda-keep");
    const kept = await fresh.evaluate((key) => Object.keys(JSON.parse(localStorage.getItem(key))), KEY);
    const search = await fresh.evaluate(() => location.search);
    if (!same(kept.sort(), [...expected].sort()) || search !== "") fail(`${url}: kept ${kept}, at ?${search}`);
    await fresh.context().close();
  }
});

await check("republished: a starred session cancelled shows as cancelled, one deleted as gone", async () => {
  const title = await attendee.evaluate((key) => JSON.parse(localStorage.getItem(key))["gala-dinner"], KEY);
  if (!title || !(await fetchText("/example/fr/programme/")).includes(title))
    fail(`#gala-dinner was kept with the title ${title}, not the French programme's`);
  served = path.join(work, "later");
  await openAgenda(attendee, "/example/fr/agenda/");
  const ids = await shown(attendee);
  if (!same(ids, ["opening", "panel-1", "panel-2"])) fail(`after the change the agenda shows ${ids}`);
  const cancelled = await attendee.$eval("#panel-2", (s) => ({
    marked: s.classList.contains("cancelled") && !!s.querySelector(".cancelled-label"),
    oneTap: s.querySelectorAll('.add-to-calendar a[href^="https:"]').length,
  }));
  if (!cancelled.marked || cancelled.oneTap) fail(`#panel-2 cancelled: ${JSON.stringify(cancelled)}`);
  const gone = await attendee.$$eval(".agenda-gone li", (items) => items.map((li) => li.textContent));
  if (gone.length !== 1 || !(await attendee.isVisible(".agenda-gone .agenda-drop")))
    fail(`gone: ${JSON.stringify(gone)}`);
  else if (!gone[0].includes(title)) fail(`the gone session is shown as ${gone[0]}`);
  await attendee.screenshot({ path: path.join(artifactsDir, "agenda-fr-changed.png"), fullPage: true });
  await axe(attendee, "/example/fr/agenda/ with a cancelled and a gone session");
  await attendee.click(".agenda-gone .agenda-drop");
  const left = await attendee.evaluate((key) => Object.keys(JSON.parse(localStorage.getItem(key))), KEY);
  if (left.includes("gala-dinner") || !(await attendee.isHidden(".agenda-gone")))
    fail(`after dropping the gone session: ${left}`);
  served = path.join(work, "now");
});

await check("overlapping sessions are marked, and only they", async () => {
  const page = await newPage();
  await open(page, "/multilingual/en/programme/");
  for (const id of ["panel-climate", "panel-mobility", "keynote"]) await page.click(`#${id} button.star`);
  await openAgenda(page, "/multilingual/en/agenda/");
  const marked = await page.$$eval(".agenda-days article.overlaps", (s) => s.map((a) => a.id));
  const badges = await page.$$eval(".agenda-days .badge-overlap", (b) => b.length);
  if (!same(marked, ["panel-climate", "panel-mobility"]) || badges !== 2)
    fail(`overlaps marked: ${marked}, ${badges} badges`);
  await page.context().close();
});

await check("Google Calendar and Outlook links have the feeds' UTC instants, zone and language", async () => {
  for (const [lang, url] of [["fr", "/example/fr/programme/"], ["ar", "/example/ar/speakers/varol-dur/"], ["en", "/multilingual/en/programme/"]]) {
    const site = url.split("/")[1];
    const subscribed = await feed(await fetchText(`/${site}/${lang}/calendar.ics`));
    await open(attendee, url);
    const links = await attendee.$$eval("[id] > .add-to-calendar, [id] > * > .add-to-calendar", (ps) =>
      ps.map((p) => ({
        id: p.closest("[id]").id,
        title: p.closest("[id]").querySelector(".session-title, .what a").textContent.trim(),
        cancelled: p.closest("[id]").classList.contains("cancelled"),
        heads: [...p.closest("[id]").querySelectorAll(".people h4")].map((h) => h.textContent),
        hrefs: [...p.querySelectorAll("a")].map((a) => a.href),
      })),
    );
    if (links.length === 0) fail(`${url}: no calendar links`);
    for (const session of links) {
      const google = session.hrefs.find((h) => h.startsWith("https://calendar.google.com/calendar/render?"));
      const outlook = session.hrefs.find((h) => h.startsWith("https://outlook.office.com/calendar/0/deeplink/compose?"));
      if (session.cancelled) {
        if (google || outlook) fail(`${url}#${session.id}: one-tap links on a cancelled session`);
        continue;
      }
      if (!google || !outlook) { fail(`${url}#${session.id}: no Google or Outlook link`); continue; }
      const expected = subscribed[session.id];
      const g = new URL(google).searchParams;
      const o = new URL(outlook).searchParams;
      const utc = (s) => Date.parse(s.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
      const [gStart, gEnd] = g.get("dates").split("/").map(utc);
      const got = { google: [gStart, gEnd], outlook: [Date.parse(o.get("startdt")), Date.parse(o.get("enddt"))] };
      for (const [service, [start, end]] of Object.entries(got))
        if (start !== expected.start || end !== expected.end)
          fail(`${url}#${session.id}: ${service} ${new Date(start).toISOString()}–${new Date(end).toISOString()}, the feed ${new Date(expected.start).toISOString()}–${new Date(expected.end).toISOString()}`);
      if (!/Z$/.test(o.get("startdt")) || g.get("action") !== "TEMPLATE" || !g.get("ctz"))
        fail(`${url}#${session.id}: ${google} / ${outlook}`);
      if (g.get("text") !== session.title || o.get("subject") !== session.title)
        fail(`${url}#${session.id}: titled ${g.get("text")} / ${o.get("subject")} on a page that says ${session.title}`);
      // The details in the page's language: its words for the people, its session's address.
      const details = g.get("details");
      if (details !== o.get("body") || !details.endsWith(`/${lang}/programme/#${session.id}`) ||
          session.heads.some((h) => !details.includes(`${h}:`)))
        fail(`${url}#${session.id}: details ${JSON.stringify(details)}`);
    }
  }
});

await check("without script: no star, and the agenda page leads to the programme", async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await open(page, "/example/fr/programme/");
  if ((await page.locator("button.star:visible").count()) > 0) fail("a star shows without script");
  await open(page, "/example/fr/agenda/");
  const note = await page.isVisible(".agenda-needs-script");
  const link = await page.$eval(".agenda-needs-script a", (a) => new URL(a.href).pathname);
  if (!note || link !== "/example/fr/programme/" || (await page.isVisible("#agenda")))
    fail(`the agenda page without script: note ${note}, link ${link}`);
  await page.context().close();
});

await check("the hostile site's text stays text in the agenda", async () => {
  const page = await newPage();
  const data = JSON.parse(await fetchText("/hostile/en/agenda/sessions.json"));
  await open(page, "/hostile/en/agenda/");
  await page.evaluate(([key, ids]) => localStorage.setItem(key, JSON.stringify(Object.fromEntries(ids.map((id) => [id, "<img src=x onerror=alert(1)>"])))),
    ["majlis.agenda:/hostile/", [...data.sessions.map((s) => s.id), "gone-one"]]);
  await page.on("dialog", (d) => { fail(`a dialog opened: ${d.message()}`); d.dismiss(); });
  await openAgenda(page, "/hostile/en/agenda/");
  const titles = await page.$$eval(".agenda-days .session-title", (t) => t.map((x) => x.textContent));
  if (!same(titles, data.sessions.map((s) => s.title.text))) fail(`titles ${JSON.stringify(titles)}`);
  const injected = await page.$$eval("#agenda img, #agenda script, #agenda [onerror], #agenda iframe", (e) => e.length);
  if (injected) fail(`${injected} elements made of the site's text`);
  await page.context().close();
});

await browser.close();
server.close();
await rm(work, { recursive: true, force: true });
console.log(`agenda: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

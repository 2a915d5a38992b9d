// The published sites in a real browser (issue 5): Debian's Chromium, driven by playwright-core,
// over a small HTTP server on 127.0.0.1. For every language of every site given:
//   - axe-core finds no violation of WCAG 2.1 A and AA on the home, programme, speakers,
//     a speaker's and a content page;
//   - no page scrolls sideways at 320 and 390 px;
//   - the home page shows its essentials without scrolling on a phone;
//   - no request leaves the site.
// Then: now-next.js marks the right sessions at a given instant and changes nothing outside
// the event; Arabic text is set in the theme's Noto Naskh Arabic; the programme prints one day
// per A4 page. Screenshots of the ar and fr programmes (390 and 1280 px) and the print PDFs go
// to the artefacts folder.
//
// Usage: node check.mjs SITES_DIR ARTIFACTS_DIR
// SITES_DIR holds one built site per folder (example, multilingual, ...).

import { createRequire } from "node:module";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// An iPhone 12 to 15 in portrait, with Safari's bars shown: what is visible without scrolling.
const PHONE = { width: 390, height: 664 };
const NARROW = [320, 390];
const DESKTOP = { width: 1280, height: 900 };

const [sitesDir, artifactsDir] = process.argv.slice(2);
if (!sitesDir || !artifactsDir) {
  console.error("usage: node check.mjs SITES_DIR ARTIFACTS_DIR");
  process.exit(2);
}

// Nothing here should take long: a hung browser fails the run instead of holding CI.
setTimeout(() => {
  console.error("browser checks: timed out after 10 minutes");
  process.exit(1);
}, 10 * 60 * 1000).unref();

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  FAIL ${message}`);
};

const sitesRoot = path.resolve(sitesDir);
const server = await serve(() => sitesRoot);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});

/** A page whose every request must go to the local server. */
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  context.setDefaultTimeout(30_000);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
    fail(`request leaves the site: ${url} (from ${route.request().frame().url()})`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => fail(`${page.url()}: script error: ${error.message}`));
  return page;
}

async function open(page, url) {
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || !response.ok()) throw new Error(`${url}: HTTP ${response?.status()}`);
  await page.evaluate(() => document.fonts.ready);
}

/** Runs axe-core on the open page; reports every violation with its elements. */
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

async function noSidewaysScroll(page, label) {
  for (const width of NARROW) {
    await page.setViewportSize({ width, height: 800 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) fail(`${label}: scrolls sideways by ${overflow}px at ${width}px`);
  }
  await page.setViewportSize(DESKTOP);
}

/** The home page's essentials, each wholly inside the first phone screen. */
async function essentialsAboveTheFold(page, label) {
  await page.setViewportSize(PHONE);
  await page.evaluate(() => window.scrollTo(0, 0));
  const essentials = {
    "event name": ".hero h1",
    dates: ".hero-facts .dates",
    venue: ".hero-facts .venue",
    organisers: ".hero-facts .organisers-names",
    "interpretation languages": ".hero-facts .inline-list",
    "way to the programme": '.hero .actions a[href$="/programme/"]',
    "way to the speakers": '.hero .actions a[href$="/speakers/"]',
    "calendar subscription": '.hero a[href^="webcal:"]',
  };
  for (const [what, selector] of Object.entries(essentials)) {
    const optional = ["venue", "organisers", "interpretation languages"].includes(what);
    // An event may have no venue, organisers or interpretation.
    if (optional && (await page.locator(selector).count()) === 0) continue;
    const box = await page.locator(selector).first().boundingBox();
    if (!box) fail(`${label}: no ${what} (${selector})`);
    else if (box.y + box.height > PHONE.height)
      fail(`${label}: ${what} is below the first ${PHONE.height}px on a ${PHONE.width}px phone`);
  }
  await page.setViewportSize(DESKTOP);
}

/** The pages to check in one language: from the navigation, so that any site works. */
async function pagesOf(page, site, lang) {
  const home = `${origin}/${site}/${lang}/`;
  await open(page, home);
  const nav = await page.$$eval("nav.site-nav a", (links) => links.map((a) => a.href));
  const known = [home, `${home}programme/`, `${home}speakers/`, `${home}agenda/`];
  const content = nav.find((href) => !known.includes(href));
  await open(page, `${home}speakers/`);
  const speaker = await page.$eval(".speaker-card a", (a) => a.href).catch(() => null);
  return [...known, speaker, content].filter(Boolean);
}

const sites = [];
for (const name of (await readdir(sitesDir)).sort()) {
  const dir = path.join(sitesDir, name);
  if ((await stat(dir)).isDirectory() && (await stat(path.join(dir, "index.html")).catch(() => null)))
    sites.push(name);
}
if (sites.length === 0) {
  console.error(`no built site in ${sitesDir}`);
  process.exit(2);
}
await mkdir(artifactsDir, { recursive: true });

const page = await newPage();
let passed = 0;
let failed = 0;
/** One check: passes when it reports no failure and throws nothing. */
async function check(label, run) {
  const before = failures.length;
  try {
    await run();
  } catch (error) {
    fail(`${label}: ${error.message.split("\n")[0]}`);
  }
  if (failures.length === before) passed += 1;
  else failed += 1;
}

for (const site of sites) {
  let languages = [];
  let urls = [];
  await check(`/${site}/`, async () => {
    // The languages, from the links of the site's root chooser, default first.
    await open(page, `${origin}/${site}/`);
    languages = await page.$$eval("a[hreflang]", (links) => links.map((a) => a.hreflang));
    for (const lang of languages) urls.push(...(await pagesOf(page, site, lang)));
    urls.push(`${origin}/${site}/`, `${origin}/${site}/404.html`);
  });
  for (const url of urls) {
    const label = url.slice(origin.length);
    await check(label, async () => {
      await open(page, url);
      await axe(page, label);
      if (label.endsWith("404.html")) return;
      await noSidewaysScroll(page, label);
      if (languages.some((lang) => label === `/${site}/${lang}/`))
        await essentialsAboveTheFold(page, label);
    });
  }
  console.log(`${site}: ${urls.length} pages in ${languages.join(", ")}`);
}

if (sites.includes("example")) {
  for (const lang of ["ar", "fr"]) {
    const url = `${origin}/example/${lang}/programme/`;
    await check(`screenshots of /example/${lang}/`, async () => {
      for (const width of [390, 1280]) {
        const shot = await newPage({ viewport: { width, height: 900 } });
        await open(shot, url);
        const file = path.join(artifactsDir, `programme-${lang}-${width}.png`);
        await shot.screenshot({ path: file, fullPage: true });
        await shot.context().close();
      }
      const home = await newPage({ viewport: PHONE });
      await open(home, `${origin}/example/${lang}/`);
      await home.screenshot({ path: path.join(artifactsDir, `home-${lang}-390.png`) });
      await home.context().close();
    });

    // A4, one day per page, and nothing of the screen's navigation or buttons.
    await check(`/example/${lang}/programme/ printed`, async () => {
      await open(page, url);
      const days = await page.locator("section.day").count();
      await page.emulateMedia({ media: "print" });
      const printed = await page.evaluate(() =>
        [".site-header", ".site-nav", ".actions", ".calendar-links", ".add-to-calendar"].filter(
          (s) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0),
        ),
      );
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await page.emulateMedia({ media: "screen" });
      await writeFile(path.join(artifactsDir, `programme-${lang}.pdf`), pdf);
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page\b/g) ?? []).length;
      if (pages !== days) fail(`/example/${lang}/programme/ prints on ${pages} pages for ${days} days`);
      if (printed.length) fail(`/example/${lang}/programme/ prints ${printed.join(", ")}`);
      const size = pdf.toString("latin1").match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/);
      // A4 is 595 × 842 points.
      if (!size || Math.abs(size[1] - 595) > 2 || Math.abs(size[2] - 842) > 2)
        fail(`/example/${lang}/programme/ prints on ${size ? size.slice(1).join(" × ") : "unknown"} pt, not A4`);
    });
  }

  await check("Arabic font", async () => {
    await open(page, `${origin}/example/ar/programme/`);
    const weights = await page.evaluate(() =>
      [...document.fonts]
        .filter((f) => f.family.replace(/"/g, "") === "Noto Naskh Arabic" && f.status === "loaded")
        .map((f) => f.weight),
    );
    if (!weights.includes("400")) fail("/example/ar/programme/: the theme's Noto Naskh Arabic is not in use");
  });

  // now-next.js at 09:45 on the first day in Casablanca (UTC+1), seen from a phone set to
  // Tokyo's time: the opening is on, the coffee break is next.
  await check("now-next.js during the event", async () => {
    const during = await newPage({ timezoneId: "Asia/Tokyo" });
    await during.clock.setFixedTime(new Date("2024-02-29T09:45:00+01:00"));
    await open(during, `${origin}/example/en/programme/`);
    const marks = await during.evaluate(() => ({
      now: [...document.querySelectorAll(".session.is-now")].map((s) => s.id),
      next: [...document.querySelectorAll(".session.is-next")].map((s) => s.id),
      banner: !document.querySelector(".now-next").hidden,
    }));
    const expected = { now: ["opening"], next: ["coffee-break-1"], banner: true };
    if (JSON.stringify(marks) !== JSON.stringify(expected))
      fail(`now-next.js at 09:45 on day 1 marks ${JSON.stringify(marks)}`);
    await axe(during, "/example/en/programme/ with now and next marked");
    await during.screenshot({ path: path.join(artifactsDir, "programme-en-now-next.png") });
    await during.context().close();
  });

  // Outside the event the script leaves the page exactly as it is without JavaScript.
  await check("now-next.js outside the event", async () => {
    const dom = async (options) => {
      const p = await newPage(options);
      if (options.javaScriptEnabled !== false)
        await p.clock.setFixedTime(new Date("2030-01-01T12:00:00Z"));
      await open(p, `${origin}/example/fr/programme/`);
      // The stars (agenda.js) show whenever script runs: not now-next.js's doing.
      const html = await p.evaluate(() => {
        document.querySelectorAll("button.star").forEach((star) => star.remove());
        return document.documentElement.outerHTML;
      });
      await p.context().close();
      return html;
    };
    if ((await dom({})) !== (await dom({ javaScriptEnabled: false })))
      fail("now-next.js changes the programme outside the event");
  });
}

await browser.close();
server.close();
console.log(`screenshots and printed programmes in ${artifactsDir}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

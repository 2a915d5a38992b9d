// Search (issue 22) in Debian's Chromium, driven by playwright-core, over the local server
// (serve.mjs, which gzips text as static hosts do):
//   - the script's folding (search.js, majlisFold) gives every case of tests/search/fold.json,
//     the table src/render/fold.rs is checked against in `cargo test`;
//   - each matching rule, through `LANG/search/?q=`, in the example's Arabic, French and
//     English, the Turkish fixture and the multilingual one: the reader's spelling finds what
//     the content's spelling finds, and the result expected;
//   - the header's field is a plain form: typed into on the home page, it opens the search
//     page with its results; without script the search page says search needs it and links
//     the programme and the speakers;
//   - no request leaves the site;
//   - with LARGE_SITE_DIR (the benchmark's 2,000-session event): the first search of each
//     language downloads at most 150 kB, gzipped as served, measured by Chromium.
//
// Usage: node search.mjs SITES_DIR [LARGE_SITE_DIR] [--docs FILE]
// SITES_DIR holds the built sites (example, turkish, multilingual); with --docs, the figures
// of the large site are written into FILE between its `<!-- figures -->` markers.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const FIRST_SEARCH_BUDGET = 150_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, "..", "..");

const args = process.argv.slice(2);
const docsAt = args.indexOf("--docs");
const docs = docsAt >= 0 ? args[docsAt + 1] : null;
const [sitesDir, largeSiteDir] = args.filter((_, i) => docsAt < 0 || (i !== docsAt && i !== docsAt + 1));
if (!sitesDir || (docsAt >= 0 && !docs)) {
  console.error("usage: node search.mjs SITES_DIR [LARGE_SITE_DIR] [--docs FILE]");
  process.exit(2);
}
setTimeout(() => {
  console.error("search checks: timed out after 10 minutes");
  process.exit(1);
}, 10 * 60 * 1000).unref();

let passed = 0;
let failed = 0;
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  FAIL ${message}`);
};
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

const server = await serve(path.resolve(sitesDir), largeSiteDir ? { large: path.resolve(largeSiteDir) } : {});
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(30_000);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
    fail(`request leaves the site: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => fail(`${page.url()}: script error: ${error.message}`));
  return page;
}

const page = await newPage();

/** The results of `query` on a site's search page in `lang`: each link's path and hash. */
async function results(site, lang, query) {
  const url = `${origin}/${site}/${lang}/search/?q=${encodeURIComponent(query)}`;
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response.ok()) throw new Error(`${url}: HTTP ${response.status()}`);
  await page.waitForFunction(() => document.querySelector(".search-status").textContent !== "");
  return page.$$eval(".search-results a", (links) => links.map((a) => new URL(a.href).pathname + new URL(a.href).hash));
}

// The folding table, in the browser that readers use.
await check("fold table", async () => {
  const table = JSON.parse(await readFile(path.join(repo, "tests/search/fold.json"), "utf8"));
  await page.goto(`${origin}/example/en/search/`, { waitUntil: "load" });
  const folded = await page.evaluate(
    (cases) => cases.map((c) => majlisFold(c.text).join(" ")), // eslint-disable-line no-undef
    table.cases,
  );
  table.cases.forEach((c, i) => {
    if (folded[i] !== c.folded) fail(`fold (${c.rule}): ${c.text} gave "${folded[i]}", not "${c.folded}"`);
  });
  console.log(`fold table: ${table.cases.length} cases`);
});

// [site, language, rule, what a reader types, what the content has (or null), a path the
// results must have (or null), whether the reader's results may be more]. The content's own
// spelling must find something, and the reader's the same results (or those and more).
const RULES = [
  ["example", "en", "case", "varol DUR", "Varol Dur", "/example/en/speakers/varol-dur/"],
  ["example", "en", "Turkish dotted capital I", "iskur", "İŞKUR", "/example/en/speakers/varol-dur/"],
  ["example", "ar", "a person in another language's spelling (Latin from Arabic)", "Dur", null, "/example/ar/speakers/varol-dur/"],
  ["example", "en", "a person in another language's spelling (Arabic from English)", "دور", null, "/example/en/speakers/varol-dur/"],
  ["example", "fr", "Latin accents", "economique", "économique", null],
  ["example", "fr", "Latin accents, capitals", "ECONOMIQUE", "économique", null],
  ["example", "ar", "Arabic tashkeel", "الشَّبَكَة", "الشبكة", null],
  ["example", "ar", "Arabic tatweel", "الشبـــكة", "الشبكة", null],
  ["example", "ar", "Arabic alef forms", "اعضاء", "أعضاء", null],
  ["example", "ar", "Arabic taa marbuta as haa", "الشبكه", "الشبكة", null],
  ["example", "ar", "Arabic alef maqsura as yaa", "علي", "على", null],
  ["example", "ar", "Arabic word without its article", "شبكة", "الشبكة", null, true],
  ["turkish", "tr", "Turkish dotted capital I", "iskur", "İŞKUR", "/turkish/tr/speakers/ilknur-isik/"],
  ["turkish", "tr", "Turkish dotless i", "katilimci", "katılımcı", "/turkish/tr/programme/#kayit"],
  ["turkish", "tr", "Turkish dotless capital I", "ISIK", "Işık", "/turkish/tr/speakers/ilknur-isik/"],
  ["turkish", "tr", "Turkish letters in a page", "calisma guvenlik", "Çalışma Güvenlik", "/turkish/tr/about/"],
  ["turkish", "en", "a Turkish name from the English search", "ilknur isik", "İlknur Işık", "/turkish/en/speakers/ilknur-isik/"],
  ["multilingual", "fr", "Latin accents", "ceremonie ouverture", "Cérémonie d'ouverture", "/multilingual/fr/programme/#opening"],
  ["multilingual", "en", "Turkish dotless i in a name, from the English search", "aydin", "Aydın", "/multilingual/en/speakers/selin-aydin/"],
  ["multilingual", "tr", "Turkish title", "acilis", "Açılış", "/multilingual/tr/programme/#opening"],
  ["multilingual", "en", "the start of a word", "regist", "registration", "/multilingual/en/programme/#registration"],
];

for (const [site, lang, rule, typed, written, expected, more] of RULES) {
  await check(`${site} ${lang}: ${rule}`, async () => {
    const found = await results(site, lang, typed);
    if (expected && !found.includes(expected))
      fail(`${site} ${lang} (${rule}): "${typed}" did not find ${expected}: ${found.join(" ") || "nothing"}`);
    if (written) {
      const own = await results(site, lang, written);
      if (own.length === 0) fail(`${site} ${lang} (${rule}): "${written}" finds nothing: not a case of the rule`);
      if (more ? !own.every((link) => found.includes(link)) : own.join(" ") !== found.join(" "))
        fail(`${site} ${lang} (${rule}): "${typed}" found ${found.length} results, "${written}" ${own.length}`);
    }
  });
}

await check("nothing found", async () => {
  const found = await results("example", "en", "zzzzqqq");
  const status = await page.textContent(".search-status");
  if (found.length || !status.trim()) fail(`a search for nothing shows ${found.length} results and "${status}"`);
});

// The header's field on another page: a plain GET form to the search page.
await check("header field", async () => {
  await page.goto(`${origin}/turkish/tr/`, { waitUntil: "load" });
  await page.fill("#site-search-words", "katılımcı");
  await Promise.all([page.waitForURL(/\/turkish\/tr\/search\/\?q=/), page.press("#site-search-words", "Enter")]);
  await page.waitForFunction(() => document.querySelector(".search-status").textContent !== "");
  const found = await page.$$eval(".search-results a", (links) => links.map((a) => new URL(a.href).hash));
  if (!found.includes("#kayit")) fail(`the header's field opened ${page.url()} with ${found.join(" ") || "nothing"}`);
  // What the results link to is there: the session's element on the programme.
  await page.click(".search-results a[href$='#kayit']");
  await page.waitForURL(/programme\/#kayit$/);
  if (!(await page.$("#kayit"))) fail("the programme has no element with the session's id");
});

await check("without script", async () => {
  const still = await newPage({ javaScriptEnabled: false });
  await still.goto(`${origin}/example/fr/search/?q=dur`, { waitUntil: "load" });
  const note = still.locator(".search-needs-script");
  if (!(await note.isVisible())) fail("without script, the search page does not say it needs script");
  const links = await note.locator("a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  for (const want of ["/example/fr/programme/", "/example/fr/speakers/"])
    if (!links.includes(want)) fail(`without script, the search page does not link ${want}: ${links.join(" ")}`);
  await still.context().close();
});

// The first search in each language of the large event: what Chromium receives, gzipped as
// served, for the script, the index and the shard of each word.
const figures = [];
if (largeSiteDir) {
  await check("download budget", async () => {
    const languages = ["en", "fr", "ar"];
    for (const lang of languages) {
      const measured = await newPage();
      const sizes = new Map();
      measured.on("requestfinished", async (request) => {
        const url = new URL(request.url());
        if (!/\/search\/|search\.js$/.test(url.pathname)) return;
        sizes.set(url.pathname.split("/").pop() || "the page", (await request.sizes()).responseBodySize);
      });
      // Two words of every language's index: a speaker's name and a room's number.
      await measured.goto(`${origin}/large/${lang}/search/?q=${encodeURIComponent("person 12")}`, { waitUntil: "load" });
      await measured.waitForFunction(() => document.querySelector(".search-status").textContent !== "");
      const count = await measured.$$eval(".search-results li", (items) => items.length);
      await measured.waitForLoadState("networkidle");
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      const parts = [...sizes].map(([name, bytes]) => `${name} ${bytes} B`).join(", ");
      console.log(`large ${lang}: first search "person 12" (${count} results) downloads ${total} B gzipped: ${parts}`);
      figures.push({ lang, total, parts, count });
      if (count === 0) fail(`large ${lang}: "person 12" finds nothing`);
      if (total > FIRST_SEARCH_BUDGET) fail(`large ${lang}: the first search downloads ${total} B, over ${FIRST_SEARCH_BUDGET} B`);
      await measured.context().close();
    }
  });
}

if (docs && figures.length) {
  const text = await readFile(docs, "utf8");
  const rows = figures.map((f) => `| ${f.lang} | ${f.total.toLocaleString("en")} B | ${f.parts} |`);
  const table = ["| language | first search | files (gzipped as served) |", "| --- | --- | --- |", ...rows].join("\n");
  const [before, , after] = text.split(/<!-- figures -->\n?/);
  if (after === undefined) fail(`${docs}: no <!-- figures --> markers`);
  else await writeFile(docs, `${before}<!-- figures -->\n${table}\n<!-- figures -->\n${after}`);
}

await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);

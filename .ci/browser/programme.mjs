// The programme on a phone (issue 20) in Debian's Chromium, driven by playwright-core, on the
// built sites of SITES_DIR (the folder check.mjs reads): the multilingual fixture, whose event
// is in Europe/Paris across the night summer time starts (29–30 March 2025) and has two
// panels at once in two rooms, and the example. Then:
//   - "My time zone", seen from Tokyo (no daylight-saving time: the difference to the event
//     changes between its days) and from New York (on summer time three weeks before Paris):
//     every time of the programme is the visitor's, in the page's language, the lines that
//     say the zone name the visitor's and its offset; the choice holds after a reload, on a
//     speaker's page and in the agenda, and switching back gives the event's times again;
//   - rooms side by side: the day with two rooms at once as a grid, no two sessions over each
//     other, a column per room in the text's direction (mirrored in Arabic), the page never
//     scrolling sideways at 320 px (the grid does, in its frame), kept after a reload, and on
//     A4 in print within the page's width;
//   - the day bar on screen after scrolling to the last day, on a phone, and while the event
//     is on its "now" leading to the running session, shown below it;
//   - a session's links as its time goes (issue 26): the stream marked while it runs, the
//     recording first once it has ended;
//   - screenshots of the Arabic and French programmes, list and grid, at 390 and 1280 px, in
//     the artefacts folder.
//
// Usage: node programme.mjs SITES_DIR ARTIFACTS_DIR

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const [sitesDir, artifactsDir] = process.argv.slice(2);
if (!artifactsDir) {
  console.error("usage: node programme.mjs SITES_DIR ARTIFACTS_DIR");
  process.exit(2);
}
setTimeout(() => {
  console.error("programme checks: timed out after 5 minutes");
  process.exit(1);
}, 5 * 60 * 1000).unref();

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  FAIL ${message}`);
};
await mkdir(artifactsDir, { recursive: true });
const server = await serve(path.resolve(sitesDir));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});
const PHONE = { width: 390, height: 664 };

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => fail(`${page.url()}: script error: ${error.message}`));
  return page;
}
async function open(page, url) {
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || !response.ok()) throw new Error(`${url}: HTTP ${response?.status()}`);
  await page.evaluate(() => document.fonts.ready);
}
async function check(label, run) {
  try {
    await run();
  } catch (error) {
    fail(`${label}: ${error.message.split("\n")[0]}`);
  }
}

/** Each session's shown start and its instant, by id. */
const startsOf = (page) =>
  page.$$eval("article.session[id]", (sessions) =>
    Object.fromEntries(
      sessions.map((s) => {
        const time = s.querySelector(".session-time time");
        return [s.id, { text: time.textContent, datetime: time.getAttribute("datetime") }];
      }),
    ),
  );
const notes = (page) => page.$$eval(".day .timezone-note", (n) => n.map((p) => p.textContent.trim()));

// What the times must read, said here once and independently of the theme: the first day's
// registration at 08:30 in Paris (UTC+1) and the second day's keynote at 09:00 (UTC+2, summer
// time began in the night).
const ZONES = [
  { zone: "Asia/Tokyo", registration: "4:30 PM", keynote: "4:00 PM", offsets: ["GMT+9"] },
  { zone: "America/New_York", registration: "3:30 AM", keynote: "3:00 AM", offsets: ["GMT-4"] },
];
const programme = `${origin}/multilingual/en/programme/`;

for (const { zone, registration, keynote, offsets } of ZONES) {
  await check(`my time zone from ${zone}`, async () => {
    const page = await newPage({ timezoneId: zone, locale: "en-US" });
    await open(page, programme);
    const before = await startsOf(page);
    const eventNotes = await notes(page);
    const toggle = page.locator(".time-controls .zone-switch");
    if (!(await toggle.isVisible())) throw new Error("no visible time-zone switch");
    await toggle.click();
    const shown = async (where) => {
      const after = await startsOf(page);
      if (after.registration?.text !== registration || after.keynote?.text !== keynote)
        fail(`${where}: registration at ${after.registration?.text}, keynote at ${after.keynote?.text}; expected ${registration} and ${keynote} in ${zone}`);
      // Every other time as the browser writes the instant in the zone, in English.
      const format = new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit", timeZone: zone });
      for (const [id, { text, datetime }] of Object.entries(after))
        if (!text.includes(format.format(new Date(datetime))))
          fail(`${where}: ${id} at ${datetime} reads ${JSON.stringify(text)} in ${zone}`);
      const said = await notes(page);
      for (const note of said)
        if (!note.includes(zone) || !offsets.some((o) => note.replace("−", "-").includes(o)))
          fail(`${where}: the zone's line reads ${JSON.stringify(note)}, not ${zone} ${offsets.join(" or ")}`);
      if ((await toggle.getAttribute("aria-pressed")) !== "true") fail(`${where}: the switch is not pressed`);
    };
    await shown(`${programme} in ${zone}`);
    // Remembered: after a reload, and on the other pages with times.
    await page.reload({ waitUntil: "load" });
    await shown(`${programme} in ${zone}, reloaded`);
    await page.locator("#keynote button.star").click();
    await open(page, `${origin}/multilingual/en/agenda/`);
    await page.waitForSelector("#agenda #keynote");
    const agendaKeynote = await page.textContent("#agenda #keynote .session-time time");
    if (agendaKeynote !== keynote) fail(`the agenda in ${zone} has the keynote at ${agendaKeynote}`);
    const speakerUrl = await page.$eval("#agenda #keynote a.person", (a) => a.href);
    await open(page, speakerUrl);
    const appearance = await page.$eval(".appearance .when time", (t) => ({ text: t.textContent, datetime: t.dateTime }));
    const expected = new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit", timeZone: zone }).format(new Date(appearance.datetime));
    if (appearance.text !== expected) fail(`${speakerUrl} in ${zone}: ${appearance.text}, expected ${expected}`);
    if (!(await page.textContent(".appearances .timezone-note")).includes(zone))
      fail(`${speakerUrl} in ${zone}: the zone's line does not name it`);
    // And back: the event's times and lines, as the build wrote them.
    await open(page, programme);
    await toggle.click();
    const back = await startsOf(page);
    if (JSON.stringify(back) !== JSON.stringify(before)) fail(`${programme}: switched back, the times are not the event's`);
    if (JSON.stringify(await notes(page)) !== JSON.stringify(eventNotes)) fail(`${programme}: switched back, the zone's lines are not the event's`);
    await page.reload({ waitUntil: "load" });
    if (JSON.stringify(await startsOf(page)) !== JSON.stringify(before)) fail(`${programme}: the event's times are not kept after a reload`);
    await page.context().close();
  });
}

/** The grid's geometry on the open page: the rooms' headings' order, and every pair of
 * sessions that cover each other. */
const geometry = (page) =>
  page.evaluate(() => {
    const frames = [...document.querySelectorAll(".grid-frame")].filter((f) => !f.hidden);
    const rooms = frames.map((f) =>
      [...f.querySelectorAll(".grid-room")].map((r) => ({ x: r.getBoundingClientRect().left, name: r.textContent })),
    );
    const overlaps = [];
    for (const frame of frames) {
      const boxes = [...frame.querySelectorAll(".session")].map((s) => ({ id: s.id, r: s.getBoundingClientRect() }));
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1))
          if (a.r.left < b.r.right - 0.5 && b.r.left < a.r.right - 0.5 && a.r.top < b.r.bottom - 0.5 && b.r.top < a.r.bottom - 0.5)
            overlaps.push(`${a.id} and ${b.id}`);
    }
    const lists = [...document.querySelectorAll(".day .sessions")].filter((l) => !l.hidden).length;
    const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    const inside = frames.map((f) => f.scrollWidth - f.clientWidth);
    return { frames: frames.length, rooms, overlaps, lists, page, inside };
  });

for (const lang of ["fr", "ar"]) {
  const url = `${origin}/multilingual/${lang}/programme/`;
  await check(`rooms side by side in ${lang}`, async () => {
    const page = await newPage({ viewport: PHONE });
    await open(page, url);
    for (const width of [390, 1280])
      await page.setViewportSize({ width, height: 900 }).then(() =>
        page.screenshot({ path: path.join(artifactsDir, `programme-list-${lang}-${width}.png`), fullPage: true }),
      );
    if ((await geometry(page)).frames) fail(`${url}: a grid before it is asked for`);
    await page.setViewportSize(PHONE);
    await page.locator(".grid-switch").click();
    const rtl = lang === "ar";
    const seen = async (where) => {
      const g = await geometry(page);
      if (g.frames !== 1) fail(`${where}: ${g.frames} grids, expected the first day's`);
      if (g.overlaps.length) fail(`${where}: sessions over each other: ${g.overlaps.join(", ")}`);
      for (const rooms of g.rooms) {
        const xs = rooms.map((r) => r.x);
        const inOrder = xs.every((x, i) => i === 0 || (rtl ? x < xs[i - 1] : x > xs[i - 1]));
        if (rooms.length < 3 || !inOrder)
          fail(`${where}: the rooms ${JSON.stringify(rooms)} are not ${rtl ? "right to left" : "left to right"}`);
      }
      return g;
    };
    for (const width of [320, 390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const g = await seen(`${url} at ${width}px`);
      if (g.page > 0) fail(`${url}: the grid scrolls the page sideways by ${g.page}px at ${width}px`);
      if (width === 320 && !(g.inside[0] > 0)) fail(`${url}: the grid does not scroll in its frame at 320px`);
      if (width !== 320)
        await page.screenshot({ path: path.join(artifactsDir, `programme-grid-${lang}-${width}.png`), fullPage: true });
    }
    await page.reload({ waitUntil: "load" });
    await seen(`${url} reloaded`);
    // On A4 (about 720 px between the margins), every room within the page.
    await page.setViewportSize({ width: 720, height: 1000 });
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => {
      const frame = document.querySelector(".grid-frame:not([hidden])");
      return frame && frame.scrollWidth - frame.clientWidth;
    });
    if (printed !== 0) fail(`${url}: the grid prints ${printed}px wider than the page`);
    await page.pdf({ path: path.join(artifactsDir, `programme-grid-${lang}.pdf`), preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: "screen" });
    await page.context().close();
  });
}

// The day bar stays on screen over the whole programme.
for (const url of [`${origin}/example/ar/programme/`, `${origin}/example/fr/programme/`, programme]) {
  await check(`the day bar on ${url}`, async () => {
    const page = await newPage({ viewport: PHONE });
    await open(page, url);
    const last = page.locator("section.day").last();
    await last.locator(".session").last().scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(100);
    const bar = await page.locator(".day-bar").boundingBox();
    const scrolled = await page.evaluate(() => window.scrollY);
    if (scrolled < 1000) fail(`${url}: scrolled only ${scrolled}px`);
    if (!bar || bar.y < -0.5 || bar.y + bar.height > PHONE.height)
      fail(`${url}: the day bar is not on screen after scrolling ${scrolled}px: ${JSON.stringify(bar)}`);
    // Its link leads to a day whose heading shows below it.
    await page.locator(".day-bar li a").last().click();
    await page.waitForTimeout(100);
    const heading = await last.locator("h2").boundingBox();
    const under = await page.locator(".day-bar").boundingBox();
    if (!heading || heading.y < under.y + under.height - 1)
      fail(`${url}: the last day's heading is under the day bar after its link (${heading?.y} < ${under.y + under.height})`);
    await page.context().close();
  });
}

// While the event is on, the day bar's "now" leads to the running session: at 14:30 on the
// first day in Casablanca, the first panel, shown below the bar.
for (const lang of ["ar", "fr"]) {
  const url = `${origin}/example/${lang}/programme/`;
  await check(`the day bar's now on ${url}`, async () => {
    const page = await newPage({ viewport: PHONE, timezoneId: "Africa/Casablanca" });
    await page.clock.setFixedTime(new Date("2024-02-29T14:30:00+01:00"));
    await open(page, url);
    const now = page.locator(".day-bar .day-now a");
    if ((await now.getAttribute("href")) !== "#panel-1") fail(`${url}: the day bar's now leads to ${await now.getAttribute("href")}`);
    await now.click();
    await page.waitForTimeout(100);
    const bar = await page.locator(".day-bar").boundingBox();
    const session = await page.locator("#panel-1").boundingBox();
    if (!bar || bar.y < -0.5 || !session || session.y < bar.y + bar.height - 1 || session.y > PHONE.height / 2)
      fail(`${url}: after the day bar's now, the panel is at ${session?.y}px, the bar at ${bar?.y}px`);
    await page.screenshot({ path: path.join(artifactsDir, `programme-now-${lang}-390.png`) });
    await page.context().close();
  });
}

// A session's links as its time goes (issue 26), on the hostile fixture, whose opening (09:30
// to 10:30 on 14 May 2025, Paris) has all four: before it, the editor's order; while it runs,
// the stream marked, with its words for screen readers; once it has ended, the recording
// first. On the programme and on a speaker's page.
for (const url of [`${origin}/hostile/fr/programme/`, `${origin}/hostile/fr/speakers/o-brien/`]) {
  await check(`a session's links as its time goes on ${url}`, async () => {
    for (const [at, order, live] of [
      ["2025-05-14T09:00:00+02:00", "stream slides recording feedback", false],
      ["2025-05-14T10:00:00+02:00", "stream slides recording feedback", true],
      ["2025-05-14T11:00:00+02:00", "recording stream slides feedback", false],
    ]) {
      const page = await newPage();
      await page.clock.setFixedTime(new Date(at));
      await open(page, url);
      const seen = await page.$eval("#opening .session-links", (list) => ({
        order: [...list.children].map((li) => li.className.replace("link-", "")).join(" "),
        live: !!list.querySelector(".link-stream a.is-live"),
        words: list.querySelector(".link-stream .live-mark")?.textContent ?? "",
      }));
      if (seen.order !== order) fail(`${url} at ${at}: the links are in the order ${seen.order}`);
      if (seen.live !== live || (live && !seen.words.trim()))
        fail(`${url} at ${at}: the stream is ${seen.live ? "" : "not "}marked live (${JSON.stringify(seen.words)})`);
      await page.context().close();
    }
  });
}

await browser.close();
server.close();
console.log(`programme: ${failures.length ? `${failures.length} failed` : "every check passed"}; screenshots in ${artifactsDir}`);
process.exit(failures.length ? 1 : 0);

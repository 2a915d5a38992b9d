// The error overlay of `majlis serve` on a phone (issue 16), in Debian's Chromium driven by
// playwright-core: at 390 px, the line of the file is not wrapped and the caret stands under
// the column of the mistake, however long the line (it scrolls sideways inside its own box,
// never the page); the message and the help wrap and stay inside the screen. A screenshot
// goes to the artefacts folder for a person to look at.
//
// Usage: node overlay.mjs URL ARTIFACTS_DIR
// URL is a page of a `majlis serve` whose last edit has an error in a long line.

import path from "node:path";
import { chromium } from "playwright-core";

const [url, artifactsDir] = process.argv.slice(2);
if (!url || !artifactsDir) {
  console.error("usage: node overlay.mjs URL ARTIFACTS_DIR");
  process.exit(2);
}
setTimeout(() => {
  console.error("overlay check: timed out after 2 minutes");
  process.exit(1);
}, 2 * 60 * 1000).unref();

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 664 } });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("#majlis-errors pre", { timeout: 30_000 });
  const found = await page.evaluate(() => {
    const box = document.getElementById("majlis-errors");
    const pre = box.querySelector("pre");
    const [, source, caret] = pre.textContent.split("\n");
    const text = pre.firstChild;
    // The x of a character of the excerpt's text node, by its offset in the text.
    const x = (offset) => {
      const range = document.createRange();
      range.setStart(text, offset);
      range.setEnd(text, offset + 1);
      return range.getBoundingClientRect();
    };
    const lines = pre.textContent.split("\n");
    const sourceStart = lines[0].length + 1;
    const caretStart = sourceStart + source.length + 1;
    const column = caret.indexOf("^");
    const under = x(sourceStart + column);
    const mark = x(caretStart + column);
    const style = getComputedStyle(pre);
    return {
      whiteSpace: style.whiteSpace,
      lineHeight: parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5,
      preHeight: pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
      scrolls: pre.scrollWidth > pre.clientWidth,
      sourceLength: source.length,
      underLeft: under.left,
      markLeft: mark.left,
      underTop: under.top,
      markTop: mark.top,
      pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      boxOverflow: box.scrollWidth - box.clientWidth,
    };
  });
  console.log(JSON.stringify(found));
  if (found.whiteSpace !== "pre") failures.push(`the excerpt wraps (white-space: ${found.whiteSpace})`);
  if (found.preHeight > 3.5 * found.lineHeight) {
    failures.push(`the excerpt takes ${found.preHeight}px, more than its three lines`);
  }
  if (!found.scrolls) failures.push("the long line does not scroll sideways in its box");
  if (Math.abs(found.underLeft - found.markLeft) > 1) {
    failures.push(`the caret is at x=${found.markLeft}, its column at x=${found.underLeft}`);
  }
  if (found.markTop <= found.underTop) failures.push("the caret is not on the line below");
  if (found.pageOverflow > 0) failures.push(`the page scrolls sideways by ${found.pageOverflow}px`);
  if (found.boxOverflow > 0) failures.push(`the overlay scrolls sideways by ${found.boxOverflow}px`);
  // Scrolled to the caret, as an editor would, for the screenshot.
  await page.evaluate((left) => {
    const pre = document.querySelector("#majlis-errors pre");
    pre.scrollLeft = left - pre.getBoundingClientRect().left - pre.clientWidth / 2;
  }, found.markLeft);
  const file = path.join(artifactsDir, "overlay-390.png");
  await page.screenshot({ path: file });
  console.log(`overlay at 390 px: ${file}`);
} finally {
  await browser.close();
}
for (const failure of failures) console.error(`  FAIL overlay at 390 px: ${failure}`);
process.exit(failures.length ? 1 : 0);

// The picture of the README (docs/images/programme-ar-fr.png): the example's programme in
// Arabic and in French, side by side as two phones show them, in Debian's Chromium. Not run
// by CI; a maintainer runs it when the theme changes (see docs/development.md):
//
//   majlis build --output /tmp/example && majlis serve --built --output /tmp/example &
//   node .ci/browser/readme-screenshot.mjs http://127.0.0.1:1111/meeting-4/ /tmp/programme.png
//   convert /tmp/programme.png -strip -colors 64 PNG8:docs/images/programme-ar-fr.png

import { chromium } from "playwright-core";

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error("usage: node readme-screenshot.mjs SITE_URL OUT.png");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 820, height: 760 } });
const phone = (lang) =>
  `<iframe src="${base}${lang}/programme/" style="width:390px;height:740px;border:0;background:#fff"></iframe>`;
await page.setContent(
  `<!doctype html><body style="margin:0;display:flex;gap:20px;background:#d4d4d8;padding:10px">` +
    phone("ar") + phone("fr") + `</body>`,
);
for (const frame of page.frames().slice(1)) {
  await frame.waitForLoadState("load");
  await frame.evaluate(() => document.fonts.ready);
}
await page.screenshot({ path: out });
await browser.close();

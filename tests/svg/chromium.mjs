// chromium.mjs DPI OUT-PREFIX PAGE-1.svg [PAGE-2.svg ...] - draws SVG pages
// in headless chromium (puppeteer-core) at DPI, each as an <img> of the page's
// exact size in device pixels, into OUT-PREFIX-K.png.
import fs from "node:fs";
import { launchChromium } from "./launch.mjs";

const [dpi, prefix, ...pages] = process.argv.slice(2);
const { browser, close } = await launchChromium(["--force-color-profile=srgb"]);
try {
  const page = await browser.newPage();
  for (let k = 0; k < pages.length; k++) {
    const svg = fs.readFileSync(pages[k]);
    const m = /width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg.toString("utf8", 0, 600));
    // Pixels as pdftoppm sizes the page: rounded up.
    const w = Math.ceil((+m[1] * dpi) / 72 - 1e-6), h = Math.ceil((+m[2] * dpi) / 72 - 1e-6);
    await page.setViewport({ width: w, height: h, deviceScaleFactor: 1 });
    const src = "data:image/svg+xml;base64," + svg.toString("base64");
    await page.setContent(`<html><body style="margin:0;background:#fff">` +
      `<img id="p" src="${src}" style="display:block;width:${(+m[1] * dpi) / 72}px;` +
      `height:${(+m[2] * dpi) / 72}px"></body></html>`);
    await page.waitForFunction(() => document.getElementById("p").complete);
    await page.screenshot({ path: `${prefix}-${k + 1}.png`, clip: { x: 0, y: 0, width: w, height: h } });
  }
} finally {
  await close();
}

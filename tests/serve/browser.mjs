// browser.mjs URL DIR [SCREENSHOT-DIR] - the editor of bulletin serve in a
// real browser (Debian's chromium, driven by puppeteer-core): open the page,
// pick an issue, see its SVG pages in the preview, type a bad date and see
// the error marked on its line (the last good preview kept), fix it, save,
// and read the file back from disk. With SCREENSHOT-DIR, saves the page as
// shown at each step (serve-*.png). Prints "N passed, N failed".
import fs from "node:fs";
import path from "node:path";
import { launchChromium } from "./launch.mjs";

const [url, dir, shots] = process.argv.slice(2);
const NAME = "jianbao-2024-03.txt";
const file = path.join(dir, NAME);
let passed = 0, failed = 0;
function check(what, cond, detail) {
  if (cond) passed++;
  else {
    failed++;
    console.error("FAIL: " + what + (detail !== undefined ? ": " + JSON.stringify(detail) : ""));
  }
}
async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, "serve-" + name + ".png") });
}

const { browser, close } = await launchChromium(["--lang=zh-CN"]);
const errors = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("dialog", (d) => d.accept());
  await page.setViewport({ width: 1440, height: 900 });
  const original = fs.readFileSync(file, "utf8");

  // The page, from the printed address; the token leaves the address bar.
  await page.goto(url);
  await page.waitForSelector("#file-list button");
  const names = await page.$$eval("#file-list button", (bs) => bs.map((b) => b.dataset.name));
  check("the file list shows the folder's issues", names.includes(NAME), names);
  check("the token is not left in the address bar", !page.url().includes("token="), page.url());

  // Pick the issue: its text in the editor, its pages in the preview.
  await page.click(`#file-list button[data-name="${NAME}"]`);
  await page.waitForFunction(() => document.querySelectorAll("#pages .page img").length > 0);
  await page.waitForFunction(() => Array.from(document.querySelectorAll("#pages img"))
    .every((i) => i.complete && i.naturalWidth > 0));
  const text = await page.$eval("#text", (t) => t.value);
  check("the editor holds the file's text", text === original);
  const pages = await page.$$eval("#pages img", (is) => Promise.all(is.map((i) =>
    fetch(i.src).then((r) => r.text()))));
  check("the preview shows the issue's two pages", pages.length === 2, pages.length);
  check("each preview page is an SVG page", pages.every((s) => s.includes("<svg") &&
    s.includes('viewBox="0 0 595.27557 841.88977"')));
  check("the preview shows the text of the issue", pages[0].includes("全市职工技能竞赛启动"));
  await shot(page, "preview");

  // Replaces `from` on line `line` by typing `to`, as a person would.
  async function retype(line, from, to) {
    await page.evaluate((line, from) => {
      const t = document.querySelector("#text");
      const lines = t.value.split("\n");
      let off = 0;
      for (let i = 0; i < line - 1; i++) off += lines[i].length + 1;
      const at = off + lines[line - 1].indexOf(from);
      t.focus();
      t.setSelectionRange(at, at + from.length);
    }, line, from);
    await page.keyboard.type(to, { delay: 20 });
  }

  // A bad date: the error is marked on line 5 with the message; the last
  // good preview stays.
  await retype(5, "2024-02-29", "2024-02-30");
  await page.waitForSelector('#gutter-lines div.error[data-line="5"]', { timeout: 20000 });
  const marked = await page.evaluate(() => ({
    backdrop: document.querySelector('#backdrop div.error[data-line="5"]') !== null,
    others: document.querySelectorAll("#backdrop div.error").length,
    callout: document.querySelector("#callout").hidden ? "" : document.querySelector("#callout").textContent,
    list: Array.from(document.querySelectorAll("#diag-list li.error")).map((l) => l.textContent),
    pages: document.querySelectorAll("#pages img").length,
    stale: !document.querySelector("#stale-note").hidden,
  }));
  check("line 5 is marked as the error's line", marked.backdrop && marked.others === 1, marked);
  check("the message is shown at the line",
    marked.callout.includes("第 5 行") && marked.callout.includes("impossible date '2024-02-30'"), marked.callout);
  check("the error is listed with its position",
    marked.list.length === 1 && marked.list[0].includes("第 5 行第 4 列"), marked.list);
  check("the last good preview is kept", marked.pages === 2 && marked.stale, marked);
  await shot(page, "error");

  // Fixed: the mark goes, the preview shows the new date.
  await retype(5, "2024-02-30", "2024-03-01");
  await page.waitForFunction(() => !document.querySelector("#gutter-lines div.error") &&
    document.querySelector("#render-state").textContent === "已更新" &&
    document.querySelector("#stale-note").hidden, { timeout: 20000 });
  await page.waitForFunction(async () => {
    const img = document.querySelector("#pages img");
    return img && (await (await fetch(img.src)).text()).includes("2024年3月1日");
  }, { timeout: 20000 });
  check("the fixed text renders again", true);
  check("nothing is written before Save", fs.readFileSync(file, "utf8") === original);

  // Save: the file on disk is the edited text.
  await page.click("#save");
  await page.waitForFunction(() => document.querySelector("#save-state").textContent === "已保存");
  const saved = fs.readFileSync(file, "utf8");
  check("Save writes the edited text to the file",
    saved === original.replace("日期：2024-02-29", "日期：2024-03-01"), saved.slice(0, 200));
  await shot(page, "saved");
  check("the page raised no script error", errors.length === 0, errors);
} finally {
  await close();
}
console.log(passed + " passed, " + failed + " failed");
process.exit(failed ? 1 : 0);

// Open a built HTML page in the system Chromium (playwright-core, no browser
// download) at desktop and phone widths, in light and dark mode; screenshot
// each, run axe-core, measure where the contents and the text sit, and
// print the page to PDF. Prints one JSON object; the Python test judges it.
// usage: node check.mjs PAGE.html OUT_DIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [page_path, out_dir] = process.argv.slice(2);
const url = pathToFileURL(resolve(page_path)).href;

const VIEWS = {
  desktop: { viewport: { width: 1440, height: 900 }, colorScheme: "light" },
  phone: { viewport: { width: 390, height: 844 }, colorScheme: "light", isMobile: true, deviceScaleFactor: 2 },
  dark: { viewport: { width: 1440, height: 900 }, colorScheme: "dark" },
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const result = { views: {} };
try {
  for (const [name, options] of Object.entries(VIEWS)) {
    const context = await browser.newContext({ ...options, javaScriptEnabled: true });
    const page = await context.newPage();
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(url, { waitUntil: "load" });
    await page.screenshot({ path: join(out_dir, `${name}.png`), fullPage: false });
    // The page's own CSP forbids scripts: axe is added by the test harness.
    await page.addScriptTag({ content: axeSource }).catch(async () => {
      await page.evaluate(axeSource);
    });
    const axe = await page.evaluate(async () => {
      const run = await window.axe.run(document, { resultTypes: ["violations"] });
      return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    const layout = await page.evaluate(() => {
      const box = (selector) => {
        const element = document.querySelector(selector);
        if (!element) return null;
        const r = element.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height,
                 position: getComputedStyle(element).position };
      };
      return { toc: box("nav.toc"), main: box("main"), banner: box(".banner-top"),
               background: getComputedStyle(document.documentElement).backgroundColor,
               ink: getComputedStyle(document.body).color,
               scrollWidth: document.documentElement.scrollWidth,
               clientWidth: document.documentElement.clientWidth,
               tables: [...document.querySelectorAll(".table-region")].map(region) };
      // A table's scrolling region, and how many of its words (outside
      // links) are broken across lines: a word's boxes on two lines.
      function region(element) {
        let words = 0, split = 0;
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement.closest("a")) continue;
          for (const match of node.data.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            words += 1;
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) split += 1;
          }
        }
        return { scrollWidth: element.scrollWidth, clientWidth: element.clientWidth,
                 focusable: element.tabIndex === 0, role: element.getAttribute("role"),
                 label: element.getAttribute("aria-label"), words, split };
      }
    });
    // Follow each link of the contents, as a reader does: where does the
    // heading it names stand, against the banners that stay in view?
    const jumps = [];
    for (const id of await page.evaluate(() =>
        [...document.querySelectorAll("main section[id]")].map((s) => s.id))) {
      await page.evaluate((id) => { location.hash = "#" + id; }, id);
      await page.waitForTimeout(50);
      jumps.push(await page.evaluate((id) => {
        const heading = document.getElementById(id).querySelector("h2, h3, h4, h5, h6");
        const top = document.querySelector(".banner-top").getBoundingClientRect();
        const bottom = document.querySelector(".banner-bottom").getBoundingClientRect();
        const r = heading.getBoundingClientRect();
        return { id, top: r.top, bottom: r.bottom, bannerTop: top.bottom, bannerBottom: bottom.top };
      }, id));
    }
    // At the end of the page the last text stands above the bottom banner.
    const end = await page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      const last = [...document.querySelectorAll("main p, main li, main dd")].pop();
      return { last: last.getBoundingClientRect().bottom,
               bannerBottom: document.querySelector(".banner-bottom").getBoundingClientRect().top };
    });
    const fonts = await page.evaluate(() => ({
      banner: parseFloat(getComputedStyle(document.querySelector(".banner-top")).fontSize),
      body: parseFloat(getComputedStyle(document.querySelector("main p")).fontSize),
      family: getComputedStyle(document.querySelector("main p")).fontFamily }));
    result.views[name] = { violations: axe, layout, jumps, end, fonts,
                           requests: requests.filter((r) => r !== url) };
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: join(out_dir, "print.pdf"), format: "A4", printBackground: true });
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));

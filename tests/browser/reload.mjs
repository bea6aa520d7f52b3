// Open a page that `briefing watch` serves in the system Chromium, say
// "ready", then wait (without touching the page) until its text holds the
// given words, which only the page's own reload script can bring. Prints
// one JSON object: whether that happened, and every Content-Security-Policy
// violation and console error seen on the way.
// usage: node reload.mjs URL WORDS
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [url, words] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const result = { reloaded: false, violations: [], errors: [] };
try {
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") result.errors.push(message.text());
  });
  await page.exposeFunction("reportViolation", (text) => result.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation",
      (event) => window.reportViolation(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForTimeout(1200);  // the script has asked for the version at least once
  console.log("ready");
  try {
    await page.waitForFunction((w) => document.body.innerText.includes(w), words,
                               { timeout: 60000, polling: 200 });
    result.reloaded = true;
  } catch (error) {
    result.errors.push(String(error));
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

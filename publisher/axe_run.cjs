// Runs axe-core on local HTML pages in headless Chromium (puppeteer-core), for
// publisher/checks.py. Arguments: chromium, path of axe.min.js, comma-separated tags,
// then the pages. Prints one JSON object: axe's and the browser's version and, per page,
// the violations (id, impact, help, targets) and how wide the page laid out (scrollWidth;
// the viewport is AXE_WIDTH pixels wide, 1280 unless set). No network: only file:// pages are opened.
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const puppeteer = require("puppeteer-core");

async function main() {
  const [chromium, axePath, tags, ...pages] = process.argv.slice(2);
  const flags = (process.env.CHROMIUM_FLAGS || "").split(" ").filter(Boolean);
  const axeSource = fs.readFileSync(axePath, "utf8");
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: flags });
  const result = { axe: null, browser: (await browser.version()).replace(/^[^/]*\//, ""), pages: [] };
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(process.env.AXE_WIDTH || 1280), height: 900 });
    await page.setRequestInterception(true);
    page.on("request", (request) => (request.url().startsWith("file:") || request.url().startsWith("data:") ? request.continue() : request.abort()));
    for (const file of pages) {
      await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: "load" });
      await page.evaluate(axeSource);
      const found = await page.evaluate(async (tagList) => {
        const out = await window.axe.run(document, { runOnly: { type: "tag", values: tagList }, resultTypes: ["violations"] });
        return {
          version: window.axe.version,
          violations: out.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.map((n) => n.target.join(" ")) })),
        };
      }, tags.split(","));
      result.axe = found.version;
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      result.pages.push({ page: file, violations: found.violations, scrollWidth: width });
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});

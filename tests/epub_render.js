// Render XHTML content documents of an unpacked EPUB in headless Chromium and measure
// what validators cannot see: horizontal overflow and the contrast of every text.
// usage: node epub_render.js WIDTH HEIGHT SCHEME SHOTDIR|- FILE...   (prints JSON)
// SCHEME is light or dark (prefers-color-scheme emulation). Text inside inline SVG is
// measured against the SVG's own ground (its fill on the figure's white background).
const puppeteer = require("puppeteer-core");

async function measure() {
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (element) => {
    const layers = [];
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1]; // the canvas of a reading system that sets none
    if (layers.length && layers[layers.length - 1][3] >= 1) result = layers.pop();
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const ratio = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const width = document.documentElement.clientWidth;
  const result = { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, overflowing: [], contrast: [], texts: 0 };
  const scrolls = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  for (const e of document.body.querySelectorAll("*")) {
    if (!e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if (r.right > width + 0.5 && !scrolls(e)) result.overflowing.push({ tag: e.localName, cls: e.getAttribute("class"), right: Math.round(r.right), text: (e.textContent || "").trim().slice(0, 60) });
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(e);
    if (style.visibility === "hidden" || parseFloat(style.opacity) === 0) continue;
    let fg, bg;
    if (e instanceof SVGElement) {
      if (e.closest("defs, title, desc")) continue;
      fg = parse(style.fill);
      if (!fg) continue;
      // the ground under SVG text: the topmost SVG shape under its centre, else the figure's
      const box = e.getBoundingClientRect();
      const under = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2)
        .filter((u) => u !== e && u instanceof SVGGeometryElement && !(u instanceof SVGTextContentElement) && parse(getComputedStyle(u).fill));
      bg = under.length ? parse(getComputedStyle(under[0]).fill) : background(e.ownerSVGElement);
    } else {
      fg = parse(style.color);
      bg = background(e);
    }
    fg = over(fg, bg);
    result.texts += 1;
    result.contrast.push({ tag: e.localName, cls: e.getAttribute("class"), ratio: Math.round(ratio(fg, bg) * 100) / 100, color: style.color, background: bg.slice(0, 3).join(","), text: (e.textContent || "").trim().slice(0, 40) });
  }
  // note calls: their tap target, their size, and whether anything raises them twice
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  result.noterefs = [...document.querySelectorAll("[role=doc-noteref]")].map((a) => {
    const r = a.getBoundingClientRect();
    let raised = 0;
    for (let e = a; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.verticalAlign === "super" || s.verticalAlign === "sub" || (s.position === "relative" && parseFloat(s.top) < 0)) raised += 1;
    }
    return { width: r.width, height: r.height, fontSize: parseFloat(getComputedStyle(a).fontSize) / body, raised };
  });
  const paragraph = document.querySelector("section p") || document.body;
  result.hyphens = getComputedStyle(paragraph).hyphens;
  result.markers = [...document.querySelectorAll(".title-page li, nav li")].filter((li) => getComputedStyle(li).listStyleType !== "none").length;
  result.contrast.sort((a, b) => a.ratio - b.ratio);
  result.minimum = result.contrast.length ? result.contrast[0].ratio : null;
  result.lowest = result.contrast.slice(0, 5);
  delete result.contrast;
  return result;
}

(async () => {
  const [width, height, scheme, shots, ...files] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
  const out = {};
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(width), height: Number(height) });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    for (const file of files) {
      await page.goto("file://" + file, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      const fonts = await page.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.weight} ${f.style}: ${f.status}`));
      out[file] = await page.evaluate(measure);
      out[file].fonts = fonts;
      if (shots !== "-") {
        const name = file.split("/").slice(-1)[0].replace(/\.x?html$/, "");
        await page.screenshot({ path: `${shots}/${name}-${width}-${scheme}.png` });
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})();

#!/usr/bin/env node
// The real-browser quality gate of anxin's theme (issue 6): drives Debian's
// Chromium through playwright-core over pages served on loopback and checks,
// on every page given:
//
//   axe       axe-core, WCAG 2.0/2.1/2.2 A and AA and best-practice rules: 0 violations
//   status    the HTTP status is the expected one (200, or 404 for the not-found page)
//   keyboard  the first Tab reaches the skip link, and Enter on it moves focus
//             to the main content; Tab reaches every focusable element and
//             each shows a visible focus indicator
//   mobile    at 320×640 no horizontal scrolling; links in the crisis banner
//             and hotline numbers are at least 44×44 CSS px
//   no-js     with JavaScript off the <h1> and all of <main>'s text are there
//             (a <noscript> note may add to it)
//   requests  no request leaves the loopback host (each is aborted and fails the page)
//   large-text the 大字模式 link makes the root font ≥ 22px and line height ≥ 1.6,
//             the choice is remembered on the next page, it works without
//             JavaScript (:target), and text contrast is ≥ 7:1 (axe color-contrast-enhanced)
//   print     /hotlines/ only: printed on A4 the directory fits one page
//
// and takes full-page screenshots of home, a policy page and /hotlines/ at
// 360 px and 1280 px into a folder outside the repository.
//
// Usage:
//   node tests/browser/gate.mjs --base http://127.0.0.1:1111 [options] PATH...
//
//   PATH                 a page path, e.g. /news/; PATH=404 expects that status
//   --pages FILE         a JSON list of paths or {"path", "status"} objects
//   --screenshots DIR    where screenshots go (default $ANXIN_SCREENSHOTS or
//                        /tmp/anxin-screenshots; must be outside the repository)
//   --no-screenshots     take none
//   --screenshot-pages P comma-separated paths to screenshot (default
//                        /,/policies/free-medication/,/hotlines/; those not in the run are skipped)
//   --print-pages P      comma-separated paths whose printout must fit one A4
//                        page (default /hotlines/)
//
// Chromium is /usr/bin/chromium unless ANXIN_CHROMIUM names another binary; no
// browser is ever downloaded. The JSON report goes to stdout; one line per
// failure ("FAIL <page> <check> <rule>: …") to stderr. Exit status: 0 when
// every check passed, 1 when any failed, 2 on a usage or setup error.

import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.ANXIN_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const TAP_TARGETS = '.crisis a[href], a.hotline-number, .hotline-card a[href^="tel:"]';
const MIN_TAP = 44;
const LARGE_ROOT_PX = 22;
const BASE_ROOT_PX = 18;
const MIN_LINE_HEIGHT = 1.6;
// Large-text mode promises 7:1 for all text. axe's color-contrast-enhanced
// (WCAG 1.4.6, AAA) asks 7:1 of normal text but only 4.5:1 of large-scale text,
// and leaves text under the AA minimum (4.5:1, 3:1 when large) to
// color-contrast: so both rules run, and the large-scale expectation is raised
// to 7:1 too.
const ENHANCED_CONTRAST = {
  checks: [{
    id: 'color-contrast-enhanced',
    options: {
      ignoreUnicode: true,
      ignoreLength: false,
      ignorePseudo: false,
      boldValue: 700,
      boldTextPt: 14,
      largeTextPt: 18,
      contrastRatio: {
        normal: { expected: 7, minThreshold: 4.5 },
        large: { expected: 7, minThreshold: 3 },
      },
      pseudoSizeThreshold: 0.25,
      shadowOutlineEmMax: 0.1,
      textStrokeEmMin: 0.03,
    },
  }],
};
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 320, height: 640 };
const SCREENSHOT_WIDTHS = [360, 1280];
const NAV_TIMEOUT = 15000;

function usage(message) {
  console.error(`gate.mjs: ${message}`);
  console.error('usage: node tests/browser/gate.mjs --base URL [--pages FILE] [--screenshots DIR | --no-screenshots] PATH[=STATUS]...');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    base: null,
    pages: [],
    screenshots: process.env.ANXIN_SCREENSHOTS || '/tmp/anxin-screenshots',
    screenshotPages: ['/', '/policies/free-medication/', '/hotlines/'],
    printPages: ['/hotlines/'],
  };
  const addPage = (spec) => {
    if (typeof spec === 'string') {
      const m = spec.match(/^(.*)=(\d{3})$/);
      spec = m ? { path: m[1], status: Number(m[2]) } : { path: spec };
    }
    if (!spec || typeof spec.path !== 'string' || !spec.path.startsWith('/')) {
      usage(`a page path must start with "/": ${JSON.stringify(spec)}`);
    }
    opts.pages.push({ path: spec.path, status: spec.status ?? 200 });
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--base') opts.base = value();
    else if (arg === '--pages') {
      const file = value();
      let list;
      try {
        list = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        usage(`cannot read the page list ${file}: ${e.message}`);
      }
      if (!Array.isArray(list)) usage(`${file} must hold a JSON list`);
      list.forEach(addPage);
    } else if (arg === '--screenshots') opts.screenshots = value();
    else if (arg === '--no-screenshots') opts.screenshots = null;
    else if (arg === '--screenshot-pages') opts.screenshotPages = value().split(',').filter(Boolean);
    else if (arg === '--print-pages') opts.printPages = value().split(',').filter(Boolean);
    else if (arg === '--help' || arg === '-h') usage('help');
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else if (/^https?:\/\//.test(arg) && !opts.base) opts.base = arg;
    else addPage(arg);
  }
  if (!opts.base) usage('--base URL is required');
  opts.base = opts.base.replace(/\/+$/, '');
  if (opts.pages.length === 0) usage('no pages to check');
  if (opts.screenshots) {
    const dir = path.resolve(opts.screenshots);
    // The nearest existing ancestor, with symbolic links resolved.
    let real = dir;
    while (!existsSync(real)) real = path.dirname(real);
    real = path.join(realpathSync(real), path.relative(real, dir));
    const rel = path.relative(realpathSync(REPO), real);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
      usage(`the screenshot folder ${dir} is inside the repository; choose one outside it`);
    }
    mkdirSync(dir, { recursive: true });
    opts.screenshots = dir;
  }
  return opts;
}

function loadTools() {
  let chromium, axeSource;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    console.error(`gate.mjs: the npm package playwright-core is missing (run \`npm ci\` at the repository root): ${e.message}`);
    process.exit(2);
  }
  try {
    const axeDir = path.dirname(require.resolve('axe-core/package.json'));
    axeSource = readFileSync(path.join(axeDir, 'axe.min.js'), 'utf8');
  } catch (e) {
    console.error(`gate.mjs: the npm package axe-core is missing (run \`npm ci\` at the repository root): ${e.message}`);
    process.exit(2);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`gate.mjs: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);
    process.exit(2);
  }
  return { chromium, axeSource };
}

// ---------------------------------------------------------------------------
// Functions evaluated in the page. They are sent as source text, so each one
// carries what it needs.

/** A short, readable name for an element: tag#id.class "text". */
function describeSource() {
  return `function describe(el) {
    if (!el || el.nodeType !== 1) return String(el);
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    for (const c of el.classList) s += '.' + c;
    const href = el.getAttribute('href');
    if (href) s += '[href="' + href + '"]';
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ');
    if (text) s += ' "' + (text.length > 40 ? text.slice(0, 40) + '…' : text) + '"';
    return s;
  }`;
}

async function inPage(page, fn, arg) {
  return page.evaluate(`(() => { ${describeSource()}; return (${fn.toString()})(${JSON.stringify(arg ?? null)}, describe); })()`);
}

function pageFocusables(_arg, describe) {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, object, embed, audio[controls], video[controls], [tabindex], [contenteditable]:not([contenteditable="false"])';
  const list = [...document.querySelectorAll(selector)].filter((el) => {
    if (el.tabIndex < 0 || el.matches(':disabled') || el.closest('[inert]')) return false;
    if (el.type === 'hidden') return false;
    return el.checkVisibility({ visibilityProperty: true });
  });
  window.__gateUnfocused = {};
  return list.map((el, i) => {
    el.setAttribute('data-gate-focus', String(i));
    const s = getComputedStyle(el);
    window.__gateUnfocused[i] = { shadow: s.boxShadow, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` };
    return describe(el);
  });
}

function pageFocused(_arg, describe) {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const id = el.getAttribute('data-gate-focus');
  const before = (window.__gateUnfocused || {})[id];
  const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  const shadow = s.boxShadow !== 'none' && (!before || s.boxShadow !== before.shadow);
  return {
    id,
    element: describe(el),
    skipLink: el.matches('.skip-link'),
    indicator: outline || shadow,
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    boxShadow: s.boxShadow,
  };
}

function pageContent() {
  const main = document.querySelector('main');
  const h1 = document.querySelector('h1');
  return {
    h1: h1 ? h1.textContent.trim().replace(/\s+/g, ' ') : null,
    mainText: main ? main.innerText.trim().length : 0,
  };
}

function pageMobile(selector, describe) {
  const root = document.documentElement;
  const width = root.clientWidth;
  const overflowing = [];
  if (root.scrollWidth > width) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) {
        // Only the outermost culprit of each branch.
        if (!overflowing.some((o) => o.el.contains(el))) overflowing.push({ el, right: Math.round(r.right) });
        if (overflowing.length >= 5) break;
      }
    }
  }
  const targets = [...document.querySelectorAll(selector)]
    .filter((el) => el.checkVisibility({ visibilityProperty: true }))
    .map((el) => {
      const r = el.getBoundingClientRect();
      return { target: describe(el), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
    });
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: width,
    overflowing: overflowing.map((o) => `${describe(o.el)} (right edge at ${o.right}px)`),
    tapTargets: targets,
  };
}

function pageTextSize() {
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  let stored = null;
  try {
    stored = localStorage.getItem('anxin-large-text');
  } catch (e) {
    stored = 'unavailable';
  }
  return {
    rootFontPx: parseFloat(root.fontSize),
    lineHeight: Math.round((parseFloat(body.lineHeight) / parseFloat(body.fontSize)) * 100) / 100,
    largeClass: document.documentElement.classList.contains('large-text'),
    stored,
  };
}

// ---------------------------------------------------------------------------

class Report {
  constructor(pages) {
    this.pages = new Map(pages.map((p) => [p.path, { path: p.path, expectedStatus: p.status, checks: {} }]));
    this.failures = [];
  }
  set(page, check, result) {
    this.pages.get(page).checks[check] = result;
  }
  fail(page, check, rule, message, extra = {}) {
    this.failures.push({ page, check, rule, message, ...extra });
  }
}

function isLoopback(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return true;
  }
  if (!['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(u.protocol)) return true; // data:, blob:, about:
  return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/** A page whose requests to other hosts are aborted and recorded against the current path. */
async function guardedPage(context, report, track) {
  const page = await context.newPage();
  const state = { current: null };
  const record = (url, kind) => {
    const where = state.current || '(before any page)';
    report.fail(where, 'requests', 'outside-request', `${kind} to another host was blocked: ${url}`, { track, url });
  };
  await page.route((url) => !isLoopback(url.href), async (route) => {
    record(route.request().url(), `a request (${route.request().resourceType()})`);
    await route.abort('blockedbyclient');
  });
  await page.routeWebSocket((url) => !isLoopback(url.href), (ws) => {
    record(ws.url(), 'a WebSocket');
    ws.close();
  });
  page.setDefaultTimeout(NAV_TIMEOUT);
  return { page, state };
}

async function visit(guard, base, spec, report, check) {
  guard.state.current = spec.path;
  const response = await guard.page.goto(base + spec.path, { waitUntil: 'load', timeout: NAV_TIMEOUT });
  const status = response ? response.status() : 0;
  if (check && status !== spec.status) {
    report.fail(spec.path, 'status', 'http-status', `served with status ${status}, expected ${spec.status}`);
  }
  return status;
}

async function runAxe(page, axeSource, options, configure = null) {
  const loaded = await page.evaluate('typeof window.axe');
  if (loaded !== 'object') await page.addScriptTag({ content: axeSource });
  return page.evaluate(async ([opts, config]) => {
    if (config) window.axe.configure(config);
    const result = await window.axe.run(document, opts);
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
    }));
  }, [options, configure]);
}

function axeFailures(report, pagePath, check, violations) {
  for (const v of violations) {
    for (const n of v.nodes) {
      report.fail(pagePath, check, v.rule, `${v.help} (${v.impact})`, { target: n.target, html: n.html });
    }
  }
}

function slug(p) {
  const s = p.replace(/^\/+|\/+$/g, '').replace(/[^\p{L}\p{N}]+/gu, '-');
  return s || 'home';
}

// --- Track 1: JavaScript on (keyboard, axe, content, screenshots, mobile, print)

async function keyboardCheck(page, pagePath, report) {
  const focusables = await inPage(page, pageFocusables);
  const result = { focusable: focusables.length, reached: 0, firstTab: null, missing: [], noIndicator: [], tabs: 0 };
  const seen = new Set();
  const limit = Math.min(focusables.length + 25, 400);
  let previous = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    result.tabs++;
    const f = await inPage(page, pageFocused);
    if (i === 0) {
      result.firstTab = f ? f.element : '(nothing)';
      if (!f || !f.skipLink) {
        report.fail(pagePath, 'keyboard', 'skip-link-first', `the first Tab reached ${result.firstTab}, not the skip link (.skip-link)`);
      }
    }
    if (!f) {
      if (seen.size > 0) break; // past the last element: focus left the document
      continue;
    }
    const key = f.id ?? f.element;
    if (seen.has(key)) {
      if (key === previous) {
        report.fail(pagePath, 'keyboard', 'focus-trap', `Tab does not move on from ${f.element}`);
      }
      break; // wrapped around
    }
    seen.add(key);
    previous = key;
    if (!f.indicator) {
      result.noIndicator.push(f.element);
      report.fail(pagePath, 'keyboard', 'focus-visible', `no visible focus indicator on ${f.element} (outline: ${f.outline}; box-shadow: ${f.boxShadow})`);
    }
  }
  result.reached = seen.size;
  focusables.forEach((element, i) => {
    if (!seen.has(String(i))) {
      result.missing.push(element);
      report.fail(pagePath, 'keyboard', 'tab-reachable', `Tab never reached ${element} (${result.tabs} presses)`);
    }
  });
  // The skip link works: Enter on it moves focus to its target.
  const skip = page.locator('.skip-link').first();
  if ((await skip.count()) > 0) {
    await skip.focus();
    await page.keyboard.press('Enter');
    result.skipLink = await inPage(page, (_arg, describe) => {
      const href = document.querySelector('.skip-link').getAttribute('href') || '';
      const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
      const active = document.activeElement;
      return { href, target: target ? target.tagName.toLowerCase() + (target.id ? '#' + target.id : '') : null, focused: !!target && target.contains(active) };
    });
    if (!result.skipLink.focused) {
      report.fail(pagePath, 'keyboard', 'skip-link-target',
        `Enter on the skip link (${result.skipLink.href}) did not move focus to ${result.skipLink.target || 'an element of this page'}`);
    }
  }
  // Leave no focus behind for the checks that follow.
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  return result;
}

async function printCheck(page, pagePath, report) {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: null });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  if (pages !== 1) {
    report.fail(pagePath, 'print', 'print-one-a4-page', `printed on A4 it takes ${pages} pages, not one`);
  }
  return { format: 'A4', pages };
}

async function jsTrack(browser, opts, tools, report, content) {
  const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
  const guard = await guardedPage(context, report, 'javascript');
  const { page } = guard;
  const shots = [];
  for (const spec of opts.pages) {
    const p = spec.path;
    try {
      await page.setViewportSize(DESKTOP);
      await visit(guard, opts.base, spec, report, true);
      report.set(p, 'keyboard', await keyboardCheck(page, p, report));

      const violations = await runAxe(page, tools.axeSource, {
        runOnly: { type: 'tag', values: AXE_TAGS },
        resultTypes: ['violations'],
      });
      axeFailures(report, p, 'axe', violations);
      report.set(p, 'axe', { tags: AXE_TAGS, violations });

      content.set(p, await inPage(page, pageContent));

      if (opts.screenshots && opts.screenshotPages.includes(p)) {
        for (const width of SCREENSHOT_WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          const file = path.join(opts.screenshots, `${slug(p)}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          shots.push(file);
        }
      }

      await page.setViewportSize(MOBILE);
      const mobile = await inPage(page, pageMobile, TAP_TARGETS);
      if (mobile.scrollWidth > mobile.clientWidth) {
        report.fail(p, 'mobile', 'no-horizontal-scroll',
          `at ${MOBILE.width}px the page scrolls sideways (scrollWidth ${mobile.scrollWidth} > ${mobile.clientWidth})` +
          (mobile.overflowing.length ? `; too wide: ${mobile.overflowing.join(', ')}` : ''));
      }
      for (const t of mobile.tapTargets) {
        if (t.width < MIN_TAP || t.height < MIN_TAP) {
          report.fail(p, 'mobile', 'tap-target-44', `${t.target} is ${t.width}×${t.height} px at ${MOBILE.width}px, smaller than ${MIN_TAP}×${MIN_TAP}`);
        }
      }
      report.set(p, 'mobile', { viewport: MOBILE, ...mobile });

      if (opts.printPages.includes(p)) {
        await page.setViewportSize(DESKTOP);
        report.set(p, 'print', await printCheck(page, p, report));
      }
    } catch (e) {
      report.fail(p, 'javascript', 'gate-error', `the checks with JavaScript on could not run: ${e.message.split('\n')[0]}`);
    }
  }
  await context.close();
  return shots;
}

// --- Track 2: JavaScript off (content, large text through :target)

async function noJsTrack(browser, opts, report) {
  const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  const guard = await guardedPage(context, report, 'no-javascript');
  const { page } = guard;
  const results = new Map();
  for (const spec of opts.pages) {
    const p = spec.path;
    try {
      const status = await visit(guard, opts.base, spec, report, false);
      const found = await inPage(page, pageContent);
      const link = page.locator('a[data-text-size="large"]').first();
      let largeText = null;
      if ((await link.count()) === 0) {
        report.fail(p, 'no-js', 'large-text-control', 'there is no 大字模式 link (a[data-text-size="large"])');
      } else {
        await link.click();
        await page.waitForFunction(() => location.hash === '#large-text', null, { timeout: 3000 }).catch(() => {});
        largeText = { hash: await page.evaluate(() => location.hash), ...(await inPage(page, pageTextSize)) };
        if (largeText.rootFontPx < LARGE_ROOT_PX || largeText.lineHeight < MIN_LINE_HEIGHT) {
          report.fail(p, 'no-js', 'large-text-without-js',
            `without JavaScript the 大字模式 link (→ ${largeText.hash || 'no #large-text'}) gives a ${largeText.rootFontPx}px root font and line height ${largeText.lineHeight}; ` +
            `expected ≥ ${LARGE_ROOT_PX}px and ≥ ${MIN_LINE_HEIGHT}`);
        }
      }
      results.set(p, { status, ...found, largeText });
    } catch (e) {
      report.fail(p, 'no-js', 'gate-error', `the checks with JavaScript off could not run: ${e.message.split('\n')[0]}`);
    }
  }
  await context.close();
  return results;
}

// --- Track 3: large-text mode with JavaScript (switch, memory, AAA contrast)

async function largeTextTrack(browser, opts, tools, report) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const guard = await guardedPage(context, report, 'large-text');
  const { page } = guard;
  let chosenOn = null; // the page where large text was last switched on
  const visitAndCheckMemory = async (spec) => {
    await visit(guard, opts.base, spec, report, false);
    const now = await inPage(page, pageTextSize);
    if (chosenOn && (!now.largeClass || now.rootFontPx < LARGE_ROOT_PX)) {
      report.fail(spec.path, 'large-text', 'large-text-remembered',
        `large text chosen on ${chosenOn} was not kept here (root font ${now.rootFontPx}px, stored ${JSON.stringify(now.stored)})`);
    }
    return now;
  };
  for (const spec of opts.pages) {
    const p = spec.path;
    const result = {};
    try {
      const arrived = await visitAndCheckMemory(spec);
      result.onArrival = arrived;
      if (arrived.largeClass) {
        // Back to the standard size first, so the switch itself is tested here.
        await page.locator('a[data-text-size="normal"]').first().click();
        result.normal = await inPage(page, pageTextSize);
        if (result.normal.largeClass || result.normal.stored !== '0') {
          report.fail(p, 'large-text', 'standard-size-control', `the 标准字号 link did not switch large text off (${JSON.stringify(result.normal)})`);
        }
      } else {
        result.normal = arrived;
      }
      if (result.normal.rootFontPx < BASE_ROOT_PX) {
        report.fail(p, 'large-text', 'base-text-18px', `the base text is ${result.normal.rootFontPx}px, less than ${BASE_ROOT_PX}px`);
      }
      chosenOn = null;
      const link = page.locator('a[data-text-size="large"]').first();
      if ((await link.count()) === 0) {
        report.fail(p, 'large-text', 'large-text-control', 'there is no 大字模式 link (a[data-text-size="large"])');
        report.set(p, 'largeText', result);
        continue;
      }
      await link.click();
      result.large = await inPage(page, pageTextSize);
      if (result.large.rootFontPx < LARGE_ROOT_PX || result.large.lineHeight < MIN_LINE_HEIGHT) {
        report.fail(p, 'large-text', 'large-text-size',
          `after clicking 大字模式 the root font is ${result.large.rootFontPx}px and line height ${result.large.lineHeight}; expected ≥ ${LARGE_ROOT_PX}px and ≥ ${MIN_LINE_HEIGHT}`);
      }
      if (result.large.stored !== '1') {
        report.fail(p, 'large-text', 'large-text-remembered', `the choice was not stored (localStorage anxin-large-text = ${JSON.stringify(result.large.stored)})`);
      } else {
        chosenOn = p;
      }
      const violations = await runAxe(page, tools.axeSource, {
        runOnly: { type: 'rule', values: ['color-contrast', 'color-contrast-enhanced'] },
        resultTypes: ['violations'],
      }, ENHANCED_CONTRAST);
      axeFailures(report, p, 'large-text', violations);
      result.contrastViolations = violations;
    } catch (e) {
      report.fail(p, 'large-text', 'gate-error', `the large-text checks could not run: ${e.message.split('\n')[0]}`);
    }
    report.set(p, 'largeText', result);
  }
  // The last page's choice must carry over too: back to the first page.
  if (chosenOn && opts.pages.length > 0) {
    try {
      const back = await visitAndCheckMemory(opts.pages[0]);
      report.set(opts.pages[0].path, 'largeTextRemembered', { from: chosenOn, ...back });
    } catch (e) {
      report.fail(opts.pages[0].path, 'large-text', 'gate-error', `could not check that large text is remembered: ${e.message.split('\n')[0]}`);
    }
  }
  await context.close();
}

// ---------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tools = loadTools();
  const started = Date.now();
  const report = new Report(opts.pages);
  const browser = await tools.chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    timeout: 30000,
  });
  let shots = [];
  try {
    const content = new Map();
    const [jsShots, noJs] = await Promise.all([
      jsTrack(browser, opts, tools, report, content),
      noJsTrack(browser, opts, report),
      largeTextTrack(browser, opts, tools, report),
    ]);
    shots = jsShots;
    for (const spec of opts.pages) {
      const p = spec.path;
      const withJs = content.get(p);
      const without = noJs.get(p);
      if (!withJs || !without) continue;
      report.set(p, 'noJs', { withJs, withoutJs: { h1: without.h1, mainText: without.mainText }, largeText: without.largeText });
      if (!without.h1 || without.h1 !== withJs.h1) {
        report.fail(p, 'no-js', 'content-without-js', `without JavaScript the <h1> is ${JSON.stringify(without.h1)}, with it ${JSON.stringify(withJs.h1)}`);
      }
      // Without JavaScript a page may say more (the search page's <noscript>
      // note), never less.
      if (without.mainText === 0 || without.mainText < withJs.mainText) {
        report.fail(p, 'no-js', 'content-without-js', `without JavaScript <main> has ${without.mainText} characters of text, with it ${withJs.mainText}`);
      }
    }
  } finally {
    await browser.close();
  }

  // Failures in page order, then by check, so the output reads page by page.
  const order = new Map(opts.pages.map((pg, i) => [pg.path, i]));
  const rank = (f) => order.get(f.page) ?? opts.pages.length;
  report.failures.sort((a, b) => rank(a) - rank(b) || a.check.localeCompare(b.check));
  const pages = [...report.pages.values()].map((pg) => ({
    ...pg,
    ok: !report.failures.some((f) => f.page === pg.path),
  }));
  const out = {
    ok: report.failures.length === 0,
    base: opts.base,
    chromium: CHROMIUM,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    screenshots: opts.screenshots ? { folder: opts.screenshots, files: shots } : null,
    failures: report.failures,
    pages,
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  for (const f of report.failures) {
    console.error(`FAIL ${f.page} ${f.check} ${f.rule}: ${f.message}${f.target ? ` — ${f.target}` : ''}`);
  }
  if (opts.screenshots) console.error(`screenshots: ${opts.screenshots}`);
  console.error(`${out.ok ? 'passed' : 'FAILED'}: ${opts.pages.length} page(s), ${report.failures.length} failure(s), ${out.seconds} s`);
  process.exit(out.ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`gate.mjs: ${e.stack || e}`);
  process.exit(2);
});

#!/usr/bin/env node
// The site search in a real browser: Debian's Chromium through
// playwright-core, against `anxin serve` of the demo site. A resident's
// steps: type a query into /search/ key by key, read the results as they
// appear, move through them with the keyboard, open /search/?q=… from a
// link. Checks, for each case given:
//
//   first     the first result links to the expected address and shows the title
//   status    the aria-live status says how many were found (or that none were)
//   url       the address bar carries ?q= for the query typed
//   keyboard  ArrowDown from the box focuses the first result; Escape returns
//   escaped   the results hold no element but li, a, span, p and mark (text
//             from the index never becomes markup)
//
// Usage: node tests/browser/search.mjs --base http://127.0.0.1:1111 --cases FILE
// where FILE is a JSON list of {"page": "/search/", "query": "心理援助",
// "type": true|false, "first": "/hotlines/#hotline-12356", "title": "…"}
// ("first": null expects no result). Prints a JSON report on stdout and one
// line per failure on stderr; exit 0 when every case passed, 1 when one
// failed, 2 on a setup error.

import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.ANXIN_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const WAIT = 10000;

function usage(message) {
  console.error(`search.mjs: ${message}`);
  console.error('usage: node tests/browser/search.mjs --base URL --cases FILE');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { base: null, cases: null };
  for (let i = 0; i < argv.length; i++) {
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${argv[i]} needs a value`));
    if (argv[i] === '--base') opts.base = value().replace(/\/$/, '');
    else if (argv[i] === '--cases') opts.cases = JSON.parse(readFileSync(value(), 'utf8'));
    else usage(`unknown argument ${argv[i]}`);
  }
  if (!opts.base || !Array.isArray(opts.cases)) usage('--base and --cases are required');
  return opts;
}

async function runCase(page, base, c, fail) {
  const result = { ...c };
  if (c.type) {
    await page.goto(base + c.page, { waitUntil: 'load' });
    const box = page.locator('#search-q');
    await box.click();
    // Key by key, as a person types: each keystroke may start a search.
    await box.pressSequentially(c.query, { delay: 40 });
  } else {
    await page.goto(`${base}${c.page}?q=${encodeURIComponent(c.query)}`, { waitUntil: 'load' });
  }
  const status = page.locator('.search-status');
  // Done when the search of the whole query has finished: the address carries
  // it (each run sets it as it starts), the status is neither empty nor the
  // "searching" text, and the results are listed (a run for a part of the
  // query, typed before a pause, may have finished first and been cleared).
  const loading = await page.locator('#search').getAttribute('data-loading');
  await page.waitForFunction(
    ({ query, loadingText, expectResults }) => {
      const s = document.querySelector('.search-status');
      const asked = new URL(location.href).searchParams.get('q');
      if (asked !== query || !s || s.textContent.trim() === '' || s.textContent === loadingText) return false;
      return !expectResults || document.querySelector('.search-results > li > a') !== null;
    },
    { query: c.query, loadingText: loading, expectResults: c.first !== null },
    { timeout: WAIT },
  ).catch(async (e) => {
    // Say what the page showed when it gave up.
    const shown = await page.evaluate(() => ({
      address: location.href,
      box: document.querySelector('#search-q')?.value,
      status: document.querySelector('.search-status')?.textContent,
      results: document.querySelectorAll('.search-results > li').length,
    }));
    throw new Error(`${e.message.split('\n')[0]}; the page showed ${JSON.stringify(shown)}`);
  });
  result.status = (await status.textContent()).trim();
  result.address = page.url();
  const links = page.locator('.search-results > li > a');
  result.count = await links.count();
  if (c.first === null) {
    if (result.count !== 0) fail(c, 'first', `expected no result, got ${result.count}`);
    const none = (await page.locator('#search').getAttribute('data-none')).replace('{q}', c.query.trim());
    if (result.status !== none) fail(c, 'status', `the status reads ${JSON.stringify(result.status)}, expected ${JSON.stringify(none)}`);
    return result;
  }
  if (result.count === 0) {
    fail(c, 'first', `no result; the status reads ${JSON.stringify(result.status)}`);
    return result;
  }
  const first = links.first();
  result.firstHref = await first.getAttribute('href');
  result.firstTitle = (await first.textContent()).trim();
  if (!result.firstHref.endsWith(c.first)) {
    fail(c, 'first', `the first result links to ${result.firstHref}, expected …${c.first}`);
  }
  if (c.title && result.firstTitle !== c.title) {
    fail(c, 'first', `the first result is titled ${JSON.stringify(result.firstTitle)}, expected ${JSON.stringify(c.title)}`);
  }
  if (!/\d/.test(result.status)) fail(c, 'status', `the status does not give the number found: ${JSON.stringify(result.status)}`);
  const live = await status.getAttribute('aria-live');
  if (live !== 'polite') fail(c, 'status', `the status is not announced (aria-live=${live})`);
  if (new URL(result.address).searchParams.get('q') !== c.query) {
    fail(c, 'url', `the address ${result.address} does not carry q=${c.query}`);
  }
  const marks = await page.locator('.search-results mark').count();
  const foreign = await page.evaluate(() =>
    [...document.querySelectorAll('.search-results *')]
      .map((e) => e.tagName.toLowerCase())
      .filter((t) => !['li', 'a', 'span', 'p', 'mark'].includes(t)));
  result.marks = marks;
  if (foreign.length) fail(c, 'escaped', `the results hold elements no result should: ${foreign.join(', ')}`);
  if (marks === 0) fail(c, 'escaped', 'no snippet marks the match');
  // Keyboard: from the box to the first result and back.
  await page.locator('#search-q').focus();
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('href'));
  if (focused !== result.firstHref) fail(c, 'keyboard', `ArrowDown from the box focused ${focused}, not the first result`);
  await page.keyboard.press('Escape');
  const back = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (back !== 'search-q') fail(c, 'keyboard', `Escape went to #${back}, not back to the box`);
  return result;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    console.error(`search.mjs: the npm package playwright-core is missing (run \`npm ci\`): ${e.message}`);
    process.exit(2);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`search.mjs: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30000 });
  const failures = [];
  const results = [];
  const fail = (c, check, message) => failures.push({ page: c.page, query: c.query, check, message });
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    // (Requests to other hosts are the accessibility gate's to catch; routing
    // every request through playwright here made fetches of files the
    // browser had cached hang now and then.)
    for (const c of opts.cases) {
      try {
        results.push(await runCase(page, opts.base, c, fail));
      } catch (e) {
        fail(c, 'error', e.message.split('\n')[0]);
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ ok: failures.length === 0, failures, results }, null, 2) + '\n');
  for (const f of failures) console.error(`FAIL ${f.page} ${JSON.stringify(f.query)} ${f.check}: ${f.message}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`search.mjs: ${e.stack || e}`);
  process.exit(2);
});

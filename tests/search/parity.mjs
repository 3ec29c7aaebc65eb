// Runs queries through themes/default/static/search.js under Node against an
// index written to disk, and prints what it found and fetched as JSON, for
// tests/search_client.rs to compare with the Rust twin (src/search/query.rs).
//
//   node tests/search/parity.mjs INDEX_DIR QUERIES_JSON
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { Engine } = require('../../themes/default/static/search.js');
const [dir, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(await readFile(queriesFile, 'utf8'));

const out = [];
for (const query of queries) {
  // A fresh engine per query, so each lists every file it needs.
  const fetched = [];
  const engine = Engine(async (p) => {
    fetched.push(p);
    return JSON.parse(await readFile(path.join(dir, p), 'utf8'));
  });
  const found = await engine.match(query);
  const hits = found.ranked.length ? await engine.page(found, 0, 10) : [];
  out.push({ query, matches: found.ranked.length, hits, fetched });
}
process.stdout.write(JSON.stringify(out));

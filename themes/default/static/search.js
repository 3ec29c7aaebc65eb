// anxin site search. The index and these rules are described in
// src/search/mod.rs; src/search/{tokenize,query,snippet}.rs do the same steps
// in Rust, so a change here is a change there. No framework: text from the
// index only ever reaches the page through textContent.
(function () {
  'use strict';
  const PAGE = 10, MAX_TOKENS = 16, MAX_WORD = 32, VERSION = 2;
  const SEP = 0, HAN = 1, WORD = 2;
  const LETTER = /[\p{Alphabetic}\p{N}]/u;

  function isHan(n) {
    return (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x4E00 && n <= 0x9FFF) ||
      (n >= 0xF900 && n <= 0xFAFF) || (n >= 0x20000 && n <= 0x2FA1F);
  }
  function kind(c) { return isHan(c.codePointAt(0)) ? HAN : LETTER.test(c) ? WORD : SEP; }
  // Full-width ASCII to ASCII, then lower case if that is one character.
  function fold(c) {
    const n = c.codePointAt(0);
    if (n >= 0xFF01 && n <= 0xFF5E) c = String.fromCodePoint(n - 0xFEE0);
    const l = c.toLowerCase();
    return [...l].length === 1 ? l : c;
  }
  function runs(text) {
    const out = [];
    let open = SEP;
    for (const ch of text) {
      const c = fold(ch), k = kind(c);
      if (k !== SEP && k === open) out[out.length - 1].text += c;
      else if (k !== SEP) out.push({ han: k === HAN, text: c });
      open = k;
    }
    return out;
  }
  // Tokens as the index holds them: Han runs as adjacent pairs (one
  // character alone as itself), words whole; the last word is a prefix while
  // the query does not end with a separator.
  // The index keeps a word's first MAX_WORD characters.
  function keptWord(word) { const cs = [...word]; return cs.length > MAX_WORD ? cs.slice(0, MAX_WORD).join('') : word; }
  function queryTerms(q) {
    const t = { tokens: [], prefix: null, phrase: '' };
    const push = s => { if (t.tokens.length < MAX_TOKENS && !t.tokens.includes(s)) t.tokens.push(s); };
    const rs = runs(q);
    for (const r of rs) {
      t.phrase += r.text;
      const cs = [...r.text];
      if (r.han && cs.length > 1) for (let i = 1; i < cs.length; i++) push(cs[i - 1] + cs[i]);
      else push(r.han ? r.text : keptWord(r.text));
    }
    const chars = [...q], last = rs[rs.length - 1];
    if (last && !last.han && kind(fold(chars[chars.length - 1])) === WORD && t.tokens.includes(keptWord(last.text))) t.prefix = keptWord(last.text);
    return t;
  }

  const utf8 = new TextEncoder();
  function fnv1a(s) {
    let h = 0x811c9dc5;
    for (const b of utf8.encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return h;
  }
  // Postings: per entry gap*15 + mask-1, as base-34 digits ']'..'~' then one
  // base-57 digit '#'..'['.
  function decode(s, exact) {
    const out = [];
    let q = 0, next = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x5D) { q = q * 34 + c - 0x5D; continue; }
      const n = q * 57 + c - 0x23, id = next + Math.floor(n / 15);
      out.push({ id, mask: n % 15 + 1, exact });
      next = id + 1; q = 0;
    }
    return out;
  }
  function weight(m) {
    const w = (m.mask & 1 ? 8 : 0) + (m.mask & 8 ? 5 : 0) + (m.mask & 2 ? 3 : 0) + (m.mask & 4 ? 1 : 0);
    return m.exact ? w * 2 : w;
  }
  function find(list, id) {
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid].id < id) lo = mid + 1; else hi = mid; }
    return lo < list.length && list[lo].id === id ? list[lo] : null;
  }
  function rank(lists) {
    const sorted = lists.slice().sort((a, b) => a.length - b.length), out = [];
    next: for (const m of sorted[0]) {
      const c = { id: m.id, score: weight(m), title: (m.mask & 1) !== 0 };
      for (const list of sorted.slice(1)) {
        const o = find(list, m.id);
        if (!o) continue next;
        c.score += weight(o);
        c.title = c.title && (o.mask & 1) !== 0;
      }
      out.push(c);
    }
    return out.sort((a, b) => (b.title - a.title) || (b.score - a.score) || (a.id - b.id));
  }

  // Text folded for matching, separators dropped, with where each
  // character came from (for cutting the snippet from the original).
  function folded(text) {
    const f = { orig: [...text], chars: [], at: [], start: [] };
    let prev = SEP;
    f.orig.forEach((ch, i) => {
      const c = fold(ch), k = kind(c);
      if (k !== SEP) { f.chars.push(c); f.at.push(i); f.start.push(k !== WORD || prev !== WORD); }
      prev = k;
    });
    return f;
  }
  function indexOf(f, needle) {
    if (!needle.length) return -1;
    const latin = kind(needle[0]) === WORD;
    outer: for (let i = 0; i + needle.length <= f.chars.length; i++) {
      if (latin && !f.start[i]) continue;
      for (let j = 0; j < needle.length; j++) if (f.chars[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  }
  const hasPhrase = (text, phrase) => indexOf(folded(text), [...phrase]) >= 0;
  const LEAD = 30, LENGTH = 110;
  function cut(f, i, len) {
    const a = f.at[i], b = f.at[i + len - 1] + 1, from = Math.min(Math.max(0, a - LEAD), Math.max(0, f.orig.length - LENGTH));
    const to = Math.min(b + Math.max(LENGTH - (b - from), LEAD), f.orig.length);
    return [(from > 0 ? '…' : '') + f.orig.slice(from, a).join(''), f.orig.slice(a, b).join(''),
      f.orig.slice(b, to).join('') + (to < f.orig.length ? '…' : '')];
  }
  function snippet(description, body, phrase, tokens) {
    const texts = [folded(description), folded(body)], p = [...phrase];
    for (const f of texts) { const i = indexOf(f, p); if (i >= 0) return cut(f, i, p.length); }
    for (const f of texts) {
      let best = null;
      for (const t of tokens.map(t => [...t])) {
        const i = indexOf(f, t);
        if (i >= 0 && (!best || i < best[0] || (i === best[0] && t.length > best[1]))) best = [i, t.length];
      }
      if (best) return cut(f, best[0], best[1]);
    }
    const f = texts.find(f => f.orig.length);
    return f ? [f.orig.slice(0, LENGTH).join('') + (f.orig.length > LENGTH ? '…' : ''), '', ''] : ['', '', ''];
  }

  // The index behind `load(path, build)`, a promise of parsed JSON. Each
  // file is asked for once a session; a failed one may be asked again.
  function Engine(load) {
    const cache = new Map();
    let meta = null;
    const get = path => {
      if (!cache.has(path)) {
        const p = load(path, meta && meta.build);
        p.catch(() => cache.delete(path));
        cache.set(path, p);
      }
      return cache.get(path);
    };
    const shardOf = t => fnv1a(t) % meta.shards;
    async function shards(tokens) {
      const ns = [...new Set(tokens.map(shardOf))];
      const got = await Promise.all(ns.map(n => get('t/' + n + '.json')));
      return new Map(ns.map((n, i) => [n, got[i]]));
    }
    const postings = (sh, t, exact) => {
      const s = sh.get(shardOf(t)).t[t];
      return s ? decode(s, exact) : [];
    };
    async function withCompletions(sh, prefix, list) {
      const rest = sh.get(shardOf(prefix)).p;
      if (!rest || !rest[prefix]) return list;
      const words = rest[prefix].map(r => prefix + r), more = await shards(words);
      for (const w of words) list = list.concat(postings(more, w, false));
      list.sort((a, b) => a.id - b.id);
      const merged = [];
      for (const m of list) {
        const last = merged[merged.length - 1];
        if (last && last.id === m.id) { last.mask |= m.mask; last.exact = last.exact || m.exact; } else merged.push(m);
      }
      return merged;
    }
    // Every entry holding all the tokens, best first.
    async function match(query) {
      const terms = queryTerms(query), none = { terms, ranked: [] };
      if (!terms.tokens.length) return none;
      if (!meta) {
        meta = await get('meta.json');
        if (meta.version !== VERSION || meta.hash !== 'fnv1a32') { meta = null; throw new Error('index version'); }
      }
      const sh = await shards(terms.tokens), lists = [];
      for (const t of terms.tokens) {
        let list = postings(sh, t, true);
        if (t === terms.prefix && [...t].length >= meta.prefix) list = await withCompletions(sh, t, list);
        if (!list.length) return none;
        lists.push(list);
      }
      return { terms, ranked: rank(lists) };
    }
    // Results from..from+n of a match, exact phrases first among them.
    async function page(found, from, n) {
      const { phrase, tokens } = found.terms;
      const cs = found.ranked.slice(from, from + n);
      const fs = await Promise.all(cs.map(c => get('f/' + c.id + '.json')));
      const rows = cs.map((c, i) => {
        const f = fs[i], inTitle = hasPhrase(f.t, phrase);
        return { c, f, inTitle, any: inTitle || hasPhrase(f.d, phrase) || hasPhrase(f.b, phrase) };
      });
      rows.sort((a, b) => (b.inTitle - a.inTitle) || (b.c.title - a.c.title) || (b.any - a.any) ||
        (b.c.score - a.c.score) || (a.c.id - b.c.id));
      return rows.map(r => ({ url: r.f.u, title: r.f.t, kind: r.f.k, snippet: snippet(r.f.d, r.f.b, phrase, tokens) }));
    }
    return { match, page };
  }

  if (typeof module === 'object' && module.exports) module.exports = { queryTerms, Engine }; // for tests/search_client.rs
  if (typeof document === 'undefined') return;
  const box = document.getElementById('search');
  if (!box) return;

  const $ = sel => box.querySelector(sel);
  const form = $('form'), input = $('input[name=q]'), status = $('[aria-live]'), list = $('ol'), more = $('.search-more');
  const text = (key, vars) => (box.dataset[key] || '').replace(/\{(\w+)\}/g, (_, k) => vars && k in vars ? vars[k] : '');
  const index = box.dataset.index.replace(/\/?$/, '/'), base = (box.dataset.base || '').replace(/\/$/, '');
  const engine = Engine((path, build) => fetch(index + path + (build ? '?v=' + build : ''))
    .then(r => { if (!r.ok) throw new Error(r.status); return r.json(); }));
  let found = null, shown = 0, seq = 0, timer = 0;

  function el(tag, cls, content) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content) e.textContent = content;
    return e;
  }
  function item(h) {
    const li = el('li'), a = el('a', null, h.title);
    a.href = base + h.url;
    li.append(a);
    const label = text('kind' + h.kind[0].toUpperCase() + h.kind.slice(1));
    if (h.kind !== 'page' && label) li.append(' ', el('span', 'search-kind', label));
    li.append(el('p', 'search-url', h.url));
    const p = el('p', 'search-snippet', h.snippet[0]);
    if (h.snippet[1]) p.append(el('mark', null, h.snippet[1]), h.snippet[2]);
    li.append(p);
    return li;
  }
  async function showMore(focus) {
    const my = seq;
    more.disabled = true;
    const hits = await engine.page(found, shown, PAGE).finally(() => { more.disabled = false; });
    if (my !== seq) return;
    const items = hits.map(item);
    list.append(...items);
    shown += hits.length;
    more.hidden = shown >= found.ranked.length;
    if (focus && items[0]) items[0].querySelector('a').focus();
  }
  function fail() { status.textContent = text('error'); more.hidden = true; }
  async function run(q) {
    const my = ++seq;
    const url = new URL(location.href);
    if (q.trim()) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    list.replaceChildren();
    more.hidden = true;
    found = null; shown = 0;
    if (!q.trim()) { status.textContent = ''; return; }
    status.textContent = text('loading');
    try {
      const f = await engine.match(q);
      if (my !== seq) return;
      found = f;
      const n = f.ranked.length;
      status.textContent = n ? text(n === 1 && box.dataset.foundOne ? 'foundOne' : 'found', { n }) : text('none', { q: q.trim() });
      if (f.ranked.length) await showMore(false);
    } catch (e) {
      if (my === seq) fail();
    }
  }

  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 150); });
  form.addEventListener('submit', e => { e.preventDefault(); clearTimeout(timer); run(input.value); });
  more.addEventListener('click', () => showMore(true).catch(fail));
  input.addEventListener('keydown', e => {
    const first = list.querySelector('a');
    if (e.key === 'ArrowDown' && first) { e.preventDefault(); first.focus(); }
  });
  list.addEventListener('keydown', e => {
    const links = [...list.querySelectorAll('li > a')], i = links.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); input.focus(); return; }
    if (i < 0 || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    const to = links[i + (e.key === 'ArrowDown' ? 1 : -1)];
    (to || (e.key === 'ArrowUp' ? input : links[i])).focus();
  });
  const q = new URLSearchParams(location.search).get('q');
  if (q) { input.value = q; run(q); }
})();

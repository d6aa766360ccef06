// The search page: Pagefind bundles (one or more per record type) merged with mergeIndex, filters from the form,
// the query kept in the address (/search/?q=...&type=...) so a search can be shared. Loaded as a module file;
// no inline script, so the site works under a strict Content-Security-Policy.
const PAGE_SIZE = 20;
const form = document.getElementById("procure-search");
const statusBox = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreWrap = document.getElementById("search-more-wrap");
const moreButton = document.getElementById("search-more");
const root = new URL(form.getAttribute("data-root") || "../", document.baseURI);
// every filter the form offers (templates/sections/search.html) must be listed here, or choosing it does nothing
const FILTERS = ["buyer", "supplier", "status", "year", "method", "cpv_division", "closing", "theme", "sdg", "rating",
  "role", "indicator", "contract"];  // issue 13: "After award" (changed, terminated, framework, call-off, KPI ratings)
const FIELDS = ["q", "type", ...FILTERS, "value_from", "value_to", "sort"];
// the value bands every award and tender carries (site_builder/search_facets.py): lower edge, upper edge, label
const BANDS = Array.from(document.getElementById("search-value-bands").content.querySelectorAll("data"), (d) => ({
  lower: Number(d.value), upper: d.dataset.upper ? Number(d.dataset.upper) : Infinity, label: d.textContent }));
const csvWrap = document.getElementById("search-csv-wrap");
const csvButton = document.getElementById("search-csv");
const filterPanel = document.getElementById("search-filter-panel");
const narrow = window.matchMedia("(max-width: 44.9375em)");

let bundlesByType = null;
const instances = new Map(); // scope → Pagefind module instance
let current = null; // the search whose results are on screen
let searchNumber = 0;
// Each bundle's entry offers two page lists (site_builder/search_stable.py): "en" without the sort orders, which
// a search by relevance needs and which is a third smaller, and "en-x-sorted" with them, for a sorted search.
const LANGUAGE = "en";
const SORTED_LANGUAGE = "en-x-sorted";

async function loadBundles() {
  if (!bundlesByType) {
    const response = await fetch(new URL("pagefind/bundles.json", root));
    bundlesByType = await response.json();
  }
  return bundlesByType;
}

// One Pagefind instance per scope (record type, sorted or not). Each scope imports pagefind.js under its own
// address (a query string), so the browser keeps separate module instances, all from pagefind/engine/: an index
// of no pages into which the scope's bundles are merged with mergeIndex, each under the page list it needs (only
// merged indexes can be opened under another language than the page's). Script, worker and WebAssembly have the
// same addresses in every scope, so the browser fetches them once.
async function pagefindFor(typeLabel, sorted) {
  const scope = (typeLabel || "*") + (sorted ? ":sorted" : "");
  if (instances.has(scope)) return instances.get(scope);
  const bundles = await loadBundles();
  const paths = typeLabel ? (bundles[typeLabel] || []) : Object.values(bundles).flat();
  if (!paths.length) return null;
  const promise = (async () => {
    const engine = new URL("pagefind/engine/", root);
    const pagefind = await import(new URL("pagefind.js?scope=" + encodeURIComponent(scope), engine).href);
    // noWorker: Pagefind searches on the page's own thread rather than in a web worker, whose script (40 KB, the
    // same code as pagefind.js) would be fetched on top of pagefind.js by every first search
    await pagefind.options({ baseUrl: root.pathname, noWorker: true });
    const language = sorted ? SORTED_LANGUAGE : LANGUAGE;
    for (const path of paths) {
      await pagefind.mergeIndex(new URL(path, root).href, { baseUrl: root.pathname, language });
    }
    return { pagefind, bundles: paths.map((p) => p.replace(/^pagefind\//, "").replace(/\/$/, "")) };
  })();
  instances.set(scope, promise);
  return promise;
}

function readForm() {
  const data = new FormData(form);
  const state = {};
  for (const key of FIELDS) state[key] = (data.get(key) || "").toString().trim();
  return state;
}

function writeForm(params) {
  for (const key of FIELDS) {
    const field = form.elements.namedItem(key);
    if (field && params.has(key)) field.value = params.get(key);
  }
}

function filtersOf(state) {
  const filters = {};
  for (const key of FILTERS) {
    if (state[key]) filters[key] = state[key];
  }
  if (state.value_from || state.value_to) {
    // "from £X up to £Y" is every band between the two edges: exact, as the edges are the bands' own
    const from = state.value_from ? Number(state.value_from) : 0;
    const to = state.value_to ? Number(state.value_to) : Infinity;
    const bands = BANDS.filter((b) => b.lower >= from && b.upper <= to).map((b) => b.label);
    filters.value_band = { any: bands.length ? bands : ["(no value range)"] };
  }
  return filters;
}

function sortOf(state) {
  if (!state.sort) return null;
  const [key, direction] = state.sort.split(":");
  return { key, direction: direction === "asc" ? "asc" : "desc" };
}

// Results of several bundles come back ordered by relevance across bundles. For a sort by date or value each
// bundle is searched on its own (the "bundle" filter) and the sorted lists are merged here, on the sort key every
// page carries in its metadata.
class SortedMerge {
  constructor(lists, sort) {
    this.lists = lists.map((results) => ({ results, next: 0, head: null }));
    this.sort = sort;
  }
  async head(cursor) {
    if (cursor.head === null && cursor.next < cursor.results.length) {
      cursor.head = await cursor.results[cursor.next].data();
    }
    return cursor.head;
  }
  key(data) {
    const raw = data.meta["sort_" + this.sort.key] || "";
    return this.sort.key === "value" ? parseFloat(raw) || 0 : raw;
  }
  async take(count) {
    const out = [];
    while (out.length < count) {
      let best = null;
      for (const cursor of this.lists) {
        const data = await this.head(cursor);
        if (!data) continue;
        if (!best) { best = { cursor, data }; continue; }
        const a = this.key(data), b = this.key(best.data);
        if (this.sort.direction === "asc" ? a < b : a > b) best = { cursor, data };
      }
      if (!best) break;
      out.push(best.data);
      best.cursor.head = null;
      best.cursor.next += 1;
    }
    return out;
  }
}

class RelevanceList {
  constructor(results) { this.results = results; this.next = 0; }
  async take(count) {
    const slice = this.results.slice(this.next, this.next + count);
    this.next += slice.length;
    return Promise.all(slice.map((r) => r.data()));
  }
}

function appendExcerpt(parent, excerpt) {
  // Pagefind's excerpt is escaped text with <mark> around matches; rebuild it as text nodes and <mark> elements
  const decode = (text) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  const parts = (excerpt || "").split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") { marked = true; continue; }
    if (part === "</mark>") { marked = false; continue; }
    if (!part) continue;
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = decode(part);
      parent.appendChild(mark);
    } else {
      parent.appendChild(document.createTextNode(decode(part)));
    }
  }
}

function renderResult(data) {
  const item = document.createElement("li");
  item.className = "procure-result";
  const title = document.createElement("a");
  title.className = "procure-result__title";
  title.href = data.url;
  title.textContent = data.meta.title || data.url;
  item.appendChild(title);
  const facts = [data.meta.type, data.meta.value, data.meta.buyer && "Buyer: " + data.meta.buyer,
    data.meta.supplier && "Supplier: " + data.meta.supplier, data.meta.when || data.meta.date].filter(Boolean);
  if (facts.length) {
    const meta = document.createElement("p");
    meta.className = "procure-result__meta";
    meta.textContent = facts.join(" · ");
    item.appendChild(meta);
  }
  const excerpt = document.createElement("p");
  // with words to find, the passage that matches them; without, the record's own summary (the start of the page
  // is headings and table captions, which read as template text)
  if (current && current.term) appendExcerpt(excerpt, data.excerpt);
  else excerpt.textContent = data.meta.summary || "";
  if (excerpt.textContent) item.appendChild(excerpt);
  return item;
}

async function showMore() {
  if (!current) return;
  const mine = current;
  const items = await mine.source.take(PAGE_SIZE);
  if (mine !== current) return;
  for (const data of items) list.appendChild(renderResult(data));
  mine.shown += items.length;
  moreWrap.hidden = mine.shown >= mine.total;
  return items.length;
}

function describe(state, total) {
  const parts = [total === 0 ? "No results" : `${total.toLocaleString("en-GB")} result${total === 1 ? "" : "s"}`];
  if (state.q) parts.push(`for “${state.q}”`);
  if (state.type) parts.push(`in ${state.type.toLowerCase()}s`);
  return parts.join(" ") + (total === 0 ? ". Try fewer words or fewer filters." : ".");
}

async function runSearch(state, { push } = { push: false }) {
  const number = ++searchNumber;
  const params = new URLSearchParams();
  for (const key of FIELDS) if (state[key]) params.set(key, state[key]);
  const address = `${location.pathname}${params.toString() ? "?" + params.toString() : ""}`;
  if (push) history.pushState(null, "", address); else history.replaceState(null, "", address);

  const filters = filtersOf(state);
  if (!state.q && !Object.keys(filters).length && !state.sort) {
    list.replaceChildren();
    moreWrap.hidden = true;
    csvWrap.hidden = true;
    statusBox.textContent = "";
    current = null;
    return;
  }
  statusBox.textContent = "Searching…";
  const sort = sortOf(state);
  const instance = await pagefindFor(state.type, Boolean(sort));
  if (number !== searchNumber) return;
  if (!instance) {
    statusBox.textContent = "There is nothing of this type to search yet.";
    return;
  }
  const { pagefind, bundles } = instance;
  const term = state.q || null;
  let source, total;
  if (sort && bundles.length > 1) {
    const searches = await Promise.all(bundles.map((bundle) =>
      pagefind.search(term, { filters: { ...filters, bundle }, sort: { [sort.key]: sort.direction } })));
    total = searches.reduce((sum, s) => sum + s.results.length, 0);
    source = new SortedMerge(searches.map((s) => s.results), sort);
  } else {
    const options = { filters };
    if (sort) options.sort = { [sort.key]: sort.direction };
    const search = await pagefind.search(term, options);
    total = search.results.length;
    source = new RelevanceList(search.results);
  }
  if (number !== searchNumber) return;
  current = { source, total, shown: 0, term, state, filters, sort };
  list.replaceChildren();
  await showMore();
  if (number !== searchNumber) return;
  statusBox.textContent = describe(state, total);
  csvWrap.hidden = total === 0;
}

// ---- every result of the search on screen as CSV (all of them, not only those shown), made in the browser
const CSV_COLUMNS = [["type", "Type"], ["title", "Title"], ["url", "Address"], ["buyer", "Buyer"],
  ["supplier", "Supplier"], ["date", "Date"], ["sort_value", "Value (GBP)"]];

function csvCell(text) {
  let value = String(text == null ? "" : text);
  if (/^[=+\-@\t\r]/.test(value)) value = "'" + value; // a spreadsheet must not run a cell as a formula
  return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
}

async function everyResult(search) {
  const { pagefind, bundles } = await pagefindFor(search.state.type, Boolean(search.sort));
  if (search.sort && bundles.length > 1) {
    const searches = await Promise.all(bundles.map((bundle) => pagefind.search(search.term,
      { filters: { ...search.filters, bundle }, sort: { [search.sort.key]: search.sort.direction } })));
    return new SortedMerge(searches.map((s) => s.results), search.sort).take(Infinity);
  }
  const options = { filters: search.filters };
  if (search.sort) options.sort = { [search.sort.key]: search.sort.direction };
  const lists = (await pagefind.search(search.term, options)).results;
  const out = [];
  for (let i = 0; i < lists.length; i += 50) {  // in batches, so a large download does not open thousands of requests
    out.push(...await Promise.all(lists.slice(i, i + 50).map((r) => r.data())));
  }
  return out;
}

csvButton.addEventListener("click", async () => {
  if (!current) return;
  const label = csvButton.textContent;
  csvButton.disabled = true;
  csvButton.textContent = "Preparing the CSV…";
  try {
    const rows = await everyResult(current);
    const lines = [CSV_COLUMNS.map(([, head]) => csvCell(head)).join(",")];
    for (const data of rows) {
      const record = { ...data.meta, url: new URL(data.url, location.href).href };
      lines.push(CSV_COLUMNS.map(([key]) => csvCell(key === "sort_value" && !data.meta.value ? "" : record[key]))
        .join(","));
    }
    const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "search-results.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } finally {
    csvButton.disabled = false;
    csvButton.textContent = label;
  }
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  await runSearch(readForm(), { push: true });
  if (narrow.matches) {  // on a phone the filters fold away and the results come into view
    filterPanel.open = false;
    statusBox.scrollIntoView({ block: "start" });
  }
});
if (narrow.matches) filterPanel.open = false;
for (const element of form.querySelectorAll("select")) {
  element.addEventListener("change", () => runSearch(readForm()));
}
form.elements.namedItem("supplier").addEventListener("change", () => runSearch(readForm()));
moreButton.addEventListener("click", async () => {
  const before = list.children.length;
  await showMore();
  const first = list.children[before];
  const link = first && first.querySelector("a");
  if (link) link.focus(); // keyboard users continue from the first new result
});
window.addEventListener("popstate", () => {
  writeForm(new URLSearchParams(location.search));
  runSearch(readForm());
});

writeForm(new URLSearchParams(location.search));
runSearch(readForm());

// Section index tables: sort by any column and filter the rows of the current page. The tables work without this
// script (static, paginated, sorted by date); it only adds controls. No inline handlers, so a strict CSP allows it.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }

  function compare(type) {
    return function (a, b) {
      if (type === "number") return (parseFloat(a) || 0) - (parseFloat(b) || 0);
      return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
    };
  }

  // The table's state (sort column and direction, filter words) is kept in the address, so a sorted or filtered
  // list can be shared and survives a reload: ?sort=<column number>-<asc|desc>&filter=<words>
  function readState() {
    var params = new URLSearchParams(location.search);
    var sort = /^(\d+)-(asc|desc)$/.exec(params.get("sort") || "");
    return { column: sort ? parseInt(sort[1], 10) : -1, ascending: sort ? sort[2] === "asc" : false,
             filter: params.get("filter") || "" };
  }

  function writeState(column, ascending, filter) {
    var params = new URLSearchParams(location.search);
    if (column >= 0) params.set("sort", column + "-" + (ascending ? "asc" : "desc")); else params.delete("sort");
    if (filter) params.set("filter", filter); else params.delete("filter");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function enhance(table, number) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var caption = table.caption;
    var captionText = caption ? caption.textContent : "";
    var sortedBy = -1, sortedAscending = false;
    var enhanceFirst = number === 1; // only the page's first table keeps its state in the address
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "procure-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        // numbers and dates start largest and newest first (what people sort them for); text starts A to Z
        var type = th.getAttribute("data-type") || "text";
        var current = th.getAttribute("aria-sort");
        var ascending = current ? current !== "ascending" : type === "text";
        sortBy(index, ascending);
      });
    });

    function sortBy(index, ascending) {
        var th = headers[index];
        var button = th.querySelector("button");
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var cmp = compare(th.getAttribute("data-type") || "text");
        rows.sort(function (a, b) {
          var r = cmp(cellValue(a, index), cellValue(b, index));
          return ascending ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        var type = th.getAttribute("data-type") || "text";
        var order = type === "number" ? (ascending ? "smallest first" : "largest first")
          : type === "date" ? (ascending ? "oldest first" : "newest first") : (ascending ? "A to Z" : "Z to A");
        if (caption) {
          // the caption says the order the rows are in now, not the order they were built in
          caption.textContent = captionText.replace(/, (newest|oldest) first$/, "") + ", sorted by " +
            button.textContent.toLowerCase() + ", " + order;
        }
        status.textContent = "Sorted by " + button.textContent + ", " + order + ".";
        sortedBy = index;
        sortedAscending = ascending;
        if (enhanceFirst) writeState(sortedBy, sortedAscending, input.value.trim());
    }

    var tools = document.createElement("div");
    tools.className = "procure-table-tools";
    var label = document.createElement("label");
    var id = "procure-table-filter-" + number;
    label.setAttribute("for", id);
    label.textContent = "Filter the rows on this page";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(status);
    var wrap = table.closest(".procure-table-wrap") || table;
    wrap.parentNode.insertBefore(tools, wrap);
    function applyFilter() {
      // every word must appear somewhere in the row: "Greenbridge Borough Council 2025" finds that buyer's 2025 rows
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase().replace(/\s+/g, " ");
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = shown + " of " + body.rows.length + " rows shown.";
      if (enhanceFirst) writeState(sortedBy, sortedAscending, input.value.trim());
    }
    input.addEventListener("input", applyFilter);

    if (enhanceFirst) {
      var state = readState();
      if (state.column >= 0 && state.column < headers.length) sortBy(state.column, state.ascending);
      if (state.filter) { input.value = state.filter; applyFilter(); }
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-procure-table]"), function (table, i) {
      if (!table.hasAttribute("data-enhanced")) {
        table.setAttribute("data-enhanced", "");
        enhance(table, i + 1);
      }
    });
  }

  // Material's instant navigation swaps pages without a reload; it exposes document$ when enabled
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

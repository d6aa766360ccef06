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

  function enhance(table, number) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "procure-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var cmp = compare(th.getAttribute("data-type") || "text");
        rows.sort(function (a, b) {
          var r = cmp(cellValue(a, index), cellValue(b, index));
          return ascending ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        status.textContent = "Sorted by " + button.textContent + (ascending ? ", ascending." : ", descending.");
      });
    });

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
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = shown + " of " + body.rows.length + " rows shown.";
    });
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

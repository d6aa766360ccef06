// Issue 14: "Download this table as CSV" under every table marked data-csv="<file name>" (the supplier ranking).
// The CSV is made in the browser from the table itself: each cell's data-csv-value when it has one (exact
// numbers), else its text. No inline script, nothing sent anywhere.
(function () {
  "use strict";

  function cell(text) {
    var value = String(text == null ? "" : text).replace(/\s+/g, " ").trim();
    if (/^[=+\-@\t\r]/.test(value)) value = "'" + value; // a spreadsheet must not run a cell as a formula
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function valueOf(element) {
    if (element.hasAttribute("data-csv-value")) return element.getAttribute("data-csv-value");
    var link = element.querySelector("a");
    return (link || element).textContent;
  }

  function download(table) {
    var lines = Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, function (c) { return cell(valueOf(c)); }).join(",");
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = table.getAttribute("data-csv");
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-csv]:not([data-csv-ready])"), function (table) {
      table.setAttribute("data-csv-ready", "");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button procure-csv-button";
      button.textContent = "Download this table as CSV";
      button.addEventListener("click", function () { download(table); });
      var wrap = table.closest(".procure-table-wrap, .md-typeset__scrollwrap") || table;
      wrap.parentNode.insertBefore(button, wrap.nextSibling);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

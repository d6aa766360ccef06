// /pipeline/: filter the planned procurements by category and value band. Without JavaScript the form stays
// hidden and every entry is shown. No inline script (the site's Content-Security-Policy forbids it).
(function () {
  "use strict";
  function setUp() {
    var form = document.getElementById("pipeline-filter");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var category = document.getElementById("pipeline-category");
    var band = document.getElementById("pipeline-value");
    var count = document.getElementById("pipeline-count");
    var entries = document.querySelectorAll(".procure-pipeline__entry");
    function apply() {
      var shown = 0;
      entries.forEach(function (entry) {
        var ok = (!category.value || entry.dataset.category === category.value) &&
                 (!band.value || entry.dataset.valueBand === band.value);
        entry.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + entries.length + " shown";
    }
    category.addEventListener("change", apply);
    band.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setUp); }  // Material instant nav
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); }
  else { setUp(); }
})();

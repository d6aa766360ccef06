/* procure serve: reload the page when the site is rebuilt; show the validator's messages while the register is
   invalid. Served from the site's own origin, so the site's Content-Security-Policy allows it. Only used by the
   local preview server, never published. */
(function () {
  "use strict";
  var seen = null;
  var box = null;

  function panel() {
    if (box) { return box; }
    box = document.createElement("div");
    box.id = "procure-live";
    box.setAttribute("role", "alert");
    var s = box.style;  /* CSSOM, which the CSP allows (unlike a style attribute) */
    s.position = "fixed"; s.left = "1rem"; s.right = "1rem"; s.bottom = "1rem"; s.zIndex = "10000";
    s.maxHeight = "60vh"; s.overflow = "auto"; s.padding = "1rem"; s.background = "#fff"; s.color = "#1a1a1a";
    s.border = "4px solid #b00020"; s.boxShadow = "0 2px 12px rgba(0,0,0,.3)"; s.fontSize = "16px";
    document.body.appendChild(box);
    return box;
  }

  function show(status) {
    if (status.state === "ok") {
      if (box) { box.remove(); box = null; }
      return;
    }
    var target = panel();
    target.style.borderColor = status.state === "error" ? "#b00020" : "#005ea5";
    target.textContent = "";
    var heading = document.createElement("p");
    heading.style.fontWeight = "bold";
    heading.style.margin = "0 0 .5rem";
    heading.textContent = status.state === "error" ? (status.message || "The register has problems.") :
      "Rebuilding the site\u2026";
    target.appendChild(heading);
    if (status.problems && status.problems.length) {
      var list = document.createElement("pre");
      list.style.whiteSpace = "pre-wrap";
      list.style.margin = "0";
      list.textContent = status.problems.join("\n") + (status.more ? "\n\u2026 and " + status.more + " more" : "");
      target.appendChild(list);
    }
  }

  /* the server's own "building" or "problems" page (there is no site yet) shows the status itself: reload it
     whenever the status changes rather than drawing the panel over it */
  var waiting = document.body.hasAttribute("data-procure-waiting");
  var first = null;

  function poll() {
    fetch("/__procure__/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        var text = JSON.stringify(status);
        if (first === null) { first = text; }
        if (waiting) {
          if (text !== first) { window.location.reload(); return; }
          window.setTimeout(poll, 500);
          return;
        }
        if (seen === null) { seen = status.version; }
        if (status.version !== seen && status.state === "ok") { window.location.reload(); return; }
        show(status);
        window.setTimeout(poll, 250);  /* a local request: cheap, and a saved edit shows sooner */
      })
      .catch(function () { window.setTimeout(poll, 2000); });  /* the server is restarting or stopped */
  }

  poll();
}());

// Material for MkDocs' page globals, the same code as its inline partials/javascripts/base.html, loaded as a file so
// that the Content-Security-Policy needs no 'unsafe-inline'. The scope (the site's base URL) comes from data-md-scope.
(function () {
  var scope = document.currentScript.getAttribute("data-md-scope") || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (e) {
    return Array.prototype.reduce.call(e, function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (e, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + e));
  };
  window.__md_set = function (e, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + e, JSON.stringify(value)); } catch (err) { /* storage is optional */ }
  };
})();

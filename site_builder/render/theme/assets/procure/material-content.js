// Material for MkDocs' inline content snippet as a file (no inline script under the Content-Security-Policy):
// when the address names a content tab, open it.
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();

// newsarchive: small keyboard conveniences.  The site works fully without it.
(function () {
  "use strict";
  // "/" focuses the search box, as in most search tools (not while typing).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var box = document.getElementById("q");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();

// Leave empty fields out of the search URL (?q=oil, not ?q=oil&since=&until=),
// so URLs stay short enough to read, share and bookmark.
(function () {
  "use strict";
  var form = document.getElementById("searchform");
  if (!form) return;
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name !== "q" && field.value === "") field.disabled = true;
    });
  });
  // Coming back with the Back button restores the page from cache: re-enable.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
  });
})();

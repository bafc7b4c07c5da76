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

// Date histogram brushing: drag across bars (mouse, pen or touch) to filter
// to a range; on a focused bar, Shift+Left/Right extends a range and Enter
// applies it, Left/Right move between bars, Escape cancels.  A plain click on
// a bar is still its link.  Every bar slot carries its own since/until; the
// figure carries the page's URL without dates (data-brush-base).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("figure.histogram[data-brush-base]"), setup);

  function setup(fig) {
    var plot = fig.querySelector(".hist-plot");
    var slots = Array.prototype.slice.call(fig.querySelectorAll(".hist-slot"));
    var links = Array.prototype.slice.call(fig.querySelectorAll("a.hist-link"));
    var status = fig.querySelector(".hist-status");
    if (!plot || !slots.length) return;
    var drag = null, anchor = null, cursor = null, suppressClick = false;

    function indexAt(clientX) {
      var box = plot.getBoundingClientRect();
      var i = Math.floor((clientX - box.left) / box.width * slots.length);
      return Math.max(0, Math.min(slots.length - 1, i));
    }
    function mark(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b), n = 0;
      slots.forEach(function (s, i) {
        var on = i >= lo && i <= hi;
        s.classList.toggle("sel", on);
        if (on) n += parseInt(s.getAttribute("data-count"), 10) || 0;
      });
      fig.classList.add("brushing");
      say(label(lo, hi) + ": " + n + " article" + (n === 1 ? "" : "s"));
    }
    function clear() {
      slots.forEach(function (s) { s.classList.remove("sel"); });
      fig.classList.remove("brushing");
      anchor = cursor = null;
      say("");
    }
    function label(lo, hi) {
      var a = slots[lo].getAttribute("data-label"), b = slots[hi].getAttribute("data-label");
      return lo === hi ? a : a + " – " + b;
    }
    function say(text) { if (status) status.textContent = text; }
    function go(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b);
      var url = new URL(fig.getAttribute("data-brush-base"), window.location.href);
      url.searchParams.set("since", slots[lo].getAttribute("data-since"));
      url.searchParams.set("until", slots[hi].getAttribute("data-until"));
      url.searchParams.delete("page");
      say("Showing " + label(lo, hi) + "…");
      window.location.assign(url.toString());
    }

    plot.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = {start: indexAt(event.clientX), moved: false};
      suppressClick = false;
    });
    document.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var i = indexAt(event.clientX);
      if (i !== drag.start) drag.moved = true;
      if (drag.moved) { drag.end = i; mark(drag.start, i); }
    });
    document.addEventListener("pointerup", function () {
      if (!drag) return;
      var d = drag;
      drag = null;
      if (d.moved) {
        suppressClick = true;
        go(d.start, d.end);
      }
    });
    document.addEventListener("pointercancel", function () { drag = null; clear(); });
    // A drag that ends on a bar must not also follow that bar's link.
    fig.addEventListener("click", function (event) {
      if (suppressClick) { event.preventDefault(); suppressClick = false; }
    }, true);
    fig.addEventListener("dragstart", function (event) { event.preventDefault(); });

    links.forEach(function (link, k) {
      link.addEventListener("keydown", function (event) {
        var here = parseInt(link.getAttribute("data-slot"), 10);
        if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
          event.preventDefault();
          var step = event.key === "ArrowRight" ? 1 : -1;
          if (event.shiftKey) {
            if (anchor === null) anchor = here;
            cursor = Math.max(0, Math.min(slots.length - 1, (cursor === null ? here : cursor) + step));
            mark(anchor, cursor);
            say(label(Math.min(anchor, cursor), Math.max(anchor, cursor)) + " selected: press Enter to show, Escape to cancel");
          } else {
            clear();
            var next = links[k + step];
            if (next) next.focus();
          }
        } else if (event.key === "Enter" && anchor !== null && cursor !== null) {
          event.preventDefault();
          go(anchor, cursor);
        } else if (event.key === "Escape") {
          clear();
        }
      });
    });
  }
})();

// Facet "show more": a filter box over the values behind it.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".facet-more"), function (more) {
    var box = more.querySelector(".facet-filter");
    var label = more.querySelector(".facet-filter-label");
    var none = more.querySelector(".facet-none");
    if (!box) return;
    box.hidden = false;
    if (label) label.classList.add("visually-hidden"), label.hidden = false;
    var items = more.closest(".facet").querySelectorAll(".facet-item");
    box.addEventListener("input", function () {
      var want = box.value.trim().toLowerCase(), shown = 0;
      Array.prototype.forEach.call(items, function (li) {
        var name = (li.querySelector(".facet-name") || li).textContent.toLowerCase();
        var ok = !want || name.indexOf(want) !== -1;
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      if (none) none.hidden = shown > 0;
    });
    more.addEventListener("toggle", function () { if (more.open) box.focus(); });
  });
})();

// newsfold: keyboard shortcuts (j/k move between items, o opens, / searches). The site works without it.
(function () {
  "use strict";
  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  }

  function select(index) {
    var all = items();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (el) { el.classList.remove("selected"); el.removeAttribute("aria-current"); });
    var el = all[current];
    el.classList.add("selected");
    el.setAttribute("aria-current", "true");
    var link = el.querySelector(".item-link") || el.querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
    el.scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if (event.key === "o" || event.key === "Enter") {
      var all = items();
      if (current >= 0 && current < all.length) {
        var link = all[current].querySelector(".item-link") || all[current].querySelector("a");
        if (link) { window.location.href = link.href; event.preventDefault(); }
      }
    } else if (event.key === "/") {
      var box = document.getElementById("q") || document.getElementById("site-q");
      if (box) { box.focus(); box.select(); event.preventDefault(); }
    }
  });
})();

// First visit: the theme reads its mode from localStorage and logs an error when there is
// none. Start in "auto" (follow the reader's system setting) instead.
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

// Opened from disk, the search page cannot fetch the pages it found to quote a line of
// each (browsers refuse file:// requests): it takes the line from the pages' text, which
// the book gives it as a script (kgkz-search-text.js).
if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

(function () {
  "use strict";

  // ------------------------------------------------------------- arriving at a quote
  // A record's link opens a source page on its quote: the browser marks it (:target);
  // a quote that crosses another is cut in pieces, and its later pieces are marked
  // here. The records the quote is cited for are marked in the list under its
  // paragraph, and folded site furniture that holds the target is opened.
  function focusTarget(scroll) {
    document.querySelectorAll(".kgkz-target, .kgkz-cited").forEach(function (el) {
      el.classList.remove("kgkz-target", "kgkz-cited");
    });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var opened = false;
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    if (target.classList.contains("evidence")) {
      document.querySelectorAll(".part-" + CSS.escape(id)).forEach(function (el) {
        el.classList.add("kgkz-target");
      });
      var cite = document.getElementById("cite-" + id);
      var item = cite && cite.closest("li");
      if (item) item.classList.add("kgkz-cited");
    }
    if (opened || scroll) target.scrollIntoView({ block: "start" });
  }

  // ------------------------------------------------------------- accessibility
  // The theme's search buttons show "Search Ctrl+K" but are labelled "Search" alone: a
  // voice user saying what they see would miss them. Let the visible text name them.
  function nameSearchButtons() {
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (b) {
      if (b.textContent.trim()) b.removeAttribute("aria-label");
    });
  }

  // The colour-mode button is labelled "Color mode", but its icons carry titles of their
  // own ("Light", "Dark", "System Settings") that a screen reader takes for its text.
  // The icons are decoration: hide them, whether or not Font Awesome has drawn them yet.
  function quietModeIcons() {
    document.querySelectorAll(".theme-switch-button i, .theme-switch-button svg")
      .forEach(function (icon) {
        icon.removeAttribute("title");
        icon.removeAttribute("aria-labelledby");
        icon.removeAttribute("role");
        icon.querySelectorAll("title").forEach(function (t) {
          t.remove();
        });
        icon.setAttribute("aria-hidden", "true");
      });
  }

  // Tables scroll inside themselves on narrow screens (the theme wraps most of them).
  function wrapTables() {
    document.querySelectorAll(".bd-article table").forEach(function (t) {
      var p = t.parentElement;
      if (p.classList.contains("pst-scrollable-table-container") ||
          p.classList.contains("kgkz-scroll")) return;
      var wrap = document.createElement("div");
      wrap.className = "kgkz-scroll";
      p.insertBefore(wrap, t);
      wrap.appendChild(t);
    });
  }

  // ------------------------------------------------------------- search, from disk
  function searchTerms() {
    var q = new URLSearchParams(location.search).get("q") || "";
    return q.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(function (w) {
      return w.length > 1;
    });
  }

  function summarise(li, terms) {
    if (li.dataset.kgkzSummary) return;
    li.dataset.kgkzSummary = "1";
    var a = li.querySelector("a");
    if (!a || li.querySelector("p.context")) return;
    var doc = a.getAttribute("href").split("#")[0].replace(/\.html$/, "");
    var text = window.KGKZ_PAGE_TEXT[doc];
    if (!text) return;
    var lower = text.toLowerCase();
    var at = -1;
    terms.some(function (t) {
      at = lower.indexOf(t);
      return at >= 0;
    });
    var start = Math.max(at - 120, 0);
    var p = document.createElement("p");
    p.className = "context";
    p.textContent = (start ? "…" : "") + text.substr(start, 240).trim() +
      (start + 240 < text.length ? "…" : "");
    li.appendChild(p);
  }

  function offlineSummaries() {
    var results = document.getElementById("search-results");
    if (!results || !window.KGKZ_PAGE_TEXT || location.protocol !== "file:") return;
    var terms = searchTerms();
    new MutationObserver(function () {
      results.querySelectorAll("li").forEach(function (li) {
        summarise(li, terms);
      });
    }).observe(results, { childList: true, subtree: true });
  }

  function ready() {
    nameSearchButtons();
    quietModeIcons();
    wrapTables();
    offlineSummaries();
    focusTarget(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  // Font Awesome may draw its icons after the page is ready: check again once loaded.
  window.addEventListener("load", quietModeIcons);
  window.addEventListener("hashchange", function () {
    focusTarget(true);
  });
})();

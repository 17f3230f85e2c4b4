// First visit: the theme reads its mode from localStorage and logs an error when there is
// none. Start in "auto" (follow the reader's system setting) instead.
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

// Quick exit: leave for an everyday site at once, replacing this page in the tab's history so
// that Back does not return here. Also on the Escape key. Without JavaScript the button is a
// plain link to the same site.
(function () {
  "use strict";
  // Keep only this page's address with the tab, not what was sent to get it: otherwise the
  // browser stores the self-check's answers with the tab (for Back, Reload and reopening a
  // closed tab), in its session files on disk.
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.href);
  }
  var exit = document.getElementById("quick-exit");
  if (!exit) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { leave(event); }
  });
}());

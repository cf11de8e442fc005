// Quick exit: leave for an everyday site at once, replacing this page in the tab's history so
// that Back does not return here. Also on the Escape key. Without JavaScript the button is a
// plain link to the same site.
(function () {
  "use strict";
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

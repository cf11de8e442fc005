// The self-check, answered without leaving the page. A page that was posted to is kept by the
// browser with its tab, answers and all (for Back, Reload and reopening a closed tab, in files
// on disk). So, with JavaScript, the answers go to the server in a request of their own and the
// result takes the questions' place; the tab holds only the address of the questions. Without
// JavaScript, or if anything goes wrong, the form is posted as usual.
(function () {
  "use strict";
  var form = document.querySelector("form[data-self-check]");
  if (!form || !window.fetch || !window.DOMParser || !window.FormData || !window.URLSearchParams) {
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer"
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      var main = new DOMParser().parseFromString(html, "text/html").querySelector("main");
      var heading = main && main.querySelector("h2");
      if (!heading) { throw new Error("no result"); }
      document.querySelector("main").replaceWith(document.adoptNode(main));
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }).catch(function () {
      form.submit();
    });
  });
}());

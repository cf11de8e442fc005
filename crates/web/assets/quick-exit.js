// Quick exit, and a visit that leaves one entry in the tab's history (issue 17, item 1).
//
// A browser cannot forget history, but a page can avoid making it. So every move inside this
// site takes the place of the page being read instead of adding one: a link opens with
// location.replace, and a form is sent in a request of its own whose answer takes the page's
// place. The whole visit is then one entry, and Quick exit (the button, or the Escape key)
// replaces that one with an everyday site: Back leads to wherever the person was before, never
// here. Without JavaScript the links and the button are plain links; the privacy page says what
// that keeps.
(function () {
  "use strict";
  // Keep only this page's address with the tab, not what was sent to get it: otherwise the
  // browser stores a posted form with the tab (for Back, Reload and reopening a closed tab), in
  // its session files on disk.
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
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { leave(event); }
  });

  // A link of this site, followed as a person follows it (not into a new tab or window).
  function inSite(event, link) {
    return link.origin === window.location.origin && !link.target &&
      !link.hasAttribute("download") && event.button === 0 &&
      !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented) { return; }
    if (link === exit) {
      leave(event);
    } else if (inSite(event, link)) {
      event.preventDefault();
      window.location.replace(link.href);
    }
  });

  // The answer to a form takes the place of the page's main part: the result of the self-check,
  // the thank-you after a request, or the form again with its problem marked. Focus goes where
  // the person reads on: the note saying what to mend, else the answer's heading.
  function show(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var main = page.querySelector("main");
    if (!main) { throw new Error("no page"); }
    document.title = page.title;
    document.querySelector("main").replaceWith(document.adoptNode(main));
    startProofs(main);
    var focus = main.querySelector("[role=alert]") || main.querySelector("h2") ||
      main.querySelector("h1");
    focus.setAttribute("tabindex", "-1");
    focus.focus();
  }

  // The contact form's proof of work (SECURITY.md P24): a number that, hashed with the challenge
  // the server put in the form, gives a SHA-256 digest starting with enough zero bits. Worked out
  // in the background from the moment the form appears, so the person never waits for it; a
  // script sending request after request pays it every time. Without it a request still goes,
  // counted in a smaller budget of its own.
  function zeroBits(buffer) {
    var bytes = new Uint8Array(buffer);
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) { return i * 8 + Math.clz32(bytes[i]) - 24; }
    }
    return bytes.length * 8;
  }
  function solve(challenge, bits) {
    var text = new TextEncoder();
    function from(start) {
      var tries = [];
      for (var n = start; n < start + 256; n++) {
        tries.push(crypto.subtle.digest("SHA-256", text.encode(challenge + ":" + n)));
      }
      return Promise.all(tries).then(function (digests) {
        for (var i = 0; i < digests.length; i++) {
          if (zeroBits(digests[i]) >= bits) { return String(start + i); }
        }
        return from(start + 256);
      });
    }
    return from(0);
  }
  function startProofs(root) {
    if (!window.crypto || !window.crypto.subtle || !window.TextEncoder || !window.Promise) {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll("input[name=proof][data-bits]"),
      function (field) {
        var challenge = field.form && field.form.elements.challenge;
        if (!challenge) { return; }
        field.work = solve(challenge.value, Number(field.getAttribute("data-bits")))
          .then(function (proof) { field.value = proof; }, function () {});
      });
  }
  startProofs(document);
  // The proof for `form`, once it is worked out (at once where there is none).
  function proven(form) {
    var field = form.querySelector("input[name=proof][data-bits]");
    return field && field.work ? field.work : Promise.resolve();
  }

  if (!window.fetch || !window.DOMParser || !window.FormData || !window.URLSearchParams) {
    return;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method !== "post") { return; }
    event.preventDefault();
    proven(form).then(function () {
      return fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer"
      });
    }).then(function (response) {
      return response.text();
    }).then(show).catch(function () {
      // Whatever went wrong, the person's answers still get through, as a plain form would.
      form.submit();
    });
  });
}());

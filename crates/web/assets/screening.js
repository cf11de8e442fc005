// Saves a screening as it is answered, so nothing is lost if the session ends or the page is
// closed before it is finished: each change sends the form as a draft in a request of its own
// (the page stays), and the status line says when it was saved. Saves go one at a time, in
// order, so an older one never overwrites a newer; sending the form waits for the last save, so
// a save never lands after the screening is recorded. Without JavaScript, the "Save and finish
// later" button does the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("draft-status");
  if (!form || !status || !window.fetch || !window.FormData || !window.URLSearchParams ||
      !window.Promise || !form.requestSubmit) {
    return;
  }
  var saving = Promise.resolve();
  var pending = 0;
  var sending = false;
  function save() {
    pending += 1;
    saving = saving.then(function () {
      var body = new URLSearchParams(new FormData(form));
      body.set("save", "draft");
      return fetch(form.action, {
        method: "POST",
        body: body,
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual"
      });
    }).then(function (response) {
      if (response.status !== 204) { throw new Error("status " + response.status); }
      status.textContent = "Saved as you go, " + new Date().toLocaleTimeString() + ".";
    }).catch(function () {
      status.textContent = "Not saved. Check that you are still signed in, then use \u201cSave and finish later\u201d.";
    }).then(function () {
      pending -= 1;
    });
  }
  form.addEventListener("change", function () {
    if (!sending) { save(); }
  });
  form.addEventListener("submit", function (event) {
    if (sending) { return; }
    sending = true;
    if (pending > 0) {
      event.preventDefault();
      var submitter = event.submitter;
      saving.then(function () { form.requestSubmit(submitter); });
    }
  });
}());

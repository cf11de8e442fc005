// The administrator's passkey step: asks the browser (and the authenticator: a security key, a
// phone, the computer's own) for a new passkey or for a signed answer to the page's one-time
// challenge, then sends what it returns with the page's form. Passkeys need JavaScript; without
// it the page says so.
(function () {
  "use strict";
  var form = document.getElementById("passkey-form");
  var button = document.getElementById("passkey-start");
  var status = document.getElementById("passkey-status");
  if (!form || !button || !status) { return; }
  if (!window.PublicKeyCredential || !navigator.credentials) {
    status.textContent = "This browser cannot use passkeys. Try an up-to-date browser.";
    return;
  }
  function bytes(b64url) {
    var s = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var raw = atob(s);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function b64url(buffer) {
    var b = new Uint8Array(buffer);
    var s = "";
    for (var i = 0; i < b.length; i++) { s += String.fromCharCode(b[i]); }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function put(name, value) { form.elements[name].value = value; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var d = form.dataset;
    var ask;
    if (d.mode === "register") {
      ask = navigator.credentials.create({ publicKey: {
        challenge: bytes(d.challenge),
        rp: { id: d.rpId, name: "Safe Harbor" },
        user: { id: bytes(d.userId), name: d.userName, displayName: d.userName },
        pubKeyCredParams: [{ type: "public-key", alg: -7 }],
        authenticatorSelection: { userVerification: "required", residentKey: "preferred" },
        attestation: "none",
        timeout: 120000
      } });
    } else {
      ask = navigator.credentials.get({ publicKey: {
        challenge: bytes(d.challenge),
        rpId: d.rpId,
        userVerification: "required",
        timeout: 120000,
        allowCredentials: d.credentials.split(" ").filter(Boolean).map(function (id) {
          return { type: "public-key", id: bytes(id) };
        })
      } });
    }
    status.textContent = "Follow your browser's steps to use your passkey.";
    ask.then(function (credential) {
      var r = credential.response;
      put("credential_id", b64url(credential.rawId));
      put("client_data", b64url(r.clientDataJSON));
      if (d.mode === "register") {
        put("attestation", b64url(r.attestationObject));
      } else {
        put("authenticator_data", b64url(r.authenticatorData));
        put("signature", b64url(r.signature));
      }
      form.submit();
    }).catch(function () {
      status.textContent = "The passkey was not used. Try again, or sign out.";
    });
  });
}());

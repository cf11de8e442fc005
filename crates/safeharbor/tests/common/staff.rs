//! A browser's view of the staff pages over real HTTP, for the tests that sign in and work.

use crypto::totp::TotpSecret;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};

use super::{STAFF_PASSWORD, TestApp};

/// The device cookie's name: it marks a browser that has signed in before.
pub const DEVICE_COOKIE: &str = "__Host-safeharbor-device";

/// A browser's view of the staff pages: its cookies (the session's, `name=value`, and the device
/// cookie), no automatic redirects, and the Origin header a browser sends with every form.
pub struct Staff<'a> {
    pub t: &'a TestApp,
    pub http: reqwest::Client,
    pub cookie: Option<String>,
    pub device: Option<String>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The value of the `<option>` whose text starts with `label`.
    pub fn option_value(&self, label: &str) -> String {
        self.body
            .split("<option value=\"")
            .skip(1)
            .find_map(|option| {
                let (value, rest) = option.split_once("\">")?;
                rest.starts_with(label).then(|| value.to_owned())
            })
            .expect("the option")
    }

    /// Where this page's forms post, in page order.
    pub fn form_actions(&self) -> impl Iterator<Item = &str> {
        self.body
            .split("action=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
    }

    /// The form token written into this page's forms.
    pub fn csrf(&self) -> String {
        let (_, rest) = self
            .body
            .split_once(r#"name="csrf" value=""#)
            .expect("the page has a form token");
        rest.split('"').next().unwrap().to_owned()
    }
}

impl<'a> Staff<'a> {
    pub fn new(t: &'a TestApp) -> Self {
        Self {
            t,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            device: None,
        }
    }

    /// A browser that opens a connection for every request: after a body too large to read
    /// (413) the server closes the connection, and a pooled one could be reused in the moment
    /// before the client sees that.
    pub fn without_keep_alive(t: &'a TestApp) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
            ..Self::new(t)
        }
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let device = self.device.as_ref().map(|d| format!("{DEVICE_COOKIE}={d}"));
        let cookies: Vec<&str> = [self.cookie.as_deref(), device.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let request = if cookies.is_empty() {
            request
        } else {
            request.header(header::COOKIE, cookies.join("; "))
        };
        let response = request.send().await.unwrap();
        for set in response.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            match pair.split_once('=') {
                Some((DEVICE_COOKIE, value)) => self.device = Some(value.to_owned()),
                Some((_, "")) => self.cookie = None,
                _ => self.cookie = Some(pair.to_owned()),
            }
        }
        Page {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(self.t.url(path));
        self.send(request).await
    }

    /// Posts a form as our own page would: from our origin.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_from(&self.t.base.clone(), path, form).await
    }

    pub async fn post_from(&mut self, origin: &str, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self
            .http
            .post(self.t.url(path))
            .header(header::ORIGIN, origin)
            .form(form);
        self.send(request).await
    }

    /// Signs in with password and a fresh code; an administrator then proves their passkey (the
    /// test's software authenticator, registered on first use) as their browser would.
    pub async fn sign_in(&mut self, username: &str, secret: &TotpSecret) -> Page {
        // Each sign-in needs a fresh code: move the clock on to the next 30-second step.
        self.t.clock.advance_minutes(1);
        let code = secret.code(self.t.unix_seconds());
        let page = self
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", STAFF_PASSWORD),
                    ("code", &code),
                ],
            )
            .await;
        if page.status == StatusCode::SEE_OTHER
            && self.get("/app/").await.location() == "/app/passkey"
        {
            let done = self.passkey(username).await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        }
        page
    }

    /// Answers the passkey step with `username`'s software authenticator.
    pub async fn passkey(&mut self, username: &str) -> Page {
        let answer = self.passkey_answer(username).await;
        self.post_passkey(&answer).await
    }

    /// Posts a passkey answer (`passkey_answer`'s fields) to the passkey step.
    pub async fn post_passkey(&mut self, answer: &[(String, String)]) -> Page {
        let fields: Vec<(&str, &str)> = answer
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        self.post("/app/passkey", &fields).await
    }

    /// Opens the passkey step and answers its challenge with `username`'s software authenticator
    /// (made on first use), as the browser would post it, the page's form token included.
    pub async fn passkey_answer(&mut self, username: &str) -> Vec<(String, String)> {
        use base64::Engine as _;
        let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let step = self.get("/app/passkey").await;
        let attribute = |name: &str| -> String {
            let (_, rest) = step
                .body
                .split_once(&format!("{name}=\""))
                .expect("the passkey form");
            rest.split('"').next().unwrap().to_owned()
        };
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(attribute("data-challenge"))
            .unwrap();
        let (rp_id, origin) = (attribute("data-rp-id"), self.t.base.clone());
        let rp = crypto::webauthn::RelyingParty {
            id: &rp_id,
            origin: &origin,
        };
        let register = attribute("data-mode") == "register";
        let (response, credential) = {
            let mut passkeys = self.t.passkeys.lock().unwrap();
            let seed = u8::try_from(passkeys.len() + 1).unwrap();
            let authenticator = passkeys
                .entry(username.to_owned())
                .or_insert_with(|| crypto::webauthn::software::Authenticator::new(seed));
            let answer = if register {
                authenticator.create(rp, &challenge)
            } else {
                authenticator.get(rp, &challenge)
            };
            (answer, encode(&authenticator.credential_id))
        };
        let data = encode(&response.data);
        let (attestation, authenticator_data) = if register {
            (data, String::new())
        } else {
            (String::new(), data)
        };
        [
            ("csrf", step.csrf()),
            (
                "mode",
                (if register { "register" } else { "verify" }).to_owned(),
            ),
            ("credential_id", credential),
            ("client_data", encode(&response.client_data_json)),
            ("attestation", attestation),
            ("authenticator_data", authenticator_data),
            ("signature", encode(&response.signature)),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
    }

    /// Posts a form from `page_path`, with the token that page carries.
    pub async fn submit(&mut self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(page_path).await.csrf();
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.post(action, &form).await
    }

    /// As an administrator: makes a team and puts people on it, each leading it or not. Gives the
    /// teams page as it was before anyone was added, and the address that adds a member.
    pub async fn make_team(&mut self, name: &str, members: &[(&str, bool)]) -> (Page, String) {
        let made = self
            .submit("/app/admin/teams", "/app/admin/teams", &[("name", name)])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page = self.get("/app/admin/teams").await;
        let add = page
            .form_actions()
            .find(|action| action.ends_with("/members"))
            .unwrap()
            .to_owned();
        for (who, leads) in members {
            let user = page.option_value(who);
            let mut fields = vec![("user", user.as_str())];
            if *leads {
                fields.push(("leads", "yes"));
            }
            let added = self.submit("/app/admin/teams", &add, &fields).await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{who}: {}", added.body);
        }
        (page, add)
    }
}

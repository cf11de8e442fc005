//! A browser's view of the staff pages over real HTTP, for the tests that sign in and work.

use crypto::totp::TotpSecret;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};

use super::{STAFF_PASSWORD, TestApp};

/// A browser's view of the staff pages: one cookie jar, no automatic redirects, and the Origin
/// header a browser sends with every form.
pub struct Staff<'a> {
    pub t: &'a TestApp,
    pub http: reqwest::Client,
    pub cookie: Option<String>,
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
        }
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = match &self.cookie {
            Some(cookie) => request.header(header::COOKIE, cookie.as_str()),
            None => request,
        };
        let response = request.send().await.unwrap();
        for set in response.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            self.cookie = match pair.split_once('=') {
                Some((_, "")) => None,
                _ => Some(pair.to_owned()),
            };
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

    pub async fn sign_in(&mut self, username: &str, secret: &TotpSecret) -> Page {
        // Each sign-in needs a fresh code: move the clock on to the next 30-second step.
        self.t.clock.advance_minutes(1);
        let code = secret.code(self.t.unix_seconds());
        self.post(
            "/login",
            &[
                ("username", username),
                ("password", STAFF_PASSWORD),
                ("code", &code),
            ],
        )
        .await
    }

    /// Posts a form from `page_path`, with the token that page carries.
    pub async fn submit(&mut self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(page_path).await.csrf();
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.post(action, &form).await
    }
}

//! Mutation fuzzing of every parser that reads what someone else wrote (issue 18, item 10): the
//! crypto envelope and wrapped keys, backup streams, the key file, audit checkpoints, facts files,
//! instrument files and screening answers, and, through the running server, every JSON body and
//! every staff form. Each target starts from its seeds (the committed corpus in `tests/fuzz/`,
//! shipped files, and values made here with throw-away keys), mutates them with a seeded random
//! generator, so every run tries the same inputs, and asserts what must hold whatever comes in:
//! no panic, no 5xx, and nothing altered ever opening as if it were whole.
//!
//! `FUZZ_ITERATIONS=N` multiplies the rounds (default 1) for a longer hunt. An input that ever
//! fails is printed; add it to the target's folder under `tests/fuzz/` so it is tried for ever.
//! (There is no HMIS CSV reader yet to fuzz: it comes with the HUD data exchange.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use crypto::{DataKey, FieldAad, SecretKey};
use domain::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How many times the default number of rounds to run.
fn rounds(default: usize) -> usize {
    let times: usize = std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    default * times.max(1)
}

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target)
}

/// The committed seeds of `target`, plus `more`.
fn seeds(target: &str, more: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut all = more;
    if let Ok(entries) = std::fs::read_dir(corpus_dir(target)) {
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        all.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
    }
    assert!(!all.is_empty(), "no seeds for {target}");
    all
}

/// Bytes that parsers treat specially.
const INTERESTING: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\xc3",
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"=",
    b"\n",
    b"\r\n",
    b"-1",
    b"0",
    b"4294967296",
    b"99999999999999999999",
    b"1e999",
    b"null",
    b"true",
    b"[[[[[[[[",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x8c\xb8",
    b"%00",
    b"2026-02-30",
    b"0000-01-01",
];

/// One seed, changed one to four times: bits flipped, bytes replaced, ranges cut, repeated or
/// swapped in from another seed, interesting bytes put in, the end cut off.
fn mutate(rng: &mut StdRng, seed: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..rng.gen_range(1..=4) {
        let len = out.len();
        let at = if len == 0 { 0 } else { rng.gen_range(0..len) };
        match rng.gen_range(0..7) {
            0 if len > 0 => out[at] ^= 1 << rng.gen_range(0..8),
            1 if len > 0 => out[at] = rng.r#gen(),
            2 if len > 0 => {
                let end = rng.gen_range(at..=len.min(at + 32));
                out.drain(at..end);
            }
            3 if len > 0 => {
                let end = rng.gen_range(at..=len.min(at + 64));
                let copy = out[at..end].to_vec();
                let to = rng.gen_range(0..=out.len());
                out.splice(to..to, copy);
            }
            4 => {
                let pick = INTERESTING[rng.gen_range(0..INTERESTING.len())];
                out.splice(at..at, pick.iter().copied());
            }
            5 if !others.is_empty() => {
                let other = &others[rng.gen_range(0..others.len())];
                let from = rng.gen_range(0..=other.len());
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// A JSON seed changed in its structure, so that the mutation gets past the syntax to the rules
/// behind it: one value replaced by an odd one (of another type, too long, nested deep), a key
/// dropped or an unknown one added. Falls back to `mutate` for a seed that is not JSON.
fn mutate_json(rng: &mut StdRng, seed: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(seed) else {
        return mutate(rng, seed, others);
    };
    for _ in 0..rng.gen_range(1..=3) {
        change_somewhere(rng, &mut value);
    }
    serde_json::to_vec(&value).unwrap()
}

fn change_somewhere(rng: &mut StdRng, value: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let nested = match value {
        Value::Object(map) if !map.is_empty() && rng.gen_bool(0.7) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.gen_range(0..keys.len())];
            match rng.gen_range(0..6) {
                0 => {
                    map.remove(key);
                    return;
                }
                1 => {
                    map.insert("unexpected".into(), json!(1));
                    return;
                }
                _ => map.get_mut(key),
            }
        }
        Value::Array(items) if !items.is_empty() && rng.gen_bool(0.7) => {
            let at = rng.gen_range(0..items.len());
            items.get_mut(at)
        }
        _ => None,
    };
    if let Some(inner) = nested {
        return change_somewhere(rng, inner);
    }
    *value = match rng.gen_range(0..8) {
        0 => json!(ODD_VALUES[rng.gen_range(0..ODD_VALUES.len())]),
        1 => json!(-1),
        2 => json!(1e300),
        3 => json!(null),
        4 => json!(["x".repeat(rng.gen_range(0..300))]),
        5 => json!({ "a": { "b": { "c": [[[[true]]]] } } }),
        6 => json!("y".repeat(rng.gen_range(100..70_000))),
        _ => json!(rng.gen_bool(0.5)),
    };
}

/// Runs `check` on `n` mutations of `seeds` (and on each seed as it is), reporting the input
/// that failed.
fn fuzz(target: &str, seed: u64, n: usize, seeds: &[Vec<u8>], mut check: impl FnMut(&[u8])) {
    let mut rng = StdRng::seed_from_u64(seed);
    let inputs = seeds
        .iter()
        .cloned()
        .chain((0..n).map(|_| mutated(&mut rng, seeds)))
        .collect::<Vec<_>>();
    for input in inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
        if outcome.is_err() {
            panic!(
                "fuzz target {target} failed on this input; save it in {} to keep it tried:\n{}",
                corpus_dir(target).display(),
                String::from_utf8_lossy(&input).escape_debug()
            );
        }
    }
}

/// One of `seeds`, mutated byte by byte or, half the time for JSON, in its structure.
fn mutated(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let pick = &seeds[rng.gen_range(0..seeds.len())];
    if rng.gen_bool(0.5) {
        mutate_json(rng, pick, seeds)
    } else {
        mutate(rng, pick, seeds)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_envelope_opens_only_what_was_sealed_as_it_was() {
    let mut rng = StdRng::seed_from_u64(1);
    let dek = DataKey::generate(&mut rng, 3);
    let place = |row: &'static str| FieldAad {
        table: "clients",
        column: "preferred_name",
        row_id: row,
    };
    let sealed: Vec<Vec<u8>> = ["", "Rosa", "Zoë 🌸 with a long name that spans blocks"]
        .iter()
        .map(|plain| crypto::seal_field(&dek, place("a"), plain.as_bytes(), &mut rng))
        .collect();
    let kek = SecretKey::generate(&mut rng);
    let wrapped = crypto::wrap_data_key(&kek, 2, "a", &dek, &mut rng);
    let mut all = sealed.clone();
    all.push(wrapped.clone());
    fuzz("envelope", 11, rounds(3000), &all, |blob| {
        let _ = crypto::envelope::blob_version(blob);
        if let Ok(opened) = crypto::open_field(&dek, place("a"), blob) {
            assert!(
                sealed.iter().any(|s| s == blob),
                "an altered field opened: {opened:?}"
            );
        }
        assert!(
            crypto::open_field(&dek, place("b"), blob).is_err(),
            "opened at another row"
        );
        let unwrapped = crypto::unwrap_data_key(|v| (v == 2).then(|| kek.clone()), "a", 3, blob);
        if unwrapped.is_ok() {
            assert_eq!(blob, wrapped.as_slice(), "an altered wrapped key opened");
        }
    });
}

#[test]
fn a_backup_stream_altered_anywhere_fails_to_read() {
    use std::io::{Read, Write};
    let mut rng = StdRng::seed_from_u64(2);
    let key = SecretKey::generate(&mut rng);
    // Two and a half chunks, so that chunks can be dropped, repeated and swapped.
    let plain: Vec<u8> = (0..160 * 1024).map(|i| (i % 251) as u8).collect();
    let mut writer = crypto::backup_stream::BackupWriter::new(Vec::new(), &key, &mut rng).unwrap();
    writer.write_all(&plain).unwrap();
    let stream = writer.finish().unwrap();
    let read = |bytes: &[u8]| {
        let mut out = Vec::new();
        crypto::backup_stream::BackupReader::new(bytes, &key)
            .and_then(|mut reader| reader.read_to_end(&mut out))
            .map(|_| out)
    };
    assert_eq!(read(&stream).unwrap(), plain);
    fuzz(
        "backup",
        12,
        rounds(150),
        std::slice::from_ref(&stream),
        |bytes| {
            if let Ok(out) = read(bytes) {
                assert_eq!(
                    bytes,
                    stream.as_slice(),
                    "an altered backup read as {} bytes",
                    out.len()
                );
            }
        },
    );
}

#[test]
fn a_damaged_key_file_is_refused_never_half_read() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.key");
    let mut rng = StdRng::seed_from_u64(3);
    crypto::KeyFile::load_or_create(&real, &mut rng).unwrap();
    let made = std::fs::read(&real).unwrap();
    let path = dir.path().join("fuzzed.key");
    let all = seeds("keyfile", vec![made]);
    fuzz("keyfile", 13, rounds(1500), &all, |bytes| {
        std::fs::write(&path, bytes).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        if let Ok(keys) = crypto::KeyFile::load(&path) {
            // Whatever loads is whole: it has a current key to wrap with.
            let _ = keys.current_kek();
        }
    });
}

#[test]
fn checkpoints_read_back_exactly_or_are_refused() {
    let all = seeds("checkpoints", Vec::new());
    fuzz("checkpoints", 14, rounds(3000), &all, |bytes| {
        if let Ok(found) = domain::audit_checkpoint::Checkpoint::find_all(&text(bytes)) {
            for checkpoint in found {
                let again = domain::audit_checkpoint::Checkpoint::find_all(&checkpoint.line());
                assert_eq!(
                    again.unwrap(),
                    vec![checkpoint],
                    "a checkpoint reads back as written"
                );
            }
        }
    });
}

#[test]
fn facts_files_parse_or_say_what_is_wrong() {
    let example = include_bytes!("../../domain/tests/design-example.facts.json").to_vec();
    let all = seeds("facts", vec![example]);
    let packs = domain::legal::RulePacks::shipped().unwrap();
    fuzz("facts", 15, rounds(3000), &all, |bytes| {
        match domain::legal::Facts::parse_json(&text(bytes)) {
            // Whatever parses can be determined.
            Ok(facts) => drop(packs.evaluate(&facts, domain::legal::Jurisdiction::All)),
            Err(problem) => assert!(!problem.to_string().is_empty()),
        }
    });
}

#[test]
fn instrument_files_and_answers_parse_or_say_what_is_wrong() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../instruments");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let shipped: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    fuzz("instruments", 16, rounds(1500), &shipped, |bytes| {
        if let Err(problem) = domain::instrument::Instrument::parse("fuzzed.toml", &text(bytes)) {
            assert!(!problem.to_string().is_empty());
        }
    });
    let instruments = domain::instrument::shipped().unwrap();
    let all = seeds("answers", Vec::new());
    fuzz("answers", 17, rounds(3000), &all, |bytes| {
        for instrument in &instruments {
            if let Ok(answers) = domain::instrument::Answers::parse_json(instrument, &text(bytes)) {
                drop(instrument.score(&answers));
            }
        }
    });
}

/// Every JSON body the API takes, mutated and sent to the running server as a case manager
/// assigned to the client: whatever arrives, the answer is never a 5xx and the server stays up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_bodies_never_get_a_server_error() {
    let t = common::TestApp::start(common::Engine::Sqlite).await;
    let ana = t.persona("ana.m", Role::CaseManager).await;
    let client = t
        .recorded(
            &ana.caller,
            domain::client::RawClient {
                preferred_name: "Rosa".into(),
                ..Default::default()
            },
        )
        .await;
    let routes: Vec<(String, &str)> = vec![
        ("/api/v1/clients".into(), "create-client"),
        ("/api/v1/clients/duplicates".into(), "duplicates"),
        (format!("/api/v1/clients/{client}/notes"), "note"),
        (format!("/api/v1/clients/{client}/needs"), "needs"),
        (format!("/api/v1/clients/{client}/plan/goals"), "goal"),
        (
            format!("/api/v1/clients/{client}/plan/reviews"),
            "plan-review",
        ),
        (format!("/api/v1/clients/{client}/cases"), "case"),
        (format!("/api/v1/clients/{client}/screenings"), "screening"),
        (
            format!("/api/v1/clients/{client}/determinations"),
            "determination",
        ),
    ];
    // A connection of its own for every request: after a body too large to read (413) the
    // server closes the connection, and a pooled one could be reused before that is seen.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let mut rng = StdRng::seed_from_u64(18);
    for (path, kind) in routes {
        let target = format!("json-bodies/{kind}");
        let all = seeds(&target, Vec::new());
        for n in 0..rounds(80) + all.len() {
            let body = match all.get(n) {
                Some(seed) => seed.clone(),
                None => mutated(&mut rng, &all),
            };
            let response = http
                .post(t.url(&path))
                .bearer_auth(&ana.token)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(
                response.status().as_u16() < 500,
                "{path} answered {} to {}; save it in {}",
                response.status(),
                text(&body).escape_debug(),
                corpus_dir(&target).display()
            );
        }
    }
    assert_eq!(
        t.http.get(t.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert!(t.app.verify_audit(&[], |_| {}).await.unwrap().is_ok());
}

/// A form as a page carries it: the page, where it posts, and its fields with their values.
type FoundForm = (String, String, Vec<(String, String)>);

/// Values that forms are not built for.
const ODD_VALUES: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "\u{7}bell",
    "\r\n\r\n",
    "\u{202e}reversed",
    "Zoë 🌸",
    "%",
    "%FF",
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "0000-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "yes",
    "no",
    "on",
];

/// Every form on a case manager's pages (the caseload, intake, a client's record, safety flags,
/// needs, the service plan, screenings, the determination worksheet, the account page), found in the pages
/// themselves and posted with odd values, fields dropped, repeated or added: never a 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_forms_never_get_a_server_error() {
    let t = common::TestApp::start(common::Engine::Sqlite).await;
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = common::staff::Staff::without_keep_alive(&t);
    staff.sign_in("ana.m", &secret).await;
    let client = t.client_page_of(&ana, "Rosa").await;
    let pages = [
        "/app/".to_owned(),
        "/app/clients/new".to_owned(),
        client.clone(),
        format!("{client}/safety"),
        format!("{client}/needs"),
        format!("{client}/plan"),
        format!("{client}/screenings/new"),
        format!("{client}/screenings/new/sscst-6"),
        format!("{client}/determinations/new"),
        "/app/account".to_owned(),
        "/app/emergency".to_owned(),
    ];
    let form = regex::Regex::new(r#"(?s)<form([^>]*method="post"[^>]*)>(.*?)</form>"#).unwrap();
    let action_of = regex::Regex::new(r#"action="([^"]+)""#).unwrap();
    let field = regex::Regex::new(
        r#"<(?:input|select|textarea)[^>]*name="([^"]+)"(?:[^>]*value="([^"]*)")?"#,
    )
    .unwrap();
    let mut forms: Vec<FoundForm> = Vec::new();
    for page in &pages {
        let body = staff.get(page).await.body;
        for found in form.captures_iter(&body) {
            let Some(action) = action_of.captures(&found[1]) else {
                continue;
            };
            let action = action[1].replace("&amp;", "&");
            // Signing out would end the run's own session.
            if action.contains("logout") || action.contains("sign-out") {
                continue;
            }
            let fields = field
                .captures_iter(&found[2])
                .map(|f| {
                    (
                        f[1].to_owned(),
                        f.get(2).map_or("", |v| v.as_str()).to_owned(),
                    )
                })
                .collect();
            forms.push((page.clone(), action, fields));
        }
    }
    let actions: Vec<&str> = forms.iter().map(|(_, action, _)| action.as_str()).collect();
    assert!(forms.len() >= 8, "found only these forms: {actions:?}");
    let mut rng = StdRng::seed_from_u64(19);
    for _ in 0..rounds(300) {
        let (page, action, fields) = &forms[rng.gen_range(0..forms.len())];
        let mut sent: Vec<(String, String)> = fields
            .iter()
            .filter(|(name, _)| name != "csrf")
            .map(|(name, value)| {
                let value = match rng.gen_range(0..3) {
                    0 => value.clone(),
                    1 => ODD_VALUES[rng.gen_range(0..ODD_VALUES.len())].to_owned(),
                    _ => "x".repeat(rng.gen_range(0..9000)),
                };
                (name.clone(), value)
            })
            .collect();
        match rng.gen_range(0..4) {
            0 if !sent.is_empty() => drop(sent.remove(rng.gen_range(0..sent.len()))),
            1 if !sent.is_empty() => sent.push(sent[rng.gen_range(0..sent.len())].clone()),
            2 => sent.push(("unexpected".into(), "field".into())),
            _ => {}
        }
        let pairs: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let answer = staff.submit(page, action, &pairs).await;
        assert!(
            answer.status.as_u16() < 500,
            "{action} answered {} to {pairs:?}",
            answer.status
        );
    }
    assert_eq!(
        staff.get("/app/").await.status,
        200,
        "still signed in and served"
    );
    assert!(t.app.verify_audit(&[], |_| {}).await.unwrap().is_ok());
}

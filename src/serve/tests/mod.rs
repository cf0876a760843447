//! HTTP-level tests: every route through the real router (guard, body limit,
//! handlers) with `tower::ServiceExt::oneshot`, on a copy of data/example.

use super::*;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tower::ServiceExt;

mod writes;

const TOKEN: &str = "test-token-0123456789abcdef";
const HOST: &str = "127.0.0.1:8080";

pub(super) struct Fixture {
    dir: tempfile::TempDir,
    app: Arc<App>,
}

impl Fixture {
    /// The example program in a scratch folder, served with a short solve.
    fn new() -> Fixture {
        Fixture::with_time_limit(2.0)
    }

    fn with_time_limit(time_limit: f64) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example");
        for entry in std::fs::read_dir(example).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
        }
        let app = App::new(ServeOptions {
            input_dir: input,
            out: dir.path().join("out"),
            monday: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            load: Default::default(),
            time_limit,
            threads: 1,
            timezone: chrono_tz::Tz::UTC,
            token: TOKEN.to_string(),
        });
        Fixture { dir, app }
    }

    fn input(&self, name: &str) -> PathBuf {
        self.dir.path().join("in").join(name)
    }

    async fn send(&self, request: Request<Body>) -> Response<Body> {
        let guard = Guard::new(TOKEN.to_string(), "127.0.0.1".parse().unwrap(), 8080);
        router(self.app.clone(), guard)
            .oneshot(request)
            .await
            .unwrap()
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self.send(get(uri).body(Body::empty()).unwrap()).await;
        read(response).await
    }

    async fn post(&self, uri: &str, json: &str) -> (StatusCode, String) {
        let response = self
            .send(post(uri).body(Body::from(json.to_string())).unwrap())
            .await;
        read(response).await
    }

    /// Solves the week and waits for the solve to end.
    async fn solved(&self) {
        let (status, _) = self.post("/api/solve", "").await;
        assert_eq!(status, StatusCode::ACCEPTED);
        self.wait().await;
    }

    async fn wait(&self) {
        while !self.app.job().is_some_and(|job| job.is_done()) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn get(uri: &str) -> axum::http::request::Builder {
    Request::get(uri)
        .header("host", HOST)
        .header("cookie", format!("{TOKEN_COOKIE}={TOKEN}"))
}

fn post(uri: &str) -> axum::http::request::Builder {
    Request::post(uri)
        .header("host", HOST)
        .header("content-type", "application/json")
        .header(TOKEN_HEADER, TOKEN)
}

async fn read(response: Response<Body>) -> (StatusCode, String) {
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test]
async fn post_without_or_with_a_wrong_token_is_forbidden() {
    let f = Fixture::new();
    let bare = Request::post("/api/solve").header("host", HOST);
    let response = f.send(bare.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let wrong = Request::post("/api/solve")
        .header("host", HOST)
        .header(TOKEN_HEADER, "test-token-0123456789abcdeX");
    let response = f.send(wrong.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A cookie alone does not make a POST: only a page of ours can set the header.
    let cookie_only = Request::post("/api/solve")
        .header("host", HOST)
        .header("cookie", format!("{TOKEN_COOKIE}={TOKEN}"));
    let response = f.send(cookie_only.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(f.app.job().is_none(), "a forbidden request started a solve");
}

#[tokio::test]
async fn cross_site_request_is_forbidden_even_with_the_token() {
    let f = Fixture::new();
    let evil = post("/api/solve").header("origin", "http://evil.example");
    let response = f.send(evil.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let fetch = post("/api/solve").header("sec-fetch-site", "cross-site");
    let response = f.send(fetch.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(f.app.job().is_none());
    let ours = post("/api/solve/stop")
        .header("origin", format!("http://{HOST}"))
        .header("sec-fetch-site", "same-origin");
    let response = f.send(ours.body(Body::empty()).unwrap()).await;
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "same origin passes the guard"
    );
}

#[tokio::test]
async fn pages_need_the_token_and_a_loopback_host() {
    let f = Fixture::new();
    let anonymous = Request::get("/clients").header("host", HOST);
    let response = f.send(anonymous.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let first = Request::get(format!("/clients?token={TOKEN}")).header("host", HOST);
    let response = f.send(first.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    // A DNS-rebinding page reaches us under its own host name.
    let rebound = Request::get("/api/week")
        .header("host", "evil.example:8080")
        .header("cookie", format!("{TOKEN_COOKIE}={TOKEN}"));
    let response = f.send(rebound.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn oversized_body_is_refused_with_413() {
    let f = Fixture::new();
    let big = format!("{{\"client_id\":\"{}\"}}", "x".repeat(BODY_LIMIT + 1));
    let (status, _) = f.post("/api/place", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn second_solve_while_one_runs_is_busy_409() {
    let f = Fixture::new();
    let (status, _) = f.post("/api/solve", "").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, body) = f.post("/api/solve", "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(json(&body)["error"], "busy");
    let (status, body) = f.post("/api/publish", "").await;
    assert_eq!(
        (status, json(&body)["error"].clone()),
        (StatusCode::CONFLICT, "busy".into())
    );
    f.wait().await;
}

#[tokio::test]
async fn stop_ends_the_solve_with_the_best_roster_found() {
    let f = Fixture::with_time_limit(60.0);
    let (status, _) = f.post("/api/solve", "").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, body) = f.post("/api/solve/stop", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    f.wait().await;
    let (_, body) = f.get("/api/solve/progress").await;
    let progress = json(&body);
    assert_eq!(progress["failed"], false, "{body}");
    assert!(progress["elapsed"].as_f64().unwrap() < 60.0, "{body}");
    assert_eq!(f.app.week().unwrap().program.clients.len(), 40);
    let (status, _) = f.post("/api/solve/stop", "").await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing left to stop");
}

#[test]
fn non_loopback_bind_without_token_is_refused() {
    let any: std::net::IpAddr = "0.0.0.0".parse().unwrap();
    let error = token_for(any, None).unwrap_err().to_string();
    assert!(error.contains("--token"), "{error}");
}

#[tokio::test]
async fn week_solve_progress_and_publish() {
    let f = Fixture::new();
    let (_, body) = f.get("/api/week").await;
    assert!(json(&body)["week"].is_null());
    let (status, _) = f.post("/api/publish", "").await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "nothing to publish before a solve"
    );
    f.solved().await;
    let (_, body) = f.get("/api/solve/progress").await;
    let progress = json(&body);
    assert_eq!(
        (progress["running"].clone(), progress["failed"].clone()),
        (false.into(), false.into())
    );
    let (status, body) = f.get("/api/week").await;
    assert_eq!(status, StatusCode::OK);
    let week = &json(&body)["week"];
    let clients = week["clients"].as_array().unwrap();
    assert_eq!(clients.len(), 40);
    // Short clients first, each with its shortfall and reason.
    let first_met = clients.iter().position(|c| c["status"] == "met").unwrap();
    assert!(clients[first_met..].iter().all(|c| c["status"] == "met"));
    assert!(clients[..first_met]
        .iter()
        .all(|c| c["reason"] != "" && c["shortfall"] != ""));
    assert!(week["summary"]
        .as_str()
        .unwrap()
        .starts_with("week of 2026-11-23: 40 clients"));
    assert!(!week["roster"].as_array().unwrap().is_empty());
    assert!(!week["stages"].as_array().unwrap().is_empty());
    let (status, body) = f.post("/api/publish", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let out = f.dir.path().join("out");
    for name in [
        "roster.csv",
        "client_summary.csv",
        "billing.csv",
        "roster.html",
        "run.json",
    ] {
        assert!(out.join(name).is_file(), "{name} not published");
    }
    assert_eq!(f.app.published(), Some(out.join("roster.csv")));
}

#[tokio::test]
async fn broken_input_shows_its_errors_and_keeps_the_last_good_program() {
    let f = Fixture::new();
    let clients = std::fs::read_to_string(f.input("clients.csv")).unwrap();
    std::fs::write(
        f.input("clients.csv"),
        clients.replacen(",PHP,", ",PHX,", 1),
    )
    .unwrap();
    let (_, body) = f.get("/api/lint").await;
    let lint = json(&body);
    assert_eq!(lint["ok"], false);
    let error = &lint["errors"][0];
    assert_eq!(
        (error["file"].clone(), error["line"].clone()),
        ("clients.csv".into(), 2.into())
    );
    assert_eq!(error["column"], "level");
    // The last good input still solves, and every page says what to fix.
    f.solved().await;
    assert!(f.app.week().is_some());
    let (status, html) = f.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("input-banner"));
    let (_, html) = f.get("/inputs").await;
    assert!(html.contains("clients.csv") && html.contains("PHX"));
}

#[tokio::test]
async fn every_page_renders() {
    let f = Fixture::new();
    f.solved().await;
    for page in [
        "/",
        "/clients",
        "/clients?status=short&track=night",
        "/clients/C031",
        "/staff",
        "/intake",
        "/inputs",
        "/week/grid",
    ] {
        let (status, html) = f.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}: {html}");
        assert!(html.contains("</html>"), "{page}");
    }
    let (_, html) = f.get("/clients?status=met").await;
    assert!(!html.contains("<tr class=\"short\">"));
    let (status, _) = f.get("/clients/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hostile_client_id_is_escaped_in_every_page() {
    let f = Fixture::new();
    let hostile = "X<img src=x onerror=alert(1)>&'";
    let mut clients = std::fs::OpenOptions::new()
        .append(true)
        .open(f.input("clients.csv"))
        .unwrap();
    std::io::Write::write_all(
        &mut clients,
        format!("\"{hostile}\",IOP,,any,T1,,,,0\n").as_bytes(),
    )
    .unwrap();
    f.solved().await;
    let week = f.app.week().unwrap();
    assert!(
        week.program
            .clients
            .iter()
            .any(|c| c.id.to_string() == hostile),
        "the loader accepts it"
    );
    let encoded = "X%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%26'";
    for page in [
        "/",
        "/clients",
        "/staff",
        "/week/grid",
        &format!("/clients/{encoded}"),
    ] {
        let (status, html) = f.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(!html.contains("<img"), "{page} carries the raw ID");
    }
    let (_, html) = f.get("/clients").await;
    assert!(html.contains("X&lt;img src=x onerror=alert(1)&gt;&amp;"));
}

#[tokio::test]
async fn path_like_values_never_open_a_file() {
    let f = Fixture::new();
    std::fs::write(f.dir.path().join("secret.txt"), "SENTINEL-SECRET").unwrap();
    f.solved().await;
    for page in [
        "/clients/..%2Fsecret.txt",
        "/clients/..%2F..%2Fsecret.txt",
        "/assets/..%2F..%2Fsecret.txt",
        "/api/clients/..%2Fsecret.txt/options",
        "/../secret.txt",
    ] {
        let (status, body) = f.get(page).await;
        assert_ne!(status, StatusCode::OK, "{page}");
        assert!(!body.contains("SENTINEL"), "{page}");
    }
    let hostile = r#"{"client_id":"../secret.txt","level":"IOP"}"#;
    let (status, body) = f.post("/api/place", hostile).await;
    assert_ne!(status, StatusCode::OK);
    assert!(!body.contains("SENTINEL"));
    let mut names: Vec<String> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["in", "secret.txt"],
        "nothing written beside the input folder"
    );
}

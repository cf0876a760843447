//! HTTP-level tests of the routes that write or place: Admit, Add, intake.

use super::*;

#[tokio::test]
async fn admit_keeps_every_other_byte_of_clients_csv() {
    let f = Fixture::new();
    // CRLF line endings and no final line ending, as a spreadsheet may save it.
    let before = std::fs::read_to_string(f.input("clients.csv")).unwrap();
    let crlf = before.trim_end().replace('\n', "\r\n");
    std::fs::write(f.input("clients.csv"), &crlf).unwrap();
    let busy_before = std::fs::read(f.input("client_busy.csv")).unwrap();
    let client = r#"{"client_id":"N200","level":"IOP","track":"night","primary_therapist":"T4",
        "busy":[{"day":"Mon","start":"08:00","end":"17:00","reason":"work"}]}"#;
    let (status, body) = f.post("/api/admit", client).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = std::fs::read_to_string(f.input("clients.csv")).unwrap();
    assert_eq!(after, format!("{crlf}\r\nN200,IOP,,night,T4,,,,\r\n"));
    let busy_after = std::fs::read(f.input("client_busy.csv")).unwrap();
    assert_eq!(busy_after[..busy_before.len()], busy_before[..]);
    assert_eq!(
        &busy_after[busy_before.len()..],
        b"N200,Mon,08:00,17:00,work\n"
    );
    f.wait().await;
    let week = f.app.week().unwrap();
    assert!(week
        .program
        .clients
        .iter()
        .any(|c| c.id.to_string() == "N200"));
}

#[tokio::test]
async fn admit_of_bad_values_writes_nothing() {
    let f = Fixture::new();
    let before = std::fs::read(f.input("clients.csv")).unwrap();
    let (status, body) = f
        .post("/api/admit", r#"{"client_id":"C001","level":"XXX"}"#)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &json(&body)["details"]["errors"];
    assert!(errors
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["column"] == "level"));
    assert_eq!(std::fs::read(f.input("clients.csv")).unwrap(), before);
    let (status, _) = f
        .post("/api/admit", r#"{"client_id":"N1\nC9,PHP","level":"IOP"}"#)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(std::fs::read(f.input("clients.csv")).unwrap(), before);
}

#[tokio::test]
async fn place_ranks_options_for_a_new_client_around_the_published_week() {
    let f = Fixture::new();
    let client = r#"{"client_id":"N300","level":"IOP","track":"night","primary_therapist":"T4",
        "busy":[{"day":"Mon","start":"08:00","end":"17:00","reason":"work"}]}"#;
    let (status, body) = f.post("/api/place", client).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "no published roster yet: {body}"
    );
    f.solved().await;
    assert_eq!(f.post("/api/publish", "").await.0, StatusCode::OK);
    let (status, body) = f.post("/api/place", client).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let placed = json(&body);
    let options = placed["options"].as_array().unwrap();
    assert!(!options.is_empty());
    assert_eq!(options[0]["rank"], 1);
    assert!(options[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["client_id"] == "N300"));
    assert!(
        !std::fs::read_to_string(f.input("clients.csv"))
            .unwrap()
            .contains("N300"),
        "place writes nothing"
    );
}

/// A what-if result as `GET /api/whatif` caches it, with one proposal: a copy of
/// the first catalog session on Saturday.
fn proposal_cached(f: &Fixture, id: &str) {
    let program = (*f.app.refresh().0.unwrap()).clone();
    let mut session = program.sessions[0].clone();
    session.id = crate::domain::SessionId(id.to_string());
    session.interval = crate::time::Interval::on_day(
        crate::time::Day::new(5).unwrap(),
        session.interval.start_of_day(),
        session.interval.end_of_day(),
    )
    .unwrap();
    let proposal = crate::whatif::Proposal {
        session,
        extra_met: 1,
        extra_minutes: 100,
    };
    let result = crate::whatif::Whatif {
        program,
        met: 0,
        short: 0,
        proven: true,
        evaluated: 1,
        proposals: vec![proposal],
        staff_shortages: Vec::new(),
    };
    *state::lock(&f.app.whatif) = Some((f.app.fingerprint(), Arc::new(result)));
}

#[tokio::test]
async fn add_appends_the_proposed_session_and_keeps_every_other_byte() {
    let f = Fixture::new();
    let (status, _) = f.post("/api/sessions", r#"{"rank":1}"#).await;
    assert_eq!(status, StatusCode::CONFLICT, "no proposals made yet");
    proposal_cached(&f, "D-NEW-SAT");
    let before = std::fs::read_to_string(f.input("sessions.csv")).unwrap();
    let (status, _) = f.post("/api/sessions", r#"{"rank":2}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "there is one proposal");
    let (status, body) = f.post("/api/sessions", r#"{"rank":1}"#).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["added"], "D-NEW-SAT");
    let after = std::fs::read_to_string(f.input("sessions.csv")).unwrap();
    let first = before.lines().nth(1).unwrap();
    let row = first
        .replacen("D-MON-A", "D-NEW-SAT", 1)
        .replacen(",Mon,", ",Sat,", 1);
    assert_eq!(after, format!("{before}{row}\n"));
    // The inputs changed: the cached proposals are stale now.
    let (status, _) = f.post("/api/sessions", r#"{"rank":1}"#).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

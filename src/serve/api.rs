//! The JSON API under `/api/` (documented in the README): thin handlers over
//! [`App`] and [`intake`]; slow work runs on the blocking pool.

use super::intake::{self, NewClient};
use super::state::{App, Problems, ServeError};
use super::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/week", get(week))
        .route("/api/solve", post(solve))
        .route("/api/solve/progress", get(progress))
        .route("/api/solve/stop", post(stop))
        .route("/api/publish", post(publish))
        .route("/api/place", post(place))
        .route("/api/clients/{id}/options", get(options))
        .route("/api/admit", post(admit))
        .route("/api/whatif", get(whatif))
        .route("/api/sessions", post(add_session))
        .route("/api/lint", get(lint))
}

fn problems_json(problems: &Problems) -> Value {
    json!({
        "errors": problems.input.iter().map(views::error).collect::<Vec<_>>(),
        "problems": problems.other,
    })
}

impl IntoResponse for ServeError {
    fn into_response(self) -> Response {
        let (status, kind, message, extra) = match self {
            ServeError::Busy(m) => (StatusCode::CONFLICT, "busy", m, Value::Null),
            ServeError::NoInput(p) => (
                StatusCode::CONFLICT,
                "no_input",
                "the input folder has never loaded: fix the files (see Inputs)".into(),
                problems_json(&p),
            ),
            ServeError::NotYet(m) => (StatusCode::CONFLICT, "not_yet", m, Value::Null),
            ServeError::Invalid(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("{} input problem(s)", errors.len()),
                problems_json(&Problems {
                    input: errors,
                    other: Vec::new(),
                }),
            ),
            ServeError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m, Value::Null),
            ServeError::Failed(m) => (StatusCode::INTERNAL_SERVER_ERROR, "failed", m, Value::Null),
        };
        let body = json!({ "error": kind, "message": message, "details": extra });
        (status, Json(body)).into_response()
    }
}

/// Runs slow library work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServeError> + Send + 'static,
) -> Result<T, ServeError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| Err(ServeError::Failed("the request's work panicked".into())))
}

async fn week(State(app): State<Arc<App>>) -> Json<Value> {
    let (program, problems) = app.refresh();
    let clients = program.as_ref().map_or(0, |p| p.clients.len());
    Json(json!({
        "week": app.week().map(|w| views::week(&w)),
        "inputs": problems_json(&problems),
        "solve": app.job().map(|job| job.status(clients)),
        "published": app.published().is_some(),
    }))
}

async fn solve(State(app): State<Arc<App>>) -> Result<Response, ServeError> {
    let job = app.start_solve()?;
    let started = json!({ "started": true, "time_limit": job.status(0).time_limit });
    Ok((StatusCode::ACCEPTED, Json(started)).into_response())
}

async fn progress(State(app): State<Arc<App>>) -> Json<Value> {
    let clients = app.refresh().0.map_or(0, |p| p.clients.len());
    match app.job() {
        Some(job) => Json(json!(job.status(clients))),
        None => Json(json!({ "running": false, "stage": "idle", "clients": clients })),
    }
}

async fn stop(State(app): State<Arc<App>>) -> Result<Json<Value>, ServeError> {
    match app.job().filter(|job| !job.is_done()) {
        Some(job) => {
            job.stop();
            Ok(Json(json!({ "stopping": true })))
        }
        None => Err(ServeError::NotYet("no solve is running".into())),
    }
}

async fn publish(State(app): State<Arc<App>>) -> Result<Json<Value>, ServeError> {
    let files = blocking(move || app.publish()).await?;
    Ok(Json(json!({ "published": true, "files": files })))
}

async fn place(
    State(app): State<Arc<App>>,
    Json(client): Json<NewClient>,
) -> Result<Json<Value>, ServeError> {
    let id = client.client_id.trim().to_string();
    let placed = blocking(move || intake::place_new(&app, &client)).await?;
    Ok(Json(placements_json(&placed, &id)))
}

fn placements_json(placed: &crate::place::Placed, id: &str) -> Value {
    let options = placed
        .clients
        .iter()
        .find(|(c, _)| placed.program.client(*c).id.to_string() == id)
        .map(|(_, options)| views::placements(&placed.program, options))
        .unwrap_or_default();
    json!({ "client_id": id, "options": options })
}

async fn options(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ServeError> {
    let week = app.week();
    let known = week.is_some_and(|w| w.program.clients.iter().any(|c| c.id.to_string() == id));
    if !known {
        return Err(ServeError::BadRequest(
            "no such client in the current week".into(),
        ));
    }
    let lookup = id.clone();
    let placed = blocking(move || intake::other_options(&app, &lookup)).await?;
    Ok(Json(placements_json(&placed, &id)))
}

async fn admit(
    State(app): State<Arc<App>>,
    Json(client): Json<NewClient>,
) -> Result<Json<Value>, ServeError> {
    let id = client.client_id.trim().to_string();
    let solving = blocking(move || intake::admit(&app, &client)).await?;
    Ok(Json(json!({ "admitted": id, "solving": solving })))
}

async fn whatif(State(app): State<Arc<App>>) -> Result<Json<Value>, ServeError> {
    let result = blocking(move || intake::whatif(&app)).await?;
    Ok(Json(json!({
        "met": result.met,
        "short": result.short,
        "proven": result.proven,
        "evaluated": result.evaluated,
        "proposals": views::proposals(&result),
        "staff_shortages": result.staff_shortages.iter().map(views::finding).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddSession {
    rank: usize,
}

async fn add_session(
    State(app): State<Arc<App>>,
    Json(add): Json<AddSession>,
) -> Result<Json<Value>, ServeError> {
    let id = blocking(move || intake::add_session(&app, add.rank)).await?;
    Ok(Json(json!({ "added": id })))
}

async fn lint(State(app): State<Arc<App>>) -> Json<Value> {
    let (program, problems) = app.refresh();
    let findings: Vec<_> = program
        .map(|p| crate::lint::lint(&p).iter().map(views::finding).collect())
        .unwrap_or_default();
    let mut body = problems_json(&problems);
    body["findings"] = json!(findings);
    body["ok"] = json!(problems.is_empty());
    Json(body)
}

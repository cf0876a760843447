//! The HTML pages, rendered on the server from [`views`] with minijinja
//! templates (every value HTML-escaped), and the embedded CSS and script.

use super::intake;
use super::state::{App, Problems, ServeError};
use super::views;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{context, Environment, Value};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

const TEMPLATES: [(&str, &str); 8] = [
    ("base.html", include_str!("templates/base.html")),
    ("week.html", include_str!("templates/week.html")),
    ("clients.html", include_str!("templates/clients.html")),
    ("client.html", include_str!("templates/client.html")),
    ("staff.html", include_str!("templates/staff.html")),
    ("intake.html", include_str!("templates/intake.html")),
    ("whatif.html", include_str!("templates/whatif.html")),
    ("inputs.html", include_str!("templates/inputs.html")),
];
const CSS: &str = include_str!("assets/app.css");
const JS: &str = include_str!("assets/app.js");

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(week))
        .route("/week/grid", get(grid))
        .route("/clients", get(clients))
        .route("/clients/{id}", get(client))
        .route("/staff", get(staff))
        .route("/intake", get(intake_page))
        .route("/whatif", get(whatif))
        .route("/inputs", get(inputs))
        .route(
            "/assets/app.css",
            get(|| asset("text/css; charset=utf-8", CSS)),
        )
        .route(
            "/assets/app.js",
            get(|| asset("text/javascript; charset=utf-8", JS)),
        )
}

async fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The templates, parsed once; `.html` names escape every value.
fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("the embedded templates parse (tested)");
        }
        env
    })
}

/// Renders a page with what every page shows: the token, the nav, the input state.
fn render(app: &App, name: &str, page: &str, values: Value) -> Response {
    let (_, problems) = app.refresh();
    let common = context! {
        token => &app.opts.token,
        page => page,
        monday => app.opts.monday.to_string(),
        input_problems => problems.input.len() + problems.other.len(),
    };
    let ctx = context! { ..values, ..common };
    match env().get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            eprintln!("serve: template {name} failed: {}", error.kind());
            (StatusCode::INTERNAL_SERVER_ERROR, "page failed to render").into_response()
        }
    }
}

async fn week(State(app): State<Arc<App>>) -> Response {
    let week = app.week().map(|w| views::week(&w));
    let clients = app.refresh().0.map_or(0, |p| p.clients.len());
    let job = app.job().map(|j| j.status(clients));
    let ctx = context! { week, job, published => app.published().is_some() };
    render(&app, "week.html", "week", ctx)
}

/// The printable grid of the current week (roster.html), for the Week page's frame.
async fn grid(State(app): State<Arc<App>>) -> Response {
    match app.week() {
        Some(w) => Html(crate::report::html::render(&w.program, &w.schedule)).into_response(),
        None => Html("<!DOCTYPE html><p>No roster yet: press Solve.</p>").into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Filter {
    site: String,
    level: String,
    track: String,
    status: String,
}

async fn clients(State(app): State<Arc<App>>, Query(filter): Query<Filter>) -> Response {
    let all = app.week().map(|w| views::clients(&w)).unwrap_or_default();
    let distinct = |f: fn(&views::ClientView) -> &str| {
        let mut v: Vec<String> = all
            .iter()
            .map(|c| f(c).to_string())
            .filter(|v| !v.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let choices = context! {
        sites => distinct(|c| &c.site),
        levels => distinct(|c| &c.level),
        tracks => distinct(|c| &c.track),
    };
    let keep = |value: &str, wanted: &str| wanted.is_empty() || value == wanted;
    let shown: Vec<_> = all
        .iter()
        .filter(|c| keep(&c.site, &filter.site) && keep(&c.level, &filter.level))
        .filter(|c| keep(&c.track, &filter.track) && keep(c.status, &filter.status))
        .collect();
    let ctx = context! {
        clients => shown, total => all.len(), choices,
        filter => context! { site => filter.site, level => filter.level,
                             track => filter.track, status => filter.status },
        solved => app.week().is_some(),
    };
    render(&app, "clients.html", "clients", ctx)
}

async fn client(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let Some(week) = app.week() else {
        return render(&app, "client.html", "clients", context! { id });
    };
    let program = &week.program;
    let Some(c) = program.find_client(&id) else {
        let ctx = context! { id, unknown => true };
        return (
            StatusCode::NOT_FOUND,
            render(&app, "client.html", "clients", ctx),
        )
            .into_response();
    };
    let summary = views::clients(&week)
        .into_iter()
        .find(|v| v.client_id == id);
    let rows: Vec<_> = week
        .schedule
        .roster
        .entries
        .iter()
        .filter(|e| e.client == c)
        .map(|e| views::row(program, e))
        .collect();
    let ctx = context! {
        id, client => summary, rows, busy => views::busy(program, c),
        published => app.published().is_some(),
    };
    render(&app, "client.html", "clients", ctx)
}

async fn staff(State(app): State<Arc<App>>) -> Response {
    let staff = app.week().map(|w| views::staff(&w));
    render(&app, "staff.html", "staff", context! { staff })
}

async fn intake_page(State(app): State<Arc<App>>) -> Response {
    let program = app.refresh().0;
    let names = |f: &dyn Fn(&crate::domain::Program) -> Vec<String>| {
        program.as_deref().map(f).unwrap_or_default()
    };
    let ctx = context! {
        levels => names(&|p| p.levels.iter().map(|l| l.name.clone()).collect()),
        therapists => names(&|p| p.staff.iter().filter(|s| s.role.is_therapist())
            .map(|s| s.id.to_string()).collect()),
        sites => names(&|p| {
            let mut v: Vec<String> = p.clients.iter().filter_map(|c| c.site.clone()).collect();
            v.sort();
            v.dedup();
            v
        }),
        published => app.published().is_some(),
    };
    render(&app, "intake.html", "intake", ctx)
}

async fn whatif(State(app): State<Arc<App>>) -> Response {
    let worker = app.clone();
    let result = tokio::task::spawn_blocking(move || intake::whatif(&worker))
        .await
        .unwrap_or_else(|_| Err(ServeError::Failed("what-if panicked".into())));
    let ctx = match result {
        Ok(w) => context! {
            met => w.met, short => w.short, proven => w.proven,
            proposals => views::proposals(&w),
            shortages => w.staff_shortages.iter().map(views::finding).collect::<Vec<_>>(),
            ok => true,
        },
        Err(ServeError::Invalid(_) | ServeError::NoInput(_)) => {
            context! { ok => false, error => "the input files have problems: see Inputs" }
        }
        Err(other) => context! { ok => false, error => other.to_string() },
    };
    render(&app, "whatif.html", "whatif", ctx)
}

async fn inputs(State(app): State<Arc<App>>) -> Response {
    let (program, problems): (_, Problems) = app.refresh();
    let findings: Vec<_> = program
        .as_deref()
        .map(|p| crate::lint::lint(p).iter().map(views::finding).collect())
        .unwrap_or_default();
    let ctx = context! {
        errors => problems.input.iter().map(views::error).collect::<Vec<_>>(),
        problems => problems.other,
        findings,
        loaded => program.is_some(),
    };
    render(&app, "inputs.html", "inputs", ctx)
}

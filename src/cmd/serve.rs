//! `iopsched serve`: the coordinator's web app on an input folder (see [`crate::serve`]).

use super::solve::{monday_of, parse_date, parse_timezone};
use crate::output::local_timezone;
use crate::serve::{self, App, Guard, ServeOptions};
use anyhow::Context;
use chrono::NaiveDate;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with the input files (as for solve); Admit and What-if's Add append to them.
    pub input_dir: PathBuf,
    /// Any date (YYYY-MM-DD) of the week to schedule; default: the coming week.
    #[arg(long, value_parser = parse_date)]
    pub week: Option<NaiveDate>,
    /// Folder Publish writes the outputs into, as `solve --out`.
    #[arg(long, default_value = "roster")]
    pub out: PathBuf,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; anything but loopback needs --token.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The secret every request must carry (at least 16 characters); default: a
    /// fresh random one per run, printed in the URL.
    #[arg(long)]
    pub token: Option<String>,
    /// Wall-clock budget of each solve, in seconds.
    #[arg(long, default_value_t = 30.0, value_parser = super::parse_time_limit)]
    pub time_limit: f64,
    /// IANA time zone of the published calendars, as for solve; default: $TZ, else
    /// this machine's zone, else UTC.
    #[arg(long, value_name = "NAME", value_parser = parse_timezone)]
    pub timezone: Option<chrono_tz::Tz>,
    #[command(flatten)]
    pub lengths: super::Lengths,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let token = match serve::token_for(args.bind, args.token.as_deref()) {
        Ok(token) => token,
        Err(error) => {
            errln!("iopsched: serve: {error}");
            return Ok(super::code(super::exit::FAILED));
        }
    };
    let opts = ServeOptions {
        input_dir: args.input_dir.clone(),
        out: args.out.clone(),
        monday: monday_of(args.week),
        load: args.lengths.load(),
        time_limit: args.time_limit,
        threads: 1,
        timezone: args.timezone.unwrap_or_else(local_timezone),
        token: token.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let address = SocketAddr::new(args.bind, args.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("listening on {address}"))?;
        let port = listener.local_addr()?.port();
        let app = App::new(opts);
        let router = serve::router(app, Guard::new(token.clone(), args.bind, port));
        let host = if args.bind.is_loopback() {
            "127.0.0.1".to_string()
        } else {
            args.bind.to_string()
        };
        outln!("iopsched serve: open http://{host}:{port}/?token={token}");
        errln!("serve: week of {}; Ctrl-C to stop", monday_of(args.week));
        serve::serve(listener, router).await.context("serving")?;
        Ok(super::code(super::exit::ALL_MET))
    })
}

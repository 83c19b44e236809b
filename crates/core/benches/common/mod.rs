//! Pieces every core benchmark shares: timing runs, the JSON line each measurement prints, the
//! benchmark office with its accounts, and a random pick from a word list.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use qingfeng_core::Store;
use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_demo as demo;
use rand::Rng;
use rand::rngs::StdRng;

/// One element of `list`, chosen by `rng`.
pub fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// The median and the 95th percentile of `ms`.
pub fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95))
}

/// Prints one measurement as the JSON line `cargo xtask bench` reads; `extra` is appended fields.
pub fn report(name: &str, ms: Vec<f64>, extra: &str) {
    let n = ms.len();
    let (p50, p95) = percentiles(ms);
    println!("{{\"bench\":\"{name}\",\"runs\":{n},\"p50_ms\":{p50:.2},\"p95_ms\":{p95:.2}{extra}}}");
}

/// Runs `f` `runs` times and returns each run's duration in milliseconds.
pub fn time(runs: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    (0..runs)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

/// Sets up the benchmark county office with the administrator `admin` and one account per
/// `(username, post)`, every password the demo's; returns the administrator.
pub fn office(store: &mut Store, officers: &[(&str, Role)]) -> Actor {
    let session = accounts::setup_office(
        store,
        &SetupRequest {
            office_code: "530102".into(),
            office_name: "五华区纪委监委（压测）".into(),
            office_level: OfficeLevel::County,
            parent_code: Some("530100".into()),
            admin_username: "admin".into(),
            admin_display_name: "张管理".into(),
            admin_password: demo::DEMO_PASSWORD.into(),
        },
        Channel::Cli,
    )
    .unwrap();
    let admin = Actor::User(accounts::principal(store, &session.session_id).unwrap());
    for (username, role) in officers {
        // The program creates the benchmark's officers itself, so posts that read identities do
        // not wait for a second person's approval (issue #14).
        accounts::add_user(
            store,
            &Actor::System,
            &NewUser {
                username: (*username).into(),
                display_name: (*username).into(),
                password: demo::DEMO_PASSWORD.into(),
                roles: vec![*role],
            },
        )
        .unwrap();
    }
    admin
}

/// Logs `name` in with the demo password.
pub fn login(store: &mut Store, name: &str) -> Actor {
    let s = accounts::login(store, name, demo::DEMO_PASSWORD, Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

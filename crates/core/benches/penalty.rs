//! Penalty execution at scale, run by `cargo xtask bench`: an office holding
//! QINGFENG_BENCH_DECISIONS decisions (default 100,000) with their generated checklists, then the
//! execution board (as the screen asks for it, and with each filter), a decision's page, and an
//! item's submission and approval (event, projections and the next item's deadline) timed. Prints
//! one JSON object per measurement with p50 and p95 in milliseconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{login, pick, report, time};

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::clock::Clock;
use qingfeng_core::deadlines::Light;
use qingfeng_core::identity::Role;
use qingfeng_core::penalty::model::*;
use qingfeng_core::penalty::ops;
use qingfeng_core::penalty::query::{self, BoardFilter};
use qingfeng_core::{KeySource, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "秀英", "建华", "志强", "海燕"];
const UNITS: &[&str] = &[
    "县住建局",
    "县交通运输局",
    "县自然资源局",
    "县教育体育局",
    "县卫生健康局",
    "县医院",
    "县财政局",
    "县农业农村局",
    "某乡人民政府",
    "某镇人民政府",
];

/// One decision as an office enters it: a party penalty, a government sanction or both, and for
/// some an amount to confiscate, so that every kind of template and item is represented.
fn decision(rng: &mut StdRng, n: usize, date: &str) -> RegisterPenalty {
    let party = [
        None,
        Some(PartyPenalty::Warning),
        Some(PartyPenalty::SeriousWarning),
        Some(PartyPenalty::RemovalFromPost),
        Some(PartyPenalty::Probation),
        Some(PartyPenalty::Expulsion),
    ][rng.gen_range(0..6)];
    let government = if party.is_none() || rng.gen_bool(0.3) {
        Some(
            [
                GovernmentSanction::Warning,
                GovernmentSanction::Demerit,
                GovernmentSanction::MajorDemerit,
                GovernmentSanction::Demotion,
                GovernmentSanction::Dismissal,
            ][rng.gen_range(0..5)],
        )
    } else {
        None
    };
    let unit = pick(rng, UNITS);
    RegisterPenalty {
        person: PenaltyPerson {
            name: format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN)),
            unit: unit.to_owned(),
            post: "科长".into(),
            rank: "一级主任科员".into(),
            party_member: party.is_some() || rng.gen_bool(0.5),
            deputy: rng.gen_bool(0.05),
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: format!("五纪处〔{}〕{}号", &date[..4], n + 1),
        deciding_body: "中共五华区纪律检查委员会".into(),
        party_penalty: party,
        probation_years: (party == Some(PartyPenalty::Probation)).then_some(1),
        government_sanction: government,
        sanction_count: None,
        sanction_months: None,
        decision_date: date.to_owned(),
        approval_date: Some(date.to_owned()),
        responsible_units: vec![format!("{unit}党组")],
        confiscate: rng.gen_bool(0.3).then(|| format!("{}.{:02}", rng.gen_range(100..50_000), rng.gen_range(0..100))),
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    }
}

fn main() {
    let total: usize = std::env::var("QINGFENG_BENCH_DECISIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir =
        tempfile::tempdir_in(std::env::var_os("QINGFENG_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();
    let db = dir.path().join("penalty.db");
    let mut store = Store::create(&db, &KeySource::File(dir.path().join("k.key"))).unwrap();
    let start = Utc.with_ymd_and_hms(2023, 1, 2, 1, 0, 0).unwrap();
    let today = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
    store.set_clock(Clock::manual(today));
    // Case management enters and submits, the trial department reviews.
    common::office(&mut store, &[("anguan", Role::CaseManagement), ("shenli", Role::Trial)]);
    let anguan = login(&mut store, "anguan");
    let shenli = login(&mut store, "shenli");

    // Decision dates spread evenly over four years, oldest first. Every checklist is left open
    // at its first item: the worst case for the board, whose light counts cover every open list.
    let mut rng = StdRng::seed_from_u64(2026);
    let span_days = (today - start).num_days();
    let batch = 2_000;
    let t = Instant::now();
    let mut ids = Vec::with_capacity(total);
    while ids.len() < total {
        let done = ids.len();
        let forms: Vec<RegisterPenalty> = (0..batch.min(total - done))
            .map(|i| {
                let day = ((done + i) as i64 * span_days) / total as i64;
                decision(&mut rng, done + i, &(start + Duration::days(day)).format("%Y-%m-%d").to_string())
            })
            .collect();
        ids.extend(ops::register_many(&mut store, &anguan, &forms).unwrap());
        if ids.len() % 20_000 == 0 || ids.len() == total {
            eprintln!("… {} decisions in {:.0} s", ids.len(), t.elapsed().as_secs_f64());
        }
    }
    let all = BoardFilter { limit: Some(total as u32), ..Default::default() };
    let items: u64 = query::board(&store, &anguan, &all).unwrap().rows.iter().map(|r| u64::from(r.items_total)).sum();
    println!(
        "{{\"bench\":\"build_decisions\",\"decisions\":{total},\"items\":{items},\"seconds\":{:.1}}}",
        t.elapsed().as_secs_f64()
    );

    for (name, filter) in [
        ("board", BoardFilter::default()),
        ("board_20", BoardFilter { limit: Some(20), ..Default::default() }),
        ("board_red", BoardFilter { light: Some(Light::Red), ..Default::default() }),
        ("board_unit", BoardFilter { unit: Some("住建".into()), ..Default::default() }),
        ("board_text", BoardFilter { text: Some("王秀英".into()), ..Default::default() }),
        ("board_open", BoardFilter { status: Some("open".into()), ..Default::default() }),
    ] {
        // One untimed call first: the page cache holds the board's index after the first screen,
        // and that first fill (decrypting the pages once) is reported apart as `board_cold`.
        let mut shown = 0;
        if name == "board" {
            let cold = time(1, |_| drop(query::board(&store, &anguan, &filter).unwrap()));
            report("board_cold", cold, "");
        } else {
            drop(query::board(&store, &anguan, &filter).unwrap());
        }
        let ms = time(30, |_| shown = query::board(&store, &anguan, &filter).unwrap().rows.len());
        report(name, ms, &format!(",\"rows_shown\":{shown}"));
    }
    report("decision_page", time(100, |i| drop(query::show(&store, &anguan, &ids[ids.len() - 1 - i]).unwrap())), "");

    // The newest decisions' first items: submitted by case management, then approved by the
    // trial department, each approval opening the next item and its deadline.
    let recent: Vec<&String> = ids.iter().rev().take(300).collect();
    let submit = SubmitRequest {
        date: "2026-11-20".into(),
        note: "已向本人送达处分决定，本人签收。".into(),
        measures: None,
        result: None,
        files: vec![],
    };
    report("submit_item", time(recent.len(), |i| ops::submit(&mut store, &anguan, recent[i], 1, &submit).unwrap()), "");
    let mut waiting = 0;
    let ms = time(30, |_| waiting = query::review_queue(&store, &shenli).unwrap().len());
    report("review_queue", ms, &format!(",\"rows\":{waiting}"));
    report(
        "approve_item",
        time(recent.len(), |i| ops::approve(&mut store, &shenli, recent[i], 1, "送达手续齐全。", None).unwrap()),
        "",
    );
    drop(store);
    let bytes: u64 = ["penalty.db", "penalty.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.path().join(f)).ok())
        .map(|m| m.len())
        .sum();
    println!("{{\"bench\":\"penalty_size\",\"decisions\":{total},\"bytes\":{bytes}}}");
}

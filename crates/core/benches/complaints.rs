//! Complaint workloads at scale, run by `cargo xtask bench`: an office holding
//! QINGFENG_BENCH_COMPLAINTS complaints (default 1,000,000), then the screens' queries timed
//! (inbox per post, dashboard, lists, full-text search, a complaint's page) and single
//! registrations. Prints one JSON object per measurement with p50 and p95 in milliseconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{login, pick, report, time};

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Screening};
use qingfeng_core::complaints::query::{self, ComplaintFilter};
use qingfeng_core::complaints::*;
use qingfeng_core::identity::Role;
use qingfeng_core::portrait::{CadreForm, OpinionRequestForm, Purpose, ops as portrait_ops, query as portrait_query};
use qingfeng_core::{KeySource, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强",
    "海燕", "国庆",
];
const POSTS: &[&str] =
    &["局长", "副局长", "乡党委书记", "乡长", "村党支部书记", "村委会主任", "所长", "科长", "站长", "校长"];
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
    "某村委会",
    "县市场监管局",
];
const ISSUES: &[&str] = &[
    "违规收受礼金",
    "挪用扶贫资金",
    "公车私用",
    "违规吃喝",
    "罚款不入账",
    "插手工程项目",
    "违规发放补贴",
    "优亲厚友",
    "套取工程款",
    "工作作风粗暴",
];
const CATEGORIES: &[&str] = &["违反廉洁纪律", "违反群众纪律", "违反工作纪律", "违反组织纪律", "违反生活纪律"];

fn form(rng: &mut StdRng, received: &str, historic: bool) -> RegisterComplaint {
    let name = format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN));
    let (post, unit, issue) = (pick(rng, POSTS), pick(rng, UNITS), pick(rng, ISSUES));
    // An office's history has its duties met long ago. Walking a million complaints through
    // every step one by one would take hours, so older complaints are modelled as owing no
    // notice (anonymous); the recent ones are 60% real-name with their duties open.
    let real_name = !historic && rng.gen_bool(0.6);
    RegisterComplaint {
        channel: [ComplaintChannel::Letter, ComplaintChannel::Visit, ComplaintChannel::Phone, ComplaintChannel::Web]
            [rng.gen_range(0..4)],
        received_at: received.to_owned(),
        reporter: real_name.then(|| Reporter {
            name: format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN)),
            unit: None,
            contact: format!("1380000{:04}", rng.gen_range(0..10_000)),
            address: None,
        }),
        real_name,
        real_name_verified: None,
        summary: format!("反映{unit}{post}{name}{issue}"),
        content: format!(
            "反映{unit}{post}{name}{issue}的问题。据反映，{name}在{}期间利用职务便利{}，群众意见较大。请求组织调查核实。",
            pick(rng, &["2024年", "2025年", "今年上半年", "去年年底"]),
            pick(rng, ISSUES)
        ),
        categories: vec![pick(rng, CATEGORIES).to_owned()],
        subjects: vec![Subject { name, post: post.to_owned(), unit: unit.to_owned(), level: "县管干部".into() }],
        repeat_of: None,
    }
}

fn main() {
    let total: usize =
        std::env::var("QINGFENG_BENCH_COMPLAINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir =
        tempfile::tempdir_in(std::env::var_os("QINGFENG_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();
    let db = dir.path().join("complaints.db");
    let mut store = Store::create(&db, &KeySource::File(dir.path().join("k.key"))).unwrap();
    // The office's history runs from 2023 to today (2026-11-20 in the bench's clock).
    let start = Utc.with_ymd_and_hms(2023, 1, 2, 1, 0, 0).unwrap();
    let today = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
    let clock = Clock::manual(today);
    store.set_clock(clock.clone());
    common::office(
        &mut store,
        &[
            ("xinfang", Role::Petitions),
            ("jiancha", Role::Supervision),
            ("lingdao", Role::Leader),
            ("anguan", Role::CaseManagement),
        ],
    );
    let petitions = login(&mut store, "xinfang");
    let supervision = login(&mut store, "jiancha");
    let leader = login(&mut store, "lingdao");
    let case_mgmt = login(&mut store, "anguan");

    let mut rng = StdRng::seed_from_u64(2026);
    let span_days = (today - start).num_days();
    let batch = 5_000;
    let t = Instant::now();
    let mut registered = 0;
    while registered < total {
        let n = batch.min(total - registered);
        let forms: Vec<RegisterComplaint> = (0..n)
            .map(|i| {
                // Spread receipts evenly over the span, oldest first, as an office accumulates them.
                let day = ((registered + i) as i64 * span_days) / total as i64;
                let historic = registered + i + 20_000 < total;
                form(&mut rng, &(start + Duration::days(day)).format("%Y-%m-%d").to_string(), historic)
            })
            .collect();
        let ids = ops::register_many(&mut store, &petitions, &forms).unwrap();
        // Move the most recent ones through screening, so inboxes and deadlines look like an office's.
        if registered + n + 20_000 >= total {
            for id in ids.iter().step_by(3) {
                let screening = Screening {
                    outcome: ScreeningOutcome::AcceptTransfer,
                    department: Some(Role::Supervision),
                    reason: String::new(),
                    refer_to: None,
                    repeat_of: None,
                };
                ops::screen(&mut store, &petitions, id, &screening).unwrap();
            }
        }
        registered += n;
        if registered % 100_000 == 0 || registered == total {
            eprintln!("… {registered} complaints in {:.0} s", t.elapsed().as_secs_f64());
        }
    }
    println!("{{\"bench\":\"build_office\",\"complaints\":{total},\"seconds\":{:.1}}}", t.elapsed().as_secs_f64());

    let some_ids: Vec<String> =
        query::list(&mut store, &petitions, &ComplaintFilter { limit: Some(200), ..Default::default() })
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
    for (name, who) in [
        ("inbox_petitions", &petitions),
        ("inbox_supervision", &supervision),
        ("inbox_leader", &leader),
        ("inbox_case_management", &case_mgmt),
    ] {
        let mut count = 0;
        let ms = time(30, |_| count = query::inbox(&mut store, who).unwrap().len());
        report(name, ms, &format!(",\"items\":{count}"));
    }
    report("dashboard", time(30, |_| drop(query::dashboard(&mut store, &petitions).unwrap())), "");
    report(
        "list_newest_200",
        time(30, |_| drop(query::list(&mut store, &petitions, &ComplaintFilter::default()).unwrap())),
        "",
    );
    let overdue = ComplaintFilter { overdue_only: true, ..Default::default() };
    report("list_overdue", time(30, |_| drop(query::list(&mut store, &petitions, &overdue).unwrap())), "");
    let queries = ["王", "罚款", "工程款", "挪用扶贫资金", "县医院 违规吃喝", "王秀英", "不存在的词语"];
    let mut all = Vec::new();
    for q in queries {
        let filter = ComplaintFilter { text: Some(q.into()), ..Default::default() };
        let mut hits = 0;
        let ms = time(10, |_| hits = query::list(&mut store, &petitions, &filter).unwrap().len());
        report(&format!("search \\\"{q}\\\""), ms.clone(), &format!(",\"hits_shown\":{hits}"));
        all.extend(ms);
    }
    report("search_all_queries", all, "");
    report(
        "complaint_page",
        time(100, |i| drop(query::show(&mut store, &supervision, &some_ids[i % some_ids.len()]).unwrap())),
        "",
    );
    let mut rng2 = StdRng::seed_from_u64(7);
    let ms = time(200, |_| {
        let f = form(&mut rng2, "2026-11-20", false);
        ops::register(&mut store, &petitions, &f).unwrap();
    });
    report("register_one", ms, "");

    // Issue #19: an integrity-opinion request for 50 cadres in this office. The names come from the
    // same pools as the complaints', so each cadre has complaints suggested for them (a few hundred
    // for a common name in a large unit): the page reads every one, classifies it, checks what
    // the reply may not reveal, proposes each conclusion and logs a reading of each file.
    let mut rng3 = StdRng::seed_from_u64(19);
    let mut seen = std::collections::BTreeSet::new();
    let mut persons = Vec::new();
    while persons.len() < 50 {
        let (name, unit) = (format!("{}{}", pick(&mut rng3, SURNAMES), pick(&mut rng3, GIVEN)), pick(&mut rng3, UNITS));
        if seen.insert((name.clone(), unit)) {
            persons.push(CadreForm {
                name,
                unit: unit.to_owned(),
                post: pick(&mut rng3, POSTS).to_owned(),
                id_number: None,
            });
        }
    }
    let request = OpinionRequestForm {
        requester: "中共五华区委组织部".into(),
        request_ref: "五组函〔2026〕99号".into(),
        purpose: Purpose::Promotion,
        purpose_note: String::new(),
        received_date: "2026-11-18".into(),
        reply_working_days: None,
        persons,
    };
    let mut opinion = String::new();
    let ms = time(1, |_| opinion = portrait_ops::register_opinion(&mut store, &supervision, &request).unwrap());
    report("opinion_register_50", ms, "");
    let mut findings = 0;
    let ms = time(10, |_| {
        let page = portrait_query::opinion_page(&mut store, &supervision, &opinion).unwrap();
        findings = page.persons.iter().map(|p| p.findings.len()).sum();
    });
    report("opinion_page_50", ms, &format!(",\"persons\":50,\"findings\":{findings}"));
    drop(store);
    let bytes: u64 = ["complaints.db", "complaints.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.path().join(f)).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{{\"bench\":\"size\",\"complaints\":{},\"bytes\":{bytes},\"kib_per_1000\":{}}}",
        total + 200,
        bytes / 1024 * 1000 / (total as u64 + 200)
    );
    let _ = clock;
}

//! Reference-library workloads: a library of QINGFENG_BENCH_ARTICLES articles (default 10,000,
//! in ten documents imported through the real import path), then searches timed as the 资料袋
//! screen runs them: two-character queries (scanned), three- and four-character queries (trigram
//! index, bm25), a two-term query and a status filter. Prints one JSON object per measurement with
//! p50 and p95 in milliseconds; the target is a search p95 under 20 ms.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{report, time};

use std::time::Instant;

use qingfeng_core::library::query::{self, SearchQuery};
use qingfeng_core::library::{DocumentStatus, ImportRequest, ops};
use qingfeng_core::{KeySource, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Phrases of the kind rules are written in, recombined into article bodies.
const PHRASES: &[&str] = &[
    "党员领导干部",
    "违反廉洁纪律",
    "收受可能影响公正执行公务的礼品",
    "给予警告或者严重警告处分",
    "情节较重的",
    "给予撤销党内职务或者留党察看处分",
    "情节严重的",
    "给予开除党籍处分",
    "公职人员",
    "利用职权或者职务上的影响",
    "为他人谋取利益",
    "予以记过或者记大过",
    "予以降级或者撤职",
    "予以开除",
    "检举控告",
    "应当在十五个工作日内",
    "告知检举人受理情况",
    "监督检查部门",
    "案件审理部门",
    "按照管理权限",
];

/// One generated document of `articles` articles in chapters of fifty.
fn document(rng: &mut StdRng, n: usize, articles: usize) -> String {
    let mut text = format!("标题：基准测试规则第{n}号\n制定机关：基准测试机关\n施行日期：2026-01-01\n\n");
    for a in 1..=articles {
        if a % 50 == 1 {
            text.push_str(&format!("第{}章 第{}部分\n", a / 50 + 1, a / 50 + 1));
        }
        let parts: Vec<&str> = (0..rng.gen_range(4..10)).map(|_| PHRASES[rng.gen_range(0..PHRASES.len())]).collect();
        text.push_str(&format!("第{a}条 {}。\n{}。\n", parts.join("，"), parts[0]));
    }
    text
}

fn main() {
    let total: usize = std::env::var("QINGFENG_BENCH_ARTICLES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let runs: usize = std::env::var("QINGFENG_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        Store::create(&dir.path().join("bench.db"), &KeySource::File(dir.path().join("bench.key"))).unwrap();
    let admin = common::office(&mut store, &[]);
    let mut rng = StdRng::seed_from_u64(7);
    let docs = 10;
    let per = total.div_ceil(docs);
    let mut imports = Vec::new();
    for n in 0..docs {
        let text = document(&mut rng, n, per);
        let t = Instant::now();
        ops::import(&mut store, &admin, &ImportRequest { text, ..Default::default() }).unwrap();
        imports.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    report("library_import", imports, &format!(",\"articles_per_document\":{per}"));
    ops::load_starter(&mut store).unwrap();

    let queries: &[(&str, &str, Option<DocumentStatus>)] = &[
        ("library_search_2_chars", "警告", None),
        ("library_search_3_chars", "检举控", None),
        ("library_search_4_chars", "公职人员", None),
        ("library_search_long", "收受可能影响公正执行公务的礼品", None),
        ("library_search_two_terms", "党员领导干部 撤职", None),
        ("library_search_in_force", "违反廉洁纪律", Some(DocumentStatus::InForce)),
    ];
    let mut all = Vec::new();
    for (name, text, status) in queries {
        let q = SearchQuery { text: (*text).into(), status: *status, limit: Some(20), ..Default::default() };
        let found = query::search(&store, &admin, &q).unwrap();
        let ms = time(runs, |_| {
            query::search(&store, &admin, &q).unwrap();
        });
        all.extend(ms.iter().copied());
        report(name, ms, &format!(",\"articles\":{total},\"matches\":{},\"mode\":\"{}\"", found.total, found.mode));
    }
    report("library_search", all, &format!(",\"articles\":{total}"));
}

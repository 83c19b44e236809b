//! The reference library through the core: parsing Chinese numbering, refusals naming their line
//! with the store unchanged, search (2-, 3- and 4+-character Chinese queries, ranking, highlights
//! in characters, filters, pages), versions, the starter set, citations and rebuild.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use qingfeng_core::CoreError;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::{self, ComplaintChannel, RegisterComplaint, Subject};
use qingfeng_core::identity::Role;
use qingfeng_core::library::query::{self, Highlight, SearchQuery};
use qingfeng_core::library::{self, CiteRequest, DocumentStatus, HeadingLevel, ImportRequest, ops, parse};
use qingfeng_core::projector::kind;

struct Office {
    f: common::Fixture,
    admin: Actor,
    xinfang: Actor,
    jiancha: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    f.store.set_clock(Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()));
    let admin = f.admin();
    let xinfang = common::officer_as(&mut f.store, &admin, "xinfang", vec![Role::Petitions]);
    let jiancha = common::officer_as(&mut f.store, &admin, "jiancha", vec![Role::Supervision]);
    Office { f, admin, xinfang, jiancha }
}

/// A small rule with parts, chapters and sections, multi-paragraph articles and a preamble.
const RULES: &str = "标题：某县纪检监察工作规则
制定机关：某县纪委
文号：某纪发〔2026〕1号
施行日期：2026-01-01
版本：2026

某县纪检监察工作规则
（2026年1月1日起施行）

第一编　总　　则

第一章　一般规定

第一条　为了规范检举控告的受理，制定本规则。

第二条　检举控告应当实名。
匿名检举控告也应当登记。

第二章　受理

第一节　登记

第三条　信访室登记每一件检举控告。

第二节　移送

第四条　属于本级受理的，移送监督检查室。
同时告知案件监督管理室。

第二编　附则

第一章　施行

第五条　本规则自2026年1月1日起施行。
";

fn import(o: &mut Office, text: &str) -> Result<library::ImportOutcome, CoreError> {
    ops::import(&mut o.f.store, &o.admin.clone(), &ImportRequest { text: text.into(), ..Default::default() })
}

#[test]
fn parses_parts_chapters_sections_and_multi_paragraph_articles() {
    let doc = parse::parse(&ImportRequest { text: RULES.into(), ..Default::default() }).unwrap();
    assert_eq!(doc.title, "某县纪检监察工作规则");
    assert_eq!(doc.issuer, "某县纪委");
    assert_eq!(doc.number.as_deref(), Some("某纪发〔2026〕1号"));
    assert_eq!(doc.effective, "2026-01-01");
    assert_eq!(doc.preamble, "（2026年1月1日起施行）");
    let heads: Vec<(HeadingLevel, u32, &str)> =
        doc.headings.iter().map(|h| (h.level, h.number, h.title.as_str())).collect();
    assert_eq!(
        heads,
        vec![
            (HeadingLevel::Part, 1, "总则"),
            (HeadingLevel::Chapter, 1, "一般规定"),
            (HeadingLevel::Chapter, 2, "受理"),
            (HeadingLevel::Section, 1, "登记"),
            (HeadingLevel::Section, 2, "移送"),
            (HeadingLevel::Part, 2, "附则"),
            (HeadingLevel::Chapter, 1, "施行"),
        ]
    );
    assert_eq!(doc.articles.len(), 5);
    assert_eq!(doc.articles[1].text, "检举控告应当实名。\n匿名检举控告也应当登记。");
    assert_eq!(doc.articles[3].label, "第四条");
    assert_eq!(doc.articles[3].heading, Some(5), "under 第二节 移送");
    assert_eq!(doc.articles[4].heading, Some(7));
}

#[test]
fn large_chinese_numbers_arabic_digits_markdown_and_a_table_of_contents() {
    let mut text = String::from("# 长文件\n\n目录\n第一章 总则\n第二章 附则\n\n第一章 总则\n\n");
    for n in 1..=101 {
        let label = if n == 101 { "第一百零一条".to_owned() } else { format!("第{n}条") };
        if n == 100 {
            text.push_str("第二章 附则\n");
        }
        text.push_str(&format!("**{label}** 第{n}条的内容。\n"));
    }
    let req = ImportRequest {
        text,
        issuer: Some("某机关".into()),
        effective: Some("2025-05-01".into()),
        ..Default::default()
    };
    let doc = parse::parse(&req).unwrap();
    assert_eq!(doc.title, "长文件");
    assert_eq!(doc.version, "2025-05-01", "the effective date names the version by default");
    assert_eq!(doc.headings.len(), 2, "the table of contents is not read as headings");
    assert_eq!(doc.articles.len(), 101);
    assert_eq!(doc.articles[100].number, 101);
    assert_eq!(doc.articles[100].label, "第一百零一条");
    assert!(doc.id.starts_with("doc-"));
}

#[test]
fn broken_numbering_is_refused_with_its_line_and_changes_nothing() {
    let mut o = office();
    let head = "标题：测试规则\n制定机关：某县纪委\n施行日期：2026-01-01\n\n";
    let cases = [
        // A gap: 第三条 missing (line 7).
        ("第一条 甲。\n第二条 乙。\n第四条 丁。\n", "第 7 行", "缺少第 3 条"),
        // A repeat.
        ("第一条 甲。\n第二条 乙。\n第二条 乙。\n", "第 7 行", "重复"),
        // Out of order: 第三条 after 第五条 (excerpt, so the gap itself is allowed).
        ("节选：是\n第一条 甲。\n第五条 戊。\n第三条 丙。\n", "第 8 行", "顺序颠倒"),
        // A chapter gap.
        ("第一章 总则\n第一条 甲。\n第三章 附则\n第二条 乙。\n", "第 7 行", "缺少第 2 章"),
        // A section before any chapter.
        ("第一节 登记\n第一条 甲。\n", "第 5 行", "不在任何“章”之下"),
        // An article with no text.
        ("第一条\n第二条 乙。\n", "第 5 行", "没有条文内容"),
        // The first article is not 第一条.
        ("第二条 乙。\n", "第 5 行", "缺少第 1 条"),
    ];
    for (body, line, what) in cases {
        // `节选` belongs in the header block: move it there when a case uses it.
        let text = match body.strip_prefix("节选：是\n") {
            Some(rest) => format!("节选：是\n{head}{rest}"),
            None => format!("{head}{body}"),
        };
        let before = o.f.event_count();
        let err = import(&mut o, &text).unwrap_err().to_string();
        assert!(err.contains(line) && err.contains(what), "{body:?}: {err}");
        assert_eq!(o.f.event_count(), before, "a refused import writes nothing");
    }
    let count: i64 =
        o.f.store
            .raw_connection_for_tests()
            .query_row("SELECT count(*) FROM library_documents", [], |r| r.get(0))
            .unwrap();
    assert_eq!(count, 0);
    // An article before any heading is fine.
    import(&mut o, &format!("{head}第一条 甲。\n第一章 总则\n第二条 乙。\n")).unwrap();
    // Missing metadata is named.
    let err = import(&mut o, "第一条 甲。\n").unwrap_err().to_string();
    assert!(err.contains("标题") || err.contains("制定机关"), "{err}");
}

#[test]
fn only_an_administrator_imports() {
    let mut o = office();
    let before = o.f.count_kind(kind::LIBRARY_DOCUMENT_IMPORTED);
    let err =
        ops::import(&mut o.f.store, &o.xinfang.clone(), &ImportRequest { text: RULES.into(), ..Default::default() })
            .unwrap_err();
    assert!(matches!(err, CoreError::Forbidden { .. }), "{err}");
    assert!(err.to_string().contains("系统管理员"));
    assert_eq!(o.f.count_kind(kind::LIBRARY_DOCUMENT_IMPORTED), before);
    assert_eq!(o.f.count_kind(kind::ACCESS_DENIED), 1, "the refusal itself is recorded");
    // Reading is open to every post; the administrator may read too.
    import(&mut o, RULES).unwrap();
    assert_eq!(query::documents(&o.f.store, &o.jiancha).unwrap().len(), 1);
    assert_eq!(query::documents(&o.f.store, &o.admin).unwrap().len(), 1);
}

fn search(o: &Office, text: &str) -> query::SearchResults {
    query::search(&o.f.store, &o.xinfang, &SearchQuery { text: text.into(), ..Default::default() }).unwrap()
}

#[test]
fn search_finds_two_three_and_longer_chinese_substrings_with_highlights() {
    let mut o = office();
    import(&mut o, RULES).unwrap();

    // Two characters: below the trigram minimum, answered by a scan.
    let r = search(&o, "移送");
    assert_eq!(r.mode, "scan");
    assert_eq!(r.total, 1);
    let hit = &r.hits[0];
    assert_eq!(hit.article_label, "第四条");
    assert_eq!(hit.heading.as_deref(), Some("第一编 总则 第二章 受理 第二节 移送"));
    // "属于本级受理的，移送监督检查室。": 移送 starts at character 8 (bytes would say 24).
    assert_eq!(hit.highlights, vec![Highlight { start: 8, end: 10 }]);
    assert_eq!(hit.segments.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect::<Vec<_>>(), vec!["移送"]);
    let joined: String = hit.segments.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(joined, hit.text);

    // One character.
    assert_eq!(search(&o, "丁").total, 0);
    assert!(search(&o, "室").total >= 2);

    // Three characters: the trigram index.
    let r = search(&o, "检举控");
    assert_eq!(r.mode, "index");
    assert_eq!(r.total, 3, "{:?}", r.hits.iter().map(|h| &h.article_label).collect::<Vec<_>>());

    // Four and more, and a multi-paragraph match with two occurrences highlighted.
    let r = search(&o, "检举控告");
    assert_eq!(r.total, 3);
    let second = r.hits.iter().find(|h| h.article == 2).unwrap();
    assert_eq!(second.highlights, vec![Highlight { start: 0, end: 4 }, Highlight { start: 12, end: 16 }]);
    assert_eq!(search(&o, "案件监督管理室").total, 1);

    // Ranking: the article where the term weighs most comes first.
    let r = search(&o, "规则");
    assert_eq!(r.hits[0].article, 1, "{:?}", r.hits);

    // Two terms must both match; quotes and operators typed by the user are inert.
    assert_eq!(search(&o, "检举控告 匿名").total, 1);
    assert_eq!(search(&o, "\"OR* NEAR(").total, 0);
    assert!(query::search(&o.f.store, &o.xinfang, &SearchQuery { text: "  ".into(), ..Default::default() }).is_err());
}

#[test]
fn versions_amend_the_earlier_one_and_search_filters_by_status_and_document() {
    let mut o = office();
    let first = import(&mut o, RULES).unwrap();
    assert_eq!(first.status, DocumentStatus::InForce);
    // The same text again changes nothing.
    let before = o.f.event_count();
    assert!(import(&mut o, RULES).unwrap().unchanged);
    assert_eq!(o.f.event_count(), before);
    // The same version with other words is refused.
    let edited = RULES.replace("应当实名", "可以实名");
    let err = import(&mut o, &edited).unwrap_err().to_string();
    assert!(err.contains("新的版本号"), "{err}");
    // A new version (later effective date) is in force; the old one is amended and kept.
    let v2 = edited.replace("施行日期：2026-01-01", "施行日期：2026-07-01").replace("版本：2026", "版本：2026年修订");
    let second = import(&mut o, &v2).unwrap();
    assert_eq!(second.document_id, first.document_id, "the same title is the same document");
    assert_eq!(second.status, DocumentStatus::InForce);
    let view = query::show(&o.f.store, &o.xinfang, &first.document_id, None).unwrap();
    assert_eq!(view.summary.version, "2026年修订");
    assert_eq!(view.versions.len(), 2);
    assert_eq!(view.versions[1].status, DocumentStatus::Amended);
    assert_eq!(view.articles[1].text, "检举控告可以实名。\n匿名检举控告也应当登记。");
    let old = query::show(&o.f.store, &o.xinfang, &first.document_id, Some("2026")).unwrap();
    assert_eq!(old.articles[1].text, "检举控告应当实名。\n匿名检举控告也应当登记。");

    // Status filter.
    let q = |status| SearchQuery { text: "实名".into(), status, ..Default::default() };
    let all = query::search(&o.f.store, &o.xinfang, &q(None)).unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.hits[0].status, DocumentStatus::InForce, "in force first on equal scores");
    let live = query::search(&o.f.store, &o.xinfang, &q(Some(DocumentStatus::InForce))).unwrap();
    assert_eq!((live.total, live.hits[0].version.as_str()), (1, "2026年修订"));
    let amended = query::search(&o.f.store, &o.xinfang, &q(Some(DocumentStatus::Amended))).unwrap();
    assert_eq!((amended.total, amended.hits[0].version.as_str()), (1, "2026"));

    // Document filter and paging.
    ops::load_starter(&mut o.f.store).unwrap();
    let warning = |document: Option<&str>, offset| SearchQuery {
        text: "警告".into(),
        document: document.map(str::to_owned),
        limit: Some(1),
        offset: Some(offset),
        ..Default::default()
    };
    let p1 = query::search(&o.f.store, &o.xinfang, &warning(None, 0)).unwrap();
    let p2 = query::search(&o.f.store, &o.xinfang, &warning(None, 1)).unwrap();
    assert_eq!(p1.total, 3, "政务处分法 第七条 and 第八条, 条例 第八条");
    assert_eq!((p1.hits.len(), p2.hits.len()), (1, 1));
    assert_ne!(p1.hits[0].document_id, p2.hits[0].document_id);
    let only = query::search(&o.f.store, &o.xinfang, &warning(Some("dang-jilv-chufen-tiaoli"), 0)).unwrap();
    assert_eq!((only.total, only.hits[0].article_label.as_str()), (1, "第八条"));
}

#[test]
fn an_older_version_imported_later_is_amended_at_once() {
    let mut o = office();
    let newer = RULES.replace("施行日期：2026-01-01", "施行日期：2026-07-01").replace("版本：2026", "版本：2026b");
    import(&mut o, &newer).unwrap();
    let older = import(&mut o, RULES).unwrap();
    assert_eq!(older.status, DocumentStatus::Amended);
}

#[test]
fn the_starter_set_loads_once_and_reads_verbatim() {
    let mut o = office();
    let loaded = ops::load_starter(&mut o.f.store).unwrap();
    assert_eq!(loaded.len(), 2);
    assert!(loaded.iter().all(|d| !d.unchanged && d.status == DocumentStatus::InForce));
    let before = o.f.event_count();
    // Once loaded, ensure_starter does not even open a write transaction.
    let commits = o.f.store.local_commits();
    ops::ensure_starter(&mut o.f.store).unwrap();
    assert_eq!(o.f.store.local_commits(), commits, "ensure_starter reads only");
    assert!(ops::load_starter(&mut o.f.store).unwrap().iter().all(|d| d.unchanged));
    assert_eq!(o.f.event_count(), before, "loading again writes nothing");
    let law = query::show(&o.f.store, &o.jiancha, "gongzhi-renyuan-zhengwu-chufen-fa", None).unwrap();
    assert!(law.summary.excerpt);
    let eight = law.articles.iter().find(|a| a.number == 8).unwrap();
    assert!(eight.text.contains("（四）降级、撤职，二十四个月。"), "{}", eight.text);
    assert_eq!(law.headings[0].title, "政务处分的种类和适用");
    let r = search(&o, "十八个月");
    assert_eq!(r.hits[0].article_label, "第八条");
}

fn complaint(o: &mut Office) -> String {
    let form = RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: None,
        real_name: false,
        real_name_verified: None,
        summary: "反映某局长违规收受礼金".into(),
        content: "反映某局长违规收受礼金。".into(),
        categories: vec![],
        subjects: vec![Subject {
            name: "王五".into(),
            post: "局长".into(),
            unit: "某县住建局".into(),
            level: String::new(),
        }],
        repeat_of: None,
    };
    complaints::ops::register(&mut o.f.store, &o.xinfang.clone(), &form).unwrap()
}

#[test]
fn citations_are_added_listed_removed_and_rebuilt() {
    let mut o = office();
    ops::load_starter(&mut o.f.store).unwrap();
    let id = complaint(&mut o);
    let record = format!("complaint:{id}");
    let req = |article| CiteRequest {
        record: record.clone(),
        item: None,
        document_id: "gongzhi-renyuan-zhengwu-chufen-fa".into(),
        version: None,
        article,
        note: Some("拟给予记过处分".into()),
    };
    let c7 = ops::cite(&mut o.f.store, &o.xinfang.clone(), &req(7)).unwrap();
    let _c8 = ops::cite(&mut o.f.store, &o.jiancha.clone(), &req(8)).unwrap();
    let list = query::citations(&o.f.store, &o.xinfang, &record, None).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].document_title, "中华人民共和国公职人员政务处分法");
    assert_eq!((list[0].article_label.as_str(), list[0].version.as_str()), ("第七条", "2020"));
    assert!(list[0].text.as_deref().unwrap().starts_with("政务处分的种类为"));
    assert_eq!(list[0].added_by, "xinfang姓名");

    // Refusals leave nothing behind.
    let before = o.f.event_count();
    let err = ops::cite(&mut o.f.store, &o.xinfang.clone(), &req(7)).unwrap_err().to_string();
    assert!(err.contains("无需重复引用"), "{err}");
    let err = ops::cite(&mut o.f.store, &o.xinfang.clone(), &req(99)).unwrap_err().to_string();
    assert!(err.contains("没有第 99 条"), "{err}");
    let mut bad = req(7);
    bad.record = "complaint:nope".into();
    assert!(matches!(ops::cite(&mut o.f.store, &o.xinfang.clone(), &bad), Err(CoreError::NotFound { .. })));
    bad.record = "case:1".into();
    assert!(ops::cite(&mut o.f.store, &o.xinfang.clone(), &bad).unwrap_err().to_string().contains("无法识别"));
    assert_eq!(o.f.event_count(), before);
    // The administrator reads no case and so cites none.
    assert!(matches!(ops::cite(&mut o.f.store, &o.admin.clone(), &req(8)), Err(CoreError::Forbidden { .. })));
    // Nor reads the case's citations (their notes say what is intended for the person).
    assert!(matches!(query::citations(&o.f.store, &o.admin, &record, None), Err(CoreError::Forbidden { .. })));

    // The citation shows in the complaint's timeline.
    let detail = complaints::query::show(&mut o.f.store, &o.xinfang.clone(), &id).unwrap();
    assert!(detail.timeline.iter().any(|t| t.text == "引用《中华人民共和国公职人员政务处分法》第七条"));

    ops::uncite(&mut o.f.store, &o.jiancha.clone(), &c7).unwrap();
    assert!(ops::uncite(&mut o.f.store, &o.jiancha.clone(), &c7).unwrap_err().to_string().contains("已经撤销"));
    let list = query::citations(&o.f.store, &o.xinfang, &record, None).unwrap();
    assert_eq!(list.iter().map(|c| c.article).collect::<Vec<_>>(), vec![8]);
    // Withdrawn, it may be cited again.
    ops::cite(&mut o.f.store, &o.xinfang.clone(), &req(7)).unwrap();
    assert!(qingfeng_core::projector::kind::is_grow_only(kind::CITATION_ADDED));
    assert!(qingfeng_core::projector::kind::is_grow_only(kind::CITATION_REMOVED));

    // A rebuild from the log gives the same tables and the same search answers.
    import(&mut o, RULES).unwrap();
    let live = o.f.store.projection_dump().unwrap();
    let found = search(&o, "检举控告");
    let short = search(&o, "警告");
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
    assert_eq!(search(&o, "检举控告"), found);
    assert_eq!(search(&o, "警告"), short);
    assert!(o.f.store.verify().unwrap().ok);
}

#[test]
fn an_execution_item_of_a_penalty_is_cited_and_survives_a_rebuild() {
    use qingfeng_core::penalty::{self, PartyPenalty, PenaltyPerson, RegisterPenalty};
    let mut o = office();
    ops::load_starter(&mut o.f.store).unwrap();
    let anguan = common::officer_as(&mut o.f.store, &o.admin.clone(), "anguan", vec![Role::CaseManagement]);
    let form = RegisterPenalty {
        person: PenaltyPerson {
            name: "甄某某".into(),
            unit: "某县住建局".into(),
            post: "副局长".into(),
            rank: String::new(),
            party_member: true,
            deputy: false,
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: "县纪处〔2026〕9号".into(),
        deciding_body: "某县纪委常委会".into(),
        party_penalty: Some(PartyPenalty::Warning),
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: "2026-09-01".into(),
        approval_date: Some("2026-09-03".into()),
        responsible_units: vec!["某县住建局".into()],
        confiscate: None,
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    };
    let id = penalty::ops::register(&mut o.f.store, &anguan, &form).unwrap();
    let record = format!("penalty:{id}");
    let req = CiteRequest {
        record: record.clone(),
        item: Some(2),
        document_id: "dang-jilv-chufen-tiaoli".into(),
        version: None,
        article: 8,
        note: None,
    };
    ops::cite(&mut o.f.store, &anguan, &req).unwrap();
    let bad = CiteRequest { item: Some(40), ..req.clone() };
    assert!(ops::cite(&mut o.f.store, &anguan, &bad).unwrap_err().to_string().contains("第 40 项"));
    assert_eq!(query::citations(&o.f.store, &anguan, &record, Some(2)).unwrap().len(), 1);
    assert!(query::citations(&o.f.store, &anguan, &record, Some(1)).unwrap().is_empty());
    assert_eq!(query::citations(&o.f.store, &anguan, &record, None).unwrap()[0].item, Some(2));
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
}

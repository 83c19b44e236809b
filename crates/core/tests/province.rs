//! Province-wide content in an office (issue #16 item 7): regulations, notice templates and
//! checklist templates from the hub's `content.published` received and listed as new, a forged
//! or tampered one refused with nothing changed, a text the office's format refuses kept with its
//! reason, a local edit kept in force across a province update, and adopting the province's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::replica::hub_event;
use qingfeng_core::authz::Actor;
use qingfeng_core::events::GENESIS;
use qingfeng_core::identity::Role;
use qingfeng_core::penalty::template;
use qingfeng_core::projector::kind;
use qingfeng_core::province::{self, ContentKind, ProvinceDoc};
use qingfeng_core::{CoreError, library};
use qingfeng_log::content::aggregate;

const REGULATION: &str = "---\n制定机关: 中共云南省纪委\n施行日期: 2026-10-01\n---\n\n第一条　为了规范信访举报工作，制定本细则。\n\n第二条　本细则自印发之日起施行。\n";

fn regulation(version: u32, body: &str) -> ProvinceDoc {
    ProvinceDoc {
        kind: ContentKind::Regulation,
        id: "yn-xinfang-xize".into(),
        version,
        title: "云南省纪检监察机关信访举报工作细则".into(),
        body: body.into(),
    }
}

/// The built-in standard checklist template with one more item, as the province's version `v`.
fn checklist(conn: &rusqlite::Connection, version: u32, extra: &str) -> ProvinceDoc {
    let mut t = template::load(conn, "penalty.standard", 1).unwrap();
    t.version = version;
    let mut item = t.items[0].clone();
    item.code = "province_extra".into();
    item.title = extra.into();
    t.items.push(item);
    ProvinceDoc {
        kind: ContentKind::ChecklistTemplate,
        id: t.id.clone(),
        version,
        title: "处分决定执行事项清单（省级）".into(),
        body: serde_json::to_string(&t).unwrap(),
    }
}

fn published(seq: u64, prev: [u8; 32], doc: &ProvinceDoc) -> qingfeng_core::events::Event {
    hub_event(seq, prev, kind::CONTENT_PUBLISHED, &aggregate(doc.kind, &doc.id, doc.version), &doc.published().unwrap())
}

struct Office {
    f: common::Fixture,
    admin: Actor,
    officer: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    let admin = f.admin();
    let officer = common::officer_as(&mut f.store, &admin, "xinfang", vec![Role::Petitions]);
    Office { f, admin, officer }
}

#[test]
fn a_regulation_enters_the_library_marked_as_the_provinces_and_shows_as_new() {
    let mut o = office();
    let e1 = published(1, GENESIS, &regulation(1, REGULATION));
    // A second version whose numbering skips an article: the office's format refuses it, it is
    // kept with the reason, and the sync carrying it is not stopped.
    let broken = REGULATION.replace("第二条", "第五条");
    let e2 = published(2, e1.hash, &regulation(2, &broken));
    let report = o.f.store.ingest_remote(&[e1.clone(), e2], 2).unwrap();
    assert_eq!(report.applied, 2);

    let docs = library::query::documents(&o.f.store, &o.officer).unwrap();
    let ours: Vec<_> = docs.iter().filter(|d| d.id == "yn-xinfang-xize").collect();
    assert_eq!(ours.len(), 1, "the broken version never reaches the library");
    assert_eq!(ours[0].source, library::DocumentSource::Hub);
    assert_eq!(ours[0].version, "省级第1版");

    let items = province::list(&o.f.store, &o.officer).unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i.new));
    let refused = items.iter().find(|i| i.version == 2).unwrap();
    assert!(refused.refused.as_deref().unwrap().contains("缺少第 2 条"), "{refused:?}");
    assert_eq!(province::new_count(&o.f.store, &o.officer).unwrap(), 2);

    // Looking clears the mark for this officer only.
    province::mark_seen(&o.f.store, &o.officer).unwrap();
    assert_eq!(province::new_count(&o.f.store, &o.officer).unwrap(), 0);
    assert_eq!(province::new_count(&o.f.store, &o.admin).unwrap(), 2);

    // Delivered again, nothing changes; a rebuild gives the same projections.
    assert_eq!(o.f.store.ingest_remote(std::slice::from_ref(&e1), 2).unwrap().applied, 0);
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
    assert_eq!(province::new_count(&o.f.store, &o.officer).unwrap(), 0, "reading state survives a rebuild");
}

#[test]
fn a_forged_or_tampered_publication_is_refused_and_nothing_changes() {
    let mut o = office();
    let before = o.f.store.projection_dump().unwrap();
    // The text changed after the hub hashed it.
    let mut payload = regulation(1, REGULATION).published().unwrap();
    payload.doc.body = payload.doc.body.replace("规范", "废止");
    let tampered = hub_event(
        1,
        GENESIS,
        kind::CONTENT_PUBLISHED,
        &aggregate(ContentKind::Regulation, "yn-xinfang-xize", 1),
        &payload,
    );
    let err = o.f.store.ingest_remote(std::slice::from_ref(&tampered), 1).unwrap_err();
    assert!(matches!(err, CoreError::Tampered(_)), "{err}");
    // The same kind written by an office instead of the hub.
    let mut forged = published(1, GENESIS, &regulation(1, REGULATION));
    forged.origin_office = "530103".into();
    forged.origin_device = "530103-1".into();
    forged.hash = forged.body().hash_with(&mut Vec::new());
    assert!(o.f.store.ingest_remote(std::slice::from_ref(&forged), 1).is_err());
    assert_eq!(o.f.store.projection_dump().unwrap(), before);
    assert!(province::list(&o.f.store, &o.officer).unwrap().is_empty());
}

#[test]
fn a_local_edit_stays_in_force_across_a_province_update_until_the_office_adopts() {
    let mut o = office();
    // The office edits the standard template itself: its version 2.
    let conn = o.f.store.raw_connection_for_tests();
    let mut local = template::load(conn, "penalty.standard", 1).unwrap();
    local.version = 2;
    local.items[0].title = "本机关：送达处分决定".into();
    let local_json = serde_json::to_string(&local).unwrap();
    qingfeng_core::penalty::ops::publish_template(&mut o.f.store, &o.admin, &local_json).unwrap();

    // The province publishes its version 1 and then 2 of the same template.
    let conn = o.f.store.raw_connection_for_tests();
    let p1 = checklist(conn, 1, "省级事项甲");
    let p2 = checklist(conn, 2, "省级事项乙");
    let e1 = published(1, GENESIS, &p1);
    let e2 = published(2, e1.hash, &p2);
    o.f.store.ingest_remote(&[e1, e2], 2).unwrap();

    // The office's own edit is still the version in force.
    let conn = o.f.store.raw_connection_for_tests();
    assert_eq!(template::latest_version(conn, "penalty.standard").unwrap(), Some(2));
    assert_eq!(template::load(conn, "penalty.standard", 2).unwrap().items[0].title, "本机关：送达处分决定");
    let items = province::list(&o.f.store, &o.admin).unwrap();
    let newest = items.iter().find(|i| i.version == 2).unwrap();
    assert!(newest.adoptable && newest.office_version == Some(2), "{newest:?}");
    assert!(!items.iter().find(|i| i.version == 1).unwrap().adoptable, "only the newest is offered");

    // An officer without the administrator's role may not adopt; an older version is refused.
    let events = o.f.event_count();
    assert!(matches!(
        province::adopt(&mut o.f.store, &o.officer, ContentKind::ChecklistTemplate, "penalty.standard", 2),
        Err(CoreError::Forbidden { .. })
    ));
    let err = province::adopt(&mut o.f.store, &o.admin, ContentKind::ChecklistTemplate, "penalty.standard", 1)
        .unwrap_err()
        .to_string();
    assert!(err.contains("已有更新的省级版本"), "{err}");
    assert_eq!(o.f.event_count(), events + 1, "only the denial is recorded");

    // Adopting saves the province's text as the office's version 3, which is now in force.
    let as_version =
        province::adopt(&mut o.f.store, &o.admin, ContentKind::ChecklistTemplate, "penalty.standard", 2).unwrap();
    assert_eq!(as_version, 3);
    let conn = o.f.store.raw_connection_for_tests();
    let now = template::load(conn, "penalty.standard", 3).unwrap();
    assert!(now.items.iter().any(|i| i.title == "省级事项乙"));
    assert_eq!(template::load(conn, "penalty.standard", 2).unwrap().items[0].title, "本机关：送达处分决定");
    let items = province::list(&o.f.store, &o.admin).unwrap();
    assert_eq!(items.iter().find(|i| i.version == 2).unwrap().adopted_as, Some(3));
    assert!(items.iter().all(|i| !i.adoptable));
    let err = province::adopt(&mut o.f.store, &o.admin, ContentKind::ChecklistTemplate, "penalty.standard", 2)
        .unwrap_err()
        .to_string();
    assert!(err.contains("已采用为本机关第 3 版"), "{err}");

    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
}

#[test]
fn a_province_notice_template_is_adopted_as_the_offices_next_version() {
    let mut o = office();
    let doc = ProvinceDoc {
        kind: ContentKind::NoticeTemplate,
        id: "acceptance".into(),
        version: 1,
        title: "受理告知书（省级）".into(),
        body: "kind = \"acceptance\"\nversion = 1\ntitle = \"受理告知书\"\nbody = \"省级正文\"\n".into(),
    };
    let unknown = ProvinceDoc {
        id: "no_such_notice".into(),
        body: "kind = \"no_such_notice\"\ntitle = \"某通知\"\nbody = \"正文\"\n".into(),
        ..doc.clone()
    };
    let e1 = published(1, GENESIS, &doc);
    let e2 = published(2, e1.hash, &unknown);
    o.f.store.ingest_remote(&[e1, e2], 2).unwrap();
    let items = province::list(&o.f.store, &o.admin).unwrap();
    assert!(items.iter().find(|i| i.id == "no_such_notice").unwrap().refused.as_deref().unwrap().contains("没有名为"));
    let n = province::adopt(&mut o.f.store, &o.admin, ContentKind::NoticeTemplate, "acceptance", 1).unwrap();
    let active = qingfeng_core::documents::active_template(&o.f.store, "acceptance").unwrap();
    assert_eq!(active.version, n);
    assert_eq!(active.title, "受理告知书（省级）");
}

//! Province-wide content at the hub (issue #16 item 7): regulations, notice templates and
//! checklist templates published as hub-signed `content.published`, reaching every office and
//! every office enrolled later, with a used version number, a broken file or a template whose
//! JSON names another template refused and nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Backend;

use qingfeng_log::content::{self, ContentKind, ContentPublished, ProvinceDoc};
use qingfeng_log::kind;
use qingfeng_log::office::OfficeLevel;

fn regulation(version: u32, body: &str) -> ProvinceDoc {
    ProvinceDoc {
        kind: ContentKind::Regulation,
        id: "yn-xinfang-xize".into(),
        version,
        title: "云南省纪检监察机关信访举报工作细则".into(),
        body: body.into(),
    }
}

fn checklist(version: u32) -> ProvinceDoc {
    ProvinceDoc {
        kind: ContentKind::ChecklistTemplate,
        id: "penalty.standard".into(),
        version,
        title: "处分决定执行事项清单（省级）".into(),
        body: format!(
            r#"{{"id":"penalty.standard","version":{version},"scope":"penalty","name":"处分决定执行事项清单（省级）","priority":0,"select":{{"when":"all"}},"sequential":true,"items":[{{"code":"serve","title":"送达处分决定","applies":{{"when":"all"}},"deadline":{{"kind":"penalty_serve","from":"decision","months":1}}}}]}}"#
        ),
    }
}

fn published(hub: &qingfeng_hub::Hub, office: &str) -> Vec<ProvinceDoc> {
    common::read_feed(hub, office, "x")
        .iter()
        .filter(|e| e.kind == kind::CONTENT_PUBLISHED)
        .map(|e| {
            assert!(kind::is_hub_published(&e.kind));
            e.payload::<ContentPublished>().unwrap().verified().unwrap()
        })
        .collect()
}

on_each_backend! {
fn province_content_reaches_every_office_and_a_used_version_is_refused(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    hub.publish_content(&regulation(1, "第一条 为了规范信访举报工作，制定本细则。\n")).unwrap();
    hub.publish_content(&checklist(2)).unwrap();

    for office in [common::PROVINCE, common::KUNMING, common::WUHUA, common::QILIN] {
        let got = published(&hub, office);
        assert_eq!(got.len(), 2, "{office}");
        assert_eq!(got[0].kind, ContentKind::Regulation);
        assert_eq!(got[1], checklist(2));
    }
    // An office added afterwards finds everything published before in its feed.
    hub.add_office("530104", "官渡区纪委监委", OfficeLevel::County, Some(common::KUNMING)).unwrap();
    assert_eq!(published(&hub, "530104").len(), 2);

    // A used number (same or other text), a broken envelope and a mismatched template are refused,
    // each with its reason, and the hub writes nothing.
    let before = hub.counts().unwrap().events;
    let err = hub.publish_content(&regulation(1, "第一条 改过的文字。\n")).unwrap_err().to_string();
    assert!(err.contains("省级第 1 版）已经发布过"), "{err}");
    assert!(hub.publish_content(&checklist(2)).unwrap_err().to_string().contains("已经发布过"));
    assert!(hub.publish_content(&regulation(2, "  ")).unwrap_err().to_string().contains("文件是空的"));
    let mut wrong = checklist(3);
    wrong.body = checklist(4).body;
    assert!(hub.publish_content(&wrong).unwrap_err().to_string().contains("应与发布的编号和版本"));
    let mut broken = checklist(3);
    broken.body = "{\"id\":".into();
    assert!(hub.publish_content(&broken).unwrap_err().to_string().contains("不是有效的 JSON"));
    assert_eq!(hub.counts().unwrap().events, before);

    // The next number is accepted and lands on its own aggregate.
    hub.publish_content(&regulation(2, "第一条 为了规范信访举报工作，制定本细则。\n第二条 新增。\n")).unwrap();
    let feed = common::read_feed(&hub, common::WUHUA, "x");
    let last = feed.iter().rev().find(|e| e.kind == kind::CONTENT_PUBLISHED).unwrap();
    assert_eq!(last.aggregate, content::aggregate(ContentKind::Regulation, "yn-xinfang-xize", 2));
}
}

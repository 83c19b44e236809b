//! Helpers shared by the notice tests: an office with one officer per post, complaints and
//! penalty decisions driven into the states notices belong to, one renderer for the whole test
//! binary, and `pdftotext` to read what an issued PDF says.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Conclusion, Screening};
use qingfeng_core::complaints::{
    AccusationFinding, ApprovalAction, ComplaintChannel, DisposalMethod, RegisterComplaint, Reporter, ScreeningOutcome,
    Subject,
};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::penalty::{self, PartyPenalty, PenaltyPerson, RegisterPenalty};
use qingfeng_core::{KeySource, Store};
use qingfeng_documents::Notices;
use qingfeng_notice::Renderer;

pub const ADMIN_PASSWORD: &str = "Admin#2026pass";
pub const PASSWORD: &str = "Password#2026";

/// The reporter's details: none of them may appear in a notice to the people reported on.
pub const REPORTER_NAME: &str = "钱检举";
pub const REPORTER_CONTACT: &str = "13800001234";
pub const REPORTER_ADDRESS: &str = "某某路88号";
/// The person reported on, and what only the handling officers know of them.
pub const SUBJECT_NAME: &str = "甄被告";
pub const SUBJECT_POST: &str = "执法大队长";
pub const SUBJECT_UNIT: &str = "区城管局";
pub const CONTENT: &str = "甄被告多次向摊贩索要好处费，金额约三万元。";
pub const SUMMARY: &str = "反映区城管局执法大队长甄某某索要好处费";

/// One renderer (fonts loaded once) for every test in a binary.
pub fn notices() -> &'static Notices {
    static N: OnceLock<Notices> = OnceLock::new();
    N.get_or_init(|| Notices::new(Renderer::with_system_fonts().expect("fonts-noto-cjk and fonts-lxgw-wenkai")))
}

pub struct Office {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub clock: Clock,
    pub admin: Actor,
    pub xinfang: Actor,
    pub jiancha: Actor,
    pub lingdao: Actor,
    pub anguan: Actor,
    pub shenli: Actor,
}

impl Office {
    pub fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("q.db")
    }

    pub fn keys(&self) -> KeySource {
        KeySource::File(self.dir.path().join("q.key"))
    }

    pub fn count_kind(&self, kind: &str) -> i64 {
        self.store
            .raw_connection_for_tests()
            .query_row("SELECT count(*) FROM events WHERE kind = ?1", [kind], |r| r.get(0))
            .unwrap()
    }

    pub fn event_count(&self) -> i64 {
        self.store.raw_connection_for_tests().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
    }
}

fn login(store: &mut Store, name: &str, password: &str) -> Actor {
    let s = accounts::login(store, name, password, Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

/// An office on Monday 2026-03-02, 09:00 Beijing time, with an officer for each post.
pub fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key"))).unwrap();
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap());
    store.set_clock(clock.clone());
    let req = SetupRequest {
        office_code: "530102".into(),
        office_name: "五华区纪委监委".into(),
        office_level: OfficeLevel::County,
        parent_code: Some("530100".into()),
        admin_username: "admin".into(),
        admin_display_name: "张管理".into(),
        admin_password: ADMIN_PASSWORD.into(),
    };
    accounts::setup_office(&mut store, &req, Channel::Cli).unwrap();
    let admin = login(&mut store, "admin", ADMIN_PASSWORD);
    let mut officer = |name: &str, display: &str, role: Role| {
        let new = NewUser {
            username: name.into(),
            display_name: display.into(),
            password: PASSWORD.into(),
            roles: vec![role],
        };
        accounts::add_user(&mut store, &admin, &new).unwrap();
        // Posts that read identities wait for a second person (issue #14); the program approves
        // them here so the tests of notices start with their officers in post.
        for r in accounts::role_requests(&mut store, &qingfeng_core::authz::Actor::System).unwrap() {
            if r.status == "pending" && r.username == name {
                accounts::decide_role_request(&mut store, &qingfeng_core::authz::Actor::System, &r.id, true, "")
                    .unwrap();
            }
        }
        login(&mut store, name, PASSWORD)
    };
    let xinfang = officer("xinfang", "李信访", Role::Petitions);
    let jiancha = officer("jiancha", "王监察", Role::Supervision);
    let lingdao = officer("lingdao", "赵领导", Role::Leader);
    let anguan = officer("anguan", "孙案管", Role::CaseManagement);
    let shenli = officer("shenli", "周审理", Role::Trial);
    Office { dir, store, clock, admin, xinfang, jiancha, lingdao, anguan, shenli }
}

pub fn form(real_name: bool, anonymous: bool) -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-02-24".into(),
        reporter: (!anonymous).then(|| Reporter {
            name: REPORTER_NAME.into(),
            unit: Some("某某小区业委会".into()),
            contact: REPORTER_CONTACT.into(),
            address: Some(REPORTER_ADDRESS.into()),
        }),
        real_name: real_name && !anonymous,
        real_name_verified: None,
        summary: SUMMARY.into(),
        content: CONTENT.into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: SUBJECT_NAME.into(),
            post: SUBJECT_POST.into(),
            unit: SUBJECT_UNIT.into(),
            level: "一般干部".into(),
        }],
        repeat_of: None,
    }
}

pub fn register(o: &mut Office, real_name: bool, anonymous: bool) -> String {
    ops::register(&mut o.store, &o.xinfang, &form(real_name, anonymous)).unwrap()
}

pub fn screen(o: &mut Office, id: &str, outcome: ScreeningOutcome) {
    let s = Screening {
        outcome,
        department: (outcome == ScreeningOutcome::AcceptTransfer).then_some(Role::Supervision),
        reason: match outcome {
            ScreeningOutcome::NotAccepted => "你反映的问题属于劳动争议，已进入仲裁程序。".into(),
            _ => "属本机关受理范围".into(),
        },
        refer_to: (outcome == ScreeningOutcome::NotAccepted).then(|| "五华区劳动人事争议仲裁委员会".into()),
        repeat_of: None,
    };
    ops::screen(&mut o.store, &o.xinfang, id, &s).unwrap();
}

/// A real-name complaint, accepted and transferred to supervision.
pub fn accepted(o: &mut Office) -> String {
    let id = register(o, true, false);
    screen(o, &id, ScreeningOutcome::AcceptTransfer);
    id
}

/// An accepted complaint whose disposal by inquiry a leader approved (letter sent today).
pub fn in_inquiry(o: &mut Office) -> String {
    let id = accepted(o);
    let request = ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some("2026-03-02".into()) };
    let approval = ops::request_approval(&mut o.store, &o.jiancha, &id, &request, "经集体研究，拟谈话函询").unwrap();
    ops::decide_approval(&mut o.store, &o.lingdao, &approval, true, "同意").unwrap();
    id
}

/// A complaint handled by inquiry and concluded with a result.
pub fn concluded(o: &mut Office, real_name: bool, anonymous: bool) -> String {
    let id = register(o, real_name, anonymous);
    screen(o, &id, ScreeningOutcome::AcceptTransfer);
    let request = ApprovalAction::Dispose { method: DisposalMethod::Close, letter_date: None };
    let approval = ops::request_approval(&mut o.store, &o.jiancha, &id, &request, "经核查，问题不实").unwrap();
    ops::decide_approval(&mut o.store, &o.lingdao, &approval, true, "同意").unwrap();
    let c = Conclusion {
        date: "2026-03-02".into(),
        result: "经核查，反映甄被告索要好处费的问题查无实据，予以了结。".into(),
        accusation: AccusationFinding::None,
        clearance: false,
    };
    ops::conclude(&mut o.store, &o.jiancha, &id, &c).unwrap();
    id
}

pub fn decision(special_status: bool, complaint_id: Option<String>) -> RegisterPenalty {
    RegisterPenalty {
        person: PenaltyPerson {
            name: "刘受处".into(),
            unit: "五华区住建局".into(),
            post: "副局长".into(),
            rank: "二级主任科员".into(),
            party_member: true,
            deputy: special_status,
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: "五纪处〔2026〕3号".into(),
        deciding_body: "中共五华区纪律检查委员会".into(),
        party_penalty: Some(PartyPenalty::Warning),
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: "2026-02-26".into(),
        approval_date: Some("2026-02-27".into()),
        responsible_units: vec!["五华区住建局".into()],
        confiscate: None,
        repay: None,
        organisational_handling: None,
        complaint_id,
    }
}

pub fn penalty(o: &mut Office, special_status: bool) -> String {
    penalty::ops::register(&mut o.store, &o.anguan, &decision(special_status, None)).unwrap()
}

/// Serves the decision: the 送达 item submitted and approved, so the 宣布 item opens.
pub fn serve(o: &mut Office, id: &str) {
    let req = penalty::SubmitRequest {
        date: "2026-03-02".into(),
        note: "已送达".into(),
        measures: None,
        result: None,
        files: vec![],
    };
    penalty::ops::submit(&mut o.store, &o.anguan, id, 1, &req).unwrap();
    penalty::ops::approve(&mut o.store, &o.shenli, id, 1, "同意", None).unwrap();
}

/// The text of a PDF, by pdftotext (poppler-utils).
pub fn pdftotext(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Drop layout spaces so phrases can be searched whatever the line breaks.
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that nothing the reporter told or the officers noted about the case is in `text`.
pub fn assert_no_reporter(text: &str) {
    for secret in [REPORTER_NAME, REPORTER_CONTACT, REPORTER_ADDRESS, "业委会", CONTENT, SUMMARY] {
        assert!(!text.contains(secret), "the notice reveals {secret:?}: {text}");
    }
}

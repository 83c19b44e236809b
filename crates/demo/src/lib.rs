//! A demonstration office: one account per post and a few hundred complaints in every state of
//! handling, so a new user sees a living office and the program's screens have something to show.
//!
//! The complaints are made through the real operations (`complaints::ops`), acting as the demo
//! officers, on a manual clock that walks forward through the last ten months. Everything in the
//! log is therefore exactly what officers using the program would have produced, and a rebuild
//! reproduces it. The content comes from a fixed-seed random generator, so two demo databases made
//! on the same day hold the same complaints.
//!
//! This crate sits beside `qingfeng-core` rather than inside it: it uses only core's public
//! operations, so the demo cannot reach a shortcut an officer does not have, and core's code
//! stays free of 1.7k lines of sample content.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::{Clock, business_zone};
use qingfeng_core::complaints::ops::{self, Conclusion, Screening};
use qingfeng_core::complaints::{
    AccusationFinding, ApprovalAction, ComplaintChannel, DisposalMethod, RegisterComplaint, Reporter, ScreeningOutcome,
    Subject,
};
use qingfeng_core::error::Result;
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::store::Store;

mod penalty;

/// The password of every demo account. Demo databases are for practice, never for real cases.
pub const DEMO_PASSWORD: &str = "qingfeng2026";

/// A seeded account, so its credentials can be shown to the person trying the program.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub password: &'static str,
}

const ACCOUNTS: &[(&str, &str, Role)] = &[
    ("xinfang", "王信访", Role::Petitions),
    ("jiancha", "李监督", Role::Supervision),
    ("diaocha", "赵审查", Role::Investigation),
    ("anguan", "陈案管", Role::CaseManagement),
    ("shenli", "刘审理", Role::Trial),
    ("lingdao", "周领导", Role::Leader),
];

/// How many complaints the demo office holds.
const COMPLAINTS: usize = 300;
/// Of which this many repeat an earlier one.
const REPEATS: usize = 12;
/// How far back the office's history reaches, in days (about ten months).
const HISTORY_DAYS: f64 = 300.0;
/// The generator's seed: a fixed seed makes the demo reproducible.
const SEED: u64 = 0x5153_4647_2026;

/// The demo accounts, administrator first, for showing the credentials of an existing demo database.
pub fn accounts() -> Vec<DemoAccount> {
    let admin =
        DemoAccount { username: "admin", display_name: "张管理", role: Role::Admin, password: DEMO_PASSWORD };
    std::iter::once(admin)
        .chain(ACCOUNTS.iter().map(|(username, display_name, role)| DemoAccount {
            username,
            display_name,
            role: *role,
            password: DEMO_PASSWORD,
        }))
        .collect()
}

/// Sets up a demo county office, its accounts, and ten months of complaint handling in an empty store.
///
/// The store's clock is used as "now": the office is set up about ten months before it, and the
/// clock is given back unchanged at the end.
pub fn seed(store: &mut Store) -> Result<Vec<DemoAccount>> {
    let original = store.clock().clone();
    let end = original.now();
    // The office was set up shortly before the first complaint it holds, at nine in the morning.
    let start_day = (end - Duration::days(HISTORY_DAYS as i64 + 5)).with_timezone(&business_zone()).date_naive();
    let start = at_beijing(start_day, 9, 0);
    let clock = Clock::manual(start);
    store.set_clock(clock.clone());
    // Seeding is a bulk load of a few thousand small transactions into a new file, so the store
    // syncs its write-ahead log at checkpoints only while it runs.
    let result = store.bulk_load(|store| seed_at(store, &clock, end));
    store.set_clock(original);
    let accounts = result?;
    // Written last, durably: a seed killed part-way leaves no mark, and `is_complete` tells
    // `qingfeng demo --if-missing` to build it again instead of taking half a demo for a whole one.
    store.mark_demo_complete()?;
    Ok(accounts)
}

/// Whether this database is a demo whose seeding ran to the end.
pub fn is_complete(store: &Store) -> Result<bool> {
    store.demo_complete()
}

fn seed_at(store: &mut Store, clock: &Clock, end: DateTime<Utc>) -> Result<Vec<DemoAccount>> {
    let session = accounts::setup_office(
        store,
        &SetupRequest {
            office_code: "530102".into(),
            office_name: "五华区纪委监委（演示）".into(),
            office_level: OfficeLevel::County,
            parent_code: Some("530100".into()),
            admin_username: "admin".into(),
            admin_display_name: "张管理".into(),
            admin_password: DEMO_PASSWORD.into(),
        },
        Channel::Cli,
    )?;
    let mut out =
        vec![DemoAccount { username: "admin", display_name: "张管理", role: Role::Admin, password: DEMO_PASSWORD }];
    for (username, display_name, role) in ACCOUNTS {
        // The program creates the demonstration accounts itself: the petitions officer and the
        // leader would otherwise each wait for a second person's approval (issue #14).
        accounts::add_user(
            store,
            &Actor::System,
            &NewUser {
                username: (*username).into(),
                display_name: (*display_name).into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![*role],
            },
        )?;
        out.push(DemoAccount { username, display_name, role: *role, password: DEMO_PASSWORD });
    }
    accounts::logout(store, &session.session_id)?;

    let mut rng = StdRng::seed_from_u64(SEED);
    let mut cases = plan_office(&mut rng, store.calendar(), end);
    // Password hashing is the slow part of seeding, so each officer logs in once for the whole history.
    let mut officers = Officers::default();
    for (username, _, role) in ACCOUNTS {
        if matches!(role, Role::Petitions | Role::Supervision | Role::Investigation | Role::Leader) {
            let s = accounts::login(store, username, DEMO_PASSWORD, Channel::Cli)?;
            officers.sessions.push(s.session_id.clone());
            let actor = Actor::User(accounts::principal(store, &s.session_id)?);
            officers.by_role.push((*role, actor));
        }
    }
    run_office(store, clock, &mut cases, &officers)?;
    advance_to(clock, end);
    // Penalty decisions and a rectification list, in varied states (DOMAIN.md §3–§4).
    crate::penalty::seed(store, clock.today(), DEMO_PASSWORD)?;
    for session in &officers.sessions {
        accounts::logout(store, session)?;
    }
    Ok(out)
}

/// How many complaints the database holds in each status, in workflow order (for `qingfeng demo`).
pub use qingfeng_core::complaints::query::status_counts as complaint_counts;

// ---------------------------------------------------------------------------------------------
// Who does what.

/// The logged-in demo officers.
#[derive(Debug, Default)]
struct Officers {
    sessions: Vec<String>,
    by_role: Vec<(Role, Actor)>,
}

impl Officers {
    fn get(&self, role: Role) -> Result<&Actor> {
        self.by_role
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, a)| a)
            .ok_or_else(|| qingfeng_core::CoreError::invalid(format!("演示数据缺少“{}”岗位的账号。", role.label())))
    }
}

// ---------------------------------------------------------------------------------------------
// Time.

fn at_beijing(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    // A fixed offset has exactly one instant for every local time.
    business_zone().from_local_datetime(&local).single().map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

fn beijing_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&business_zone()).date_naive()
}

fn days(d: f64) -> Duration {
    Duration::seconds((d * 86_400.0) as i64)
}

fn advance_to(clock: &Clock, t: DateTime<Utc>) {
    let by = t - clock.now();
    if by > Duration::zero() {
        clock.advance(by);
    }
}

fn between(rng: &mut StdRng, lo: f64, hi: f64) -> f64 {
    if hi <= lo { lo } else { rng.gen_range(lo..hi) }
}

/// Moves a moment into office hours (08:30 to 17:30 on a working day), because officers record
/// their work at the office. A moment already in office hours stays where it is.
fn office_hours(cal: &qingfeng_calendar::Calendar, t: DateTime<Utc>, rng: &mut StdRng) -> DateTime<Utc> {
    let local = t.with_timezone(&business_zone());
    let working = |d: NaiveDate| cal.is_working_day(d).map(|a| a.value).unwrap_or(true);
    let minutes = local.time().signed_duration_since(NaiveTime::MIN).num_minutes();
    let mut day = local.date_naive();
    if working(day) && (8 * 60 + 30..17 * 60 + 30).contains(&minutes) {
        return t;
    }
    if minutes >= 8 * 60 + 30 {
        day = day.succ_opt().unwrap_or(day);
    }
    // Bounded: no holiday in the calendar is longer than a few weeks.
    for _ in 0..30 {
        if working(day) {
            break;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    let minute = rng.gen_range(0..240);
    at_beijing(day, 8 + (30 + minute) / 60, (30 + minute) % 60)
}

/// The last moment of office hours at or before `t`: work that would fall after today's end is
/// placed at the end of the latest working day instead, not on a weekend or a holiday.
fn office_hours_before(cal: &qingfeng_calendar::Calendar, t: DateTime<Utc>) -> DateTime<Utc> {
    let local = t.with_timezone(&business_zone());
    let working = |d: NaiveDate| cal.is_working_day(d).map(|a| a.value).unwrap_or(true);
    let minutes = local.time().signed_duration_since(NaiveTime::MIN).num_minutes();
    let mut day = local.date_naive();
    if working(day) && minutes >= 8 * 60 + 30 {
        return t.min(at_beijing(day, 17, 29));
    }
    for _ in 0..30 {
        day = day.pred_opt().unwrap_or(day);
        if working(day) {
            break;
        }
    }
    at_beijing(day, 17, 29)
}

/// A moment in office hours after `t` and never after `end`, when there is one.
fn next_moment(
    cal: &qingfeng_calendar::Calendar,
    rng: &mut StdRng,
    prev: DateTime<Utc>,
    t: DateTime<Utc>,
    end: DateTime<Utc>,
) -> DateTime<Utc> {
    let at = office_hours(cal, t, rng);
    let at = if at > end { office_hours_before(cal, end) } else { at };
    at.max(prev).min(end)
}

// ---------------------------------------------------------------------------------------------
// What happens to a complaint.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    Return,
    Dispose(DisposalMethod),
}

#[derive(Debug, Clone)]
enum Step {
    Register,
    Screen {
        outcome: ScreeningOutcome,
        department: Option<Role>,
        reason: String,
        refer_to: Option<String>,
    },
    Notify {
        note: &'static str,
    },
    Forward {
        note: String,
    },
    /// `letter_date` is filled in once the approval's date is known: the inquiry letter goes out
    /// the day the leader approves.
    Request {
        request: Request,
        reason: String,
        letter_date: Option<String>,
    },
    Decide {
        granted: bool,
        comment: &'static str,
    },
    Reply {
        note: &'static str,
    },
    Conclude {
        result: String,
        accusation: AccusationFinding,
        clearance: bool,
    },
    Feedback {
        note: &'static str,
    },
    Objection {
        content: &'static str,
        new_evidence: bool,
    },
    Reveal {
        by: Role,
        purpose: &'static str,
    },
}

/// A complaint's planned history before it is placed in time: each step with the days it
/// follows the previous one, and, for work still under way, how long ago the last step was.
#[derive(Debug, Default)]
struct Plan {
    steps: Vec<(f64, Step)>,
    /// Days between the last step and today, for a complaint whose handling is still under way;
    /// `None` for a finished one, which may lie anywhere in the office's history.
    tail: Option<(f64, f64)>,
}

impl Plan {
    fn then(&mut self, after_days: f64, step: Step) {
        self.steps.push((after_days, step));
    }
}

/// A complaint: its form, its timed history, and what running it has produced so far.
#[derive(Debug)]
struct Case {
    form: RegisterComplaint,
    channel_any_hour: bool,
    /// The complaint this one repeats (an index into the cases).
    repeat_of: Option<usize>,
    /// Link the earlier complaint on the registration form itself, not only at screening.
    link_at_registration: bool,
    steps: Vec<(DateTime<Utc>, Step)>,
    id: Option<String>,
    department: Option<Role>,
    pending: Option<(String, Request)>,
}

/// What the office should show at the end, one kind of complaint per target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Registered, not yet screened.
    Registered,
    /// Accepted and with a department, waiting for its disposal; `notice` if the real-name
    /// reporter was told; `overdue` places it far back so its notice deadline has passed.
    Accepted {
        notice: bool,
        overdue: bool,
    },
    ReportedUpward {
        forwarded: bool,
    },
    TransferredDownward {
        forwarded: bool,
    },
    NotAccepted,
    /// Returned to petitions by the department with a leader's approval, then not accepted.
    Returned,
    /// A disposal requested and waiting for the leader.
    AwaitingApproval,
    Inquiry {
        replied: bool,
    },
    Verification,
    Held,
    CaseFiled,
    Concluded {
        method: DisposalMethod,
        feedback: Feedback,
        objection: Option<bool>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feedback {
    Given,
    /// Not yet given, the deadline still running.
    Due,
    /// Not given and overdue: the dashboard's red light.
    Forgotten,
}

// ---------------------------------------------------------------------------------------------
// Vocabulary of the demo county.

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "段", "普", "字",
    "杜", "叶", "苏", "魏", "吕", "丁", "沈", "欧阳", "司马",
];

const GIVEN_NAMES: &[&str] = &[
    "建国", "志强", "红梅", "丽", "伟", "明", "文华", "海燕", "永平", "德明", "玉兰", "勇", "刚", "国庆", "春华",
    "晓东", "云", "家福", "正荣", "金凤", "学文", "兴旺", "绍华", "映红", "光明", "树林", "秀英", "俊", "建华", "开云",
    "宏伟", "丽萍", "福生", "有才", "琼", "自强", "润生", "桂芬", "永福", "卫东",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Bureau,
    Township,
    Village,
    Hospital,
    School,
}

/// Units of the district government, with the posts of each kind of unit.
const BUREAUS: &[&str] = &[
    "区住建局",
    "区交通运输局",
    "区自然资源局",
    "区教育体育局",
    "区农业农村局",
    "区市场监督管理局",
    "区水务局",
    "区民政局",
    "区卫生健康局",
    "区林业和草原局",
    "区人力资源和社会保障局",
    "区综合行政执法局",
];
const TOWNSHIPS: &[&str] = &["石桥镇", "青山乡", "龙潭镇", "白沙乡", "松林镇", "河口乡"];
const VILLAGES: &[&str] = &["大营村", "新村", "小河村", "落水洞村", "马街村", "团结村", "沙朗村", "麦冲村"];
const HOSPITALS: &[&str] = &["区人民医院", "区中医医院"];
const SCHOOLS: &[&str] = &["区第一中学", "石桥镇中心学校", "青山乡中心学校"];

/// A kind of wrongdoing people write in about.
#[derive(Debug)]
struct Topic {
    /// How the summary names it, after the person: "违规收受礼金".
    issue: &'static str,
    category: &'static str,
    kinds: &'static [UnitKind],
    /// Sentences of the content; `{n}` is the person's name, `{u}` the unit.
    details: &'static [&'static str],
    /// Serious enough that it often goes to investigation or ends in a case.
    serious: bool,
}

use UnitKind::{Bureau, Hospital, School, Township, Village};

const ALL_KINDS: &[UnitKind] = &[Bureau, Township, Village, Hospital, School];

const TOPICS: &[Topic] = &[
    Topic {
        issue: "违规收受礼金",
        category: "违反廉洁纪律",
        kinds: ALL_KINDS,
        details: &[
            "{n}利用逢年过节之机，多次收受管理服务对象和下属所送礼金、购物卡。",
            "据反映，今年春节前{n}在家中收受某建筑公司老板所送礼金二万元。",
            "{n}儿子考上大学时，曾收受多名管理服务对象所送“升学礼”。",
        ],
        serious: false,
    },
    Topic {
        issue: "插手工程项目、截留工程款",
        category: "违反廉洁纪律",
        kinds: &[Bureau, Township, Village],
        details: &[
            "{n}利用职务便利，为其亲属承揽{u}辖区道路硬化工程提供帮助。",
            "工程完工验收后，施工队的工程款长期未结清，农民工多次讨要无果，怀疑工程款被截留挪用。",
            "部分工程未经招投标即直接指定施工单位，工程款结算价格明显高于市场价格。",
        ],
        serious: true,
    },
    Topic {
        issue: "罚款不开票据、不入账",
        category: "违反工作纪律",
        kinds: &[Bureau, Township],
        details: &[
            "{u}执法人员在检查中对经营户处以罚款，但不开具正式票据。",
            "反映人称，部分罚款以现金方式收取后未缴入财政专户，去向不明。",
            "{n}对罚款随意减免，存在以罚代管、收取“人情费”的情况。",
        ],
        serious: false,
    },
    Topic {
        issue: "虚报冒领补贴",
        category: "违反群众纪律",
        kinds: &[Township, Village],
        details: &[
            "{n}在耕地地力保护补贴发放中，为不符合条件的亲属虚报种植面积，套取补贴资金。",
            "部分已去世人员的养老补贴仍在继续发放，补贴资金被他人冒领。",
            "危房改造补贴评定不公开，有的农户住房并不困难却领取了补贴。",
        ],
        serious: false,
    },
    Topic {
        issue: "挪用扶贫资金",
        category: "职务违法",
        kinds: &[Township, Village],
        details: &[
            "{n}将上级下拨的产业扶贫资金挪作他用，部分资金用于村委会招待开支。",
            "用扶贫资金购买的养殖物资实际发放数量与账目不符，差额去向不明。",
            "反映人称，扶贫资金项目公示内容与实际建设情况不一致。",
        ],
        serious: true,
    },
    Topic {
        issue: "公车私用",
        category: "违反廉洁纪律",
        kinds: &[Bureau, Township, Hospital, School],
        details: &[
            "{n}周末和节假日多次驾驶单位公务用车接送子女、回老家办私事，公车私用问题突出。",
            "反映人多次看到该公务用车停放在某小区和农家乐门口，并拍有照片。",
        ],
        serious: false,
    },
    Topic {
        issue: "违规吃喝",
        category: "违反廉洁纪律",
        kinds: ALL_KINDS,
        details: &[
            "{n}经常在工作日中午到辖区农家乐饮酒，费用由企业老板买单，属违规吃喝。",
            "{u}以开会、调研名义组织公款吃喝，费用以办公用品名义报销。",
            "反映人称，去年年底{n}带领单位人员到私人会所聚餐，饮用高档酒水。",
        ],
        serious: false,
    },
    Topic {
        issue: "在低保评定中优亲厚友",
        category: "违反群众纪律",
        kinds: &[Township, Village],
        details: &[
            "{n}在低保评定中优亲厚友，将不符合条件的亲属纳入最低生活保障对象。",
            "真正困难的群众多次申请却未能享受低保，群众意见很大。",
        ],
        serious: false,
    },
    Topic {
        issue: "违规操办婚丧喜庆事宜",
        category: "违反廉洁纪律",
        kinds: ALL_KINDS,
        details: &[
            "{n}为儿子操办婚宴，宴请管理服务对象四十余桌，借机收受礼金。",
            "宴席分散在两家酒店举办，以规避有关规定。",
        ],
        serious: false,
    },
    Topic {
        issue: "工作作风粗暴、推诿扯皮",
        category: "违反工作纪律",
        kinds: ALL_KINDS,
        details: &[
            "群众到{u}办事多次被推诿，{n}态度恶劣，甚至辱骂办事群众。",
            "反映人的合理诉求拖了半年仍未办理，相关人员互相推诿。",
        ],
        serious: false,
    },
    Topic {
        issue: "违规经商办企业",
        category: "违反廉洁纪律",
        kinds: &[Bureau, Township],
        details: &[
            "{n}以其配偶名义入股辖区内砂石料场，并利用职权为该料场承揽业务。",
            "该料场多次在{u}组织的项目中中标，存在利益输送嫌疑。",
        ],
        serious: true,
    },
    Topic {
        issue: "收受医药代表回扣",
        category: "违反廉洁纪律",
        kinds: &[Hospital],
        details: &["{n}在药品和医用耗材采购中收受医药代表回扣。", "部分药品采购价格明显高于周边医院，加重了患者负担。"],
        serious: true,
    },
    Topic {
        issue: "违规收取补课费",
        category: "违反群众纪律",
        kinds: &[School],
        details: &[
            "{u}组织学生有偿补课，按每人每月数百元收取补课费。",
            "补课费未纳入学校财务统一管理，由{n}个人掌握支配。",
        ],
        serious: false,
    },
    Topic {
        issue: "违规审批宅基地",
        category: "职务违法",
        kinds: &[Township, Village],
        details: &[
            "{n}违规为不符合条件的人员审批宅基地，并收受好处费。",
            "部分宅基地占用基本农田，群众多次反映未得到处理。",
        ],
        serious: true,
    },
    Topic {
        issue: "参与赌博",
        category: "违反生活纪律",
        kinds: ALL_KINDS,
        details: &["{n}经常在工作时间参与打麻将赌博，输赢数额较大。", "反映人称{n}曾在赌场欠下债务，多次向下属借钱。"],
        serious: false,
    },
    Topic {
        issue: "违规提拔使用亲属",
        category: "违反组织纪律",
        kinds: &[Bureau, Hospital, School],
        details: &[
            "{n}违规安排其亲属到{u}下属单位工作，并在年度考核中予以照顾。",
            "{u}近两年的干部选拔未按规定公示，群众对{n}任人唯亲意见较大。",
        ],
        serious: false,
    },
];

const CLOSINGS: &[&str] = &[
    "反映人称掌握相关照片和转账记录，请求组织调查核实。",
    "希望纪委监委认真调查，给群众一个交代。",
    "以上问题群众反映强烈，请予以查处。",
    "反映人表示愿意配合调查。",
];

/// Matters outside the office's remit, with where the reporter should go.
const OUTSIDE_REMIT: &[(&str, &str, &str, &str, &str)] = &[
    (
        "某房地产开发公司",
        "反映某房地产开发公司逾期交房问题",
        "反映人购买的商品房逾期两年未交付，开发商拒不退还购房款。该纠纷已向区人民法院提起诉讼。",
        "反映事项属民事纠纷且已进入诉讼程序，不属于纪检监察机关受理范围。",
        "区人民法院",
    ),
    (
        "某建筑劳务公司",
        "反映某建筑劳务公司拖欠工资问题",
        "反映人在某工地务工半年，劳务公司拖欠其工资三万余元。多次讨要无果，希望帮助追讨。",
        "反映事项属劳动争议，应通过劳动保障监察或劳动仲裁途径解决。",
        "区劳动人事争议仲裁委员会",
    ),
    (
        "某超市",
        "反映某超市销售过期食品问题",
        "反映人在某超市购买的食品已过保质期，与商家协商退赔未果。",
        "反映事项属消费维权，由市场监管部门处理。",
        "区市场监督管理局（12315）",
    ),
    (
        "邻居",
        "反映与邻居宅基地界址纠纷",
        "反映人与邻居因宅基地界址发生纠纷，多次争吵。希望有关部门主持公道。",
        "反映事项属邻里民事纠纷，不属于纪检监察机关受理范围。",
        "所在乡镇人民政府人民调解委员会",
    ),
];

/// Cadres managed by the level above, whose complaints go up (DOMAIN.md §2).
const UPWARD_SUBJECTS: &[(&str, &str)] =
    &[("区人民政府", "副区长"), ("区人大常委会", "副主任"), ("区政协", "副主席"), ("区委", "常委、宣传部部长")];

// ---------------------------------------------------------------------------------------------
// Making complaints up.

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    *pick_ref(rng, items)
}

fn pick_ref<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    // The tables above are never empty, so the index is always in range.
    &items[rng.gen_range(0..items.len())]
}

fn person_name(rng: &mut StdRng) -> (String, &'static str) {
    let surname = pick(rng, SURNAMES);
    // A compound surname takes a one-character given name, so names stay at two or three characters.
    let given = loop {
        let g = pick(rng, GIVEN_NAMES);
        if surname.chars().count() == 1 || g.chars().count() == 1 {
            break g;
        }
    };
    (format!("{surname}{given}"), surname)
}

/// A unit of the given kind: (name for the summary, unit as recorded, post, cadre level).
fn unit_and_post(rng: &mut StdRng, kind: UnitKind) -> (String, String, String, &'static str) {
    match kind {
        Bureau => {
            let unit = pick(rng, BUREAUS);
            let (post, level) = pick(
                rng,
                &[
                    ("局长", "区管干部"),
                    ("副局长", "区管干部"),
                    ("办公室主任", "一般干部"),
                    ("规划股股长", "一般干部"),
                    ("执法大队大队长", "一般干部"),
                    ("财务股股长", "一般干部"),
                ],
            );
            (unit.to_owned(), unit.to_owned(), post.to_owned(), level)
        }
        Township => {
            let place = pick(rng, TOWNSHIPS);
            let x = if place.ends_with('乡') { "乡" } else { "镇" };
            match rng.gen_range(0..5) {
                0 => (place.to_owned(), format!("{place}党委"), "党委书记".to_owned(), "区管干部"),
                1 => (place.to_owned(), format!("{place}人民政府"), format!("{x}长"), "区管干部"),
                2 => (place.to_owned(), format!("{place}人民政府"), format!("副{x}长"), "区管干部"),
                3 => (place.to_owned(), format!("{place}人民政府"), "财政所所长".to_owned(), "一般干部"),
                _ => (place.to_owned(), format!("{place}人民政府"), "林业站站长".to_owned(), "一般干部"),
            }
        }
        Village => {
            let town = pick(rng, TOWNSHIPS);
            let village = pick(rng, VILLAGES);
            let post = pick(rng, &["党支部书记", "村委会主任", "村委会副主任", "报账员"]);
            (format!("{town}{village}"), format!("{town}{village}委会"), post.to_owned(), "村（社区）干部")
        }
        Hospital => {
            let unit = pick(rng, HOSPITALS);
            let (post, level) = pick(
                rng,
                &[("院长", "区管干部"), ("副院长", "区管干部"), ("药剂科主任", "一般干部"), ("骨科主任", "一般干部")],
            );
            (unit.to_owned(), unit.to_owned(), post.to_owned(), level)
        }
        School => {
            let unit = pick(rng, SCHOOLS);
            let (post, level) = pick(rng, &[("校长", "一般干部"), ("副校长", "一般干部"), ("总务主任", "一般干部")]);
            (unit.to_owned(), unit.to_owned(), post.to_owned(), level)
        }
    }
}

/// What a complaint says: its summary, content, categories and the people it is about.
#[derive(Debug)]
struct Content {
    summary: String,
    content: String,
    categories: Vec<String>,
    subjects: Vec<Subject>,
    /// The first person reported on, for the words of results and requests.
    person: String,
    serious: bool,
}

fn fill(template: &str, name: &str, unit: &str) -> String {
    template.replace("{n}", name).replace("{u}", unit)
}

/// A complaint about a cadre of this district.
fn cadre_complaint(rng: &mut StdRng, village_only: bool) -> Content {
    let topic = loop {
        let t = pick_ref(rng, TOPICS);
        if !village_only || t.kinds.contains(&Village) {
            break t;
        }
    };
    let kind = if village_only { Village } else { pick(rng, topic.kinds) };
    let (short, unit, post, level) = unit_and_post(rng, kind);
    let (name, surname) = person_name(rng);
    let mut subjects =
        vec![Subject { name: name.clone(), post: post.clone(), unit: unit.clone(), level: level.into() }];
    // Now and then two officials of the same unit are reported together.
    if rng.gen_bool(0.12) {
        let (other, _) = person_name(rng);
        let (_, unit2, post2, level2) = unit_and_post(rng, kind);
        if unit2 == unit && post2 != post {
            subjects.push(Subject { name: other, post: post2, unit: unit2, level: level2.into() });
        }
    }
    let summary = format!("反映{short}{post}{surname}某某{}", topic.issue);
    let mut sentences = vec![format!("被反映人{name}，现任{unit}{post}。")];
    let mut details: Vec<&str> = topic.details.to_vec();
    details.shuffle(rng);
    let n = if details.len() > 1 && rng.gen_bool(0.5) { 2 } else { 1 };
    sentences.extend(details.iter().take(n).map(|d| fill(d, &name, &short)));
    if rng.gen_bool(0.6) {
        sentences.push((pick(rng, CLOSINGS)).to_owned());
    }
    let mut categories = vec![topic.category.to_owned()];
    if topic.serious && topic.category != "职务违法" && rng.gen_bool(0.3) {
        categories.push("职务违法".to_owned());
    }
    Content { summary, content: sentences.concat(), categories, subjects, person: name, serious: topic.serious }
}

/// A complaint about a cadre managed by the city, which goes up.
fn upward_complaint(rng: &mut StdRng) -> Content {
    let (unit, post) = pick(rng, UPWARD_SUBJECTS);
    let (name, surname) = person_name(rng);
    let topic = loop {
        let t = pick_ref(rng, TOPICS);
        if t.kinds.contains(&Bureau) {
            break t;
        }
    };
    let detail = fill(pick(rng, topic.details), &name, unit);
    Content {
        summary: format!("反映{unit}{post}{surname}某某{}", topic.issue),
        content: format!("被反映人{name}，现任{unit}{post}。{detail}{}", pick(rng, CLOSINGS)),
        categories: vec![topic.category.to_owned()],
        subjects: vec![Subject {
            name: name.clone(), post: post.into(), unit: unit.into(), level: "市管干部".into()
        }],
        person: name,
        serious: topic.serious,
    }
}

/// A matter outside the office's remit.
fn outside_complaint(rng: &mut StdRng) -> Content {
    let (unit, summary, content, _, _) = pick(rng, OUTSIDE_REMIT);
    Content {
        summary: summary.into(),
        content: content.into(),
        categories: vec!["其他".into()],
        subjects: vec![Subject { name: String::new(), post: String::new(), unit: unit.into(), level: String::new() }],
        person: unit.into(),
        serious: false,
    }
}

fn outside_reason(summary: &str) -> (&'static str, &'static str) {
    OUTSIDE_REMIT
        .iter()
        .find(|o| o.1 == summary)
        .map_or(("反映内容空泛，无具体问题线索。", "告知检举人补充具体事实后可再次反映"), |o| (o.3, o.4))
}

/// The reporter: about 60% real-name, 30% anonymous, the rest signed without a usable contact.
fn reporter(rng: &mut StdRng, channel: ComplaintChannel, real_name: bool) -> (Option<Reporter>, Option<String>) {
    let town = pick(rng, TOWNSHIPS);
    let village = pick(rng, VILLAGES);
    let (name, _) = person_name(rng);
    if real_name {
        let unit = match rng.gen_range(0..4) {
            0 => Some(format!("{town}{village}村民")),
            1 => Some(format!("{}职工", pick(rng, BUREAUS))),
            2 => Some("退休干部".to_owned()),
            _ => None,
        };
        let address = rng.gen_bool(0.5).then(|| format!("{town}{village}{}组", rng.gen_range(1..12)));
        let verified = if channel == ComplaintChannel::Visit {
            Some("in_person".to_owned())
        } else if rng.gen_bool(0.5) {
            Some("phone".to_owned())
        } else {
            None
        };
        let contact = format!("1380000{:04}", rng.gen_range(0..10_000));
        (Some(Reporter { name, unit, contact, address }), verified)
    } else if rng.gen_bool(0.25) {
        // Signed with a name only: not real-name, because there is no way to reach the writer.
        (Some(Reporter { name, unit: None, contact: String::new(), address: None }), None)
    } else {
        (None, None)
    }
}

fn channel(rng: &mut StdRng) -> ComplaintChannel {
    match rng.gen_range(0..100) {
        0..45 => ComplaintChannel::Letter,
        45..65 => ComplaintChannel::Visit,
        65..80 => ComplaintChannel::Phone,
        _ => ComplaintChannel::Web,
    }
}

// ---------------------------------------------------------------------------------------------
// Handling plans.

const NOTIFY_NOTES: &[&str] = &["电话告知检举人已受理。", "书面告知检举人受理情况。", "检举人来访时当面告知已受理。"];
const FEEDBACK_NOTES: &[&str] =
    &["电话向检举人反馈办理结果，检举人表示认可。", "约检举人当面反馈办理结果，检举人无异议。", "书面反馈办理结果。"];
const REPLY_NOTES: &[&str] = &["收到被函询人书面说明材料。", "被函询人按期作出书面说明，所在单位党组织签署意见。"];
const GRANTED: &[&str] = &["同意。", "同意，请抓紧办理。", "同意，注意保密。"];

fn request_reason(method: DisposalMethod, person: &str) -> String {
    match method {
        DisposalMethod::Inquiry => "经室务会集体研究，问题线索较为笼统，拟采取谈话函询方式处置。".into(),
        DisposalMethod::Verification => "经集体研究，反映问题具体、可查性较强，拟进行初步核实。".into(),
        DisposalMethod::Hold => "经集体研究，问题线索目前不具备核查条件，拟暂存待查。".into(),
        DisposalMethod::Close => "经集体研究，反映问题缺乏可查性，拟予以了结。".into(),
        DisposalMethod::FileCase => format!("初步核实发现{person}涉嫌严重违纪违法，经集体研究拟立案审查调查。"),
    }
}

fn conclusion(rng: &mut StdRng, method: DisposalMethod, person: &str) -> (String, AccusationFinding, bool) {
    let none = AccusationFinding::None;
    match method {
        DisposalMethod::Inquiry => match rng.gen_range(0..3) {
            0 => (format!("经函询，{person}如实说明了有关情况，反映问题基本不属实，予以了结。"), none, false),
            1 => (format!("经函询，反映问题部分属实，对{person}进行批评教育并责令作出书面检查。"), none, false),
            _ => (format!("经函询，反映问题属实但情节轻微，对{person}进行诫勉谈话。"), none, false),
        },
        DisposalMethod::Verification => match rng.gen_range(0..10) {
            0..3 => ("经初步核实，反映问题不属实，予以了结。".into(), none, false),
            3..6 => (format!("经初步核实，反映问题部分属实，给予{person}党内警告处分。"), none, false),
            6..8 => (format!("经初步核实，反映问题属实但情节轻微，对{person}进行提醒谈话。"), none, false),
            8 => (
                format!("经初步核实，反映问题系检举人误解所致，属错告，为{person}澄清正名。"),
                AccusationFinding::Mistaken,
                true,
            ),
            _ => (
                format!("经核实，检举人捏造事实诬告陷害，已移送有关机关依法处理，并为{person}澄清正名。"),
                AccusationFinding::False,
                true,
            ),
        },
        DisposalMethod::Close => ("反映问题缺乏可查性，经集体研究予以了结。".into(), none, false),
        DisposalMethod::Hold => ("暂存期间经进一步了解，问题仍无法查证，予以了结。".into(), none, false),
        DisposalMethod::FileCase => match rng.gen_range(0..2) {
            0 => (
                format!(
                    "经立案审查调查，{person}严重违纪违法，给予开除党籍、政务撤职处分，涉嫌犯罪问题移送检察机关依法审查起诉。"
                ),
                none,
                false,
            ),
            _ => (format!("经审查调查，给予{person}党内严重警告、政务记过处分，收缴违纪所得。"), none, false),
        },
    }
}

/// Registration (within the hour or so) and screening a day or two later.
fn intake(plan: &mut Plan, rng: &mut StdRng, screen: Step) {
    plan.then(between(rng, 0.01, 0.08), Step::Register);
    plan.then(between(rng, 0.5, 3.0), screen);
}

fn accept(plan: &mut Plan, rng: &mut StdRng, c: &Content, real_name: bool, notice: bool) -> Role {
    let department =
        if c.serious && rng.gen_bool(0.5) || rng.gen_bool(0.08) { Role::Investigation } else { Role::Supervision };
    let reason =
        pick(rng, &["首次反映，属本级管辖范围。", "反映问题具体，属本级管辖。", "属本机关管辖的干部，首次举报。"]);
    intake(
        plan,
        rng,
        Step::Screen {
            outcome: ScreeningOutcome::AcceptTransfer,
            department: Some(department),
            reason: reason.into(),
            refer_to: None,
        },
    );
    if real_name && notice {
        plan.then(between(rng, 1.0, 8.0), Step::Notify { note: pick(rng, NOTIFY_NOTES) });
    }
    if real_name && rng.gen_bool(0.05) {
        let purpose = "电话告知受理情况前核对检举人联系方式。";
        plan.then(between(rng, 0.1, 1.0), Step::Reveal { by: Role::Petitions, purpose });
    }
    department
}

/// A disposal asked for and granted, now and then after a refused first proposal.
fn dispose(plan: &mut Plan, rng: &mut StdRng, method: DisposalMethod, person: &str, real_name: bool) {
    let mut wait = between(rng, 4.0, 15.0);
    if rng.gen_bool(0.05) {
        plan.then(
            wait,
            Step::Request {
                request: Request::Return,
                reason: "经与信访室协商，该件反映内容缺乏实质性问题线索，拟退回信访室。".into(),
                letter_date: None,
            },
        );
        plan.then(
            between(rng, 1.0, 3.0),
            Step::Decide {
                granted: false, comment: "经研究，该件反映问题具体，不同意退回，请依规提出处置意见。"
            },
        );
        wait = between(rng, 2.0, 6.0);
    } else if rng.gen_bool(0.15) {
        let (first, comment) = match method {
            DisposalMethod::Close | DisposalMethod::Hold => {
                (DisposalMethod::Inquiry, "反映问题有一定可查性，请先进一步了解后再提出处置意见。")
            }
            DisposalMethod::Inquiry => (DisposalMethod::Close, "问题线索尚未查清，不宜了结，请采取谈话函询方式处置。"),
            _ => (DisposalMethod::Inquiry, "反映问题较为具体，谈话函询难以查清，请按初步核实方式处置。"),
        };
        if first != method {
            plan.then(
                wait,
                Step::Request {
                    request: Request::Dispose(first),
                    reason: request_reason(first, person),
                    letter_date: None,
                },
            );
            plan.then(between(rng, 1.0, 3.0), Step::Decide { granted: false, comment });
            wait = between(rng, 2.0, 6.0);
        }
    }
    plan.then(
        wait,
        Step::Request { request: Request::Dispose(method), reason: request_reason(method, person), letter_date: None },
    );
    if real_name && rng.gen_bool(0.04) {
        let purpose = "审批时核实实名检举人身份。";
        plan.then(between(rng, 0.1, 1.0), Step::Reveal { by: Role::Leader, purpose });
    }
    plan.then(between(rng, 0.5, 3.0), Step::Decide { granted: true, comment: pick(rng, GRANTED) });
}

fn conclude(plan: &mut Plan, rng: &mut StdRng, (lo, hi): (f64, f64), method: DisposalMethod, person: &str) {
    let after = between(rng, lo, hi);
    let (result, accusation, clearance) = conclusion(rng, method, person);
    plan.then(after, Step::Conclude { result, accusation, clearance });
}

/// The plan that brings a complaint to `target`.
fn plan_for(rng: &mut StdRng, target: Target, c: &Content, real_name: bool) -> Plan {
    let mut p = Plan::default();
    let person = c.person.as_str();
    match target {
        Target::Registered => {
            p.then(between(rng, 0.01, 0.08), Step::Register);
            p.tail = Some((0.0, 1.5));
        }
        Target::Accepted { notice, overdue } => {
            accept(&mut p, rng, c, real_name, notice);
            p.tail = Some(if overdue {
                (40.0, 60.0)
            } else if notice {
                (0.0, 12.0)
            } else {
                (0.0, 6.0)
            });
        }
        Target::ReportedUpward { forwarded } => {
            intake(
                &mut p,
                rng,
                Step::Screen {
                    outcome: ScreeningOutcome::ReportUpward,
                    department: None,
                    reason: "被反映人系市管干部，按干部管理权限向上级纪委监委报送，原件随文报送。".into(),
                    refer_to: Some("市纪委监委".into()),
                },
            );
            // Reporting upward hands the case to the city (an ownership offer): a step the county
            // took on it afterwards would arrive at the hub as another office's step and be kept
            // as a conflict on the demo's first sync. The county's part ends with the screening;
            // sending the original is said in its reason. One reported long ago lies anywhere in
            // the office's history; one not yet sent on is recent.
            if !forwarded {
                p.tail = Some((0.0, 1.0));
            }
        }
        Target::TransferredDownward { forwarded } => {
            let town = c.subjects.first().map(|s| s.unit.clone()).unwrap_or_default();
            let town: String = town.chars().take_while(|ch| *ch != '乡' && *ch != '镇').collect();
            let suffix = if c.subjects.first().is_some_and(|s| s.unit.contains('乡')) { "乡" } else { "镇" };
            let refer = format!("{town}{suffix}纪委");
            intake(
                &mut p,
                rng,
                Step::Screen {
                    outcome: ScreeningOutcome::TransferDownward,
                    department: None,
                    reason: "被反映人系村组干部，按管理权限转乡镇纪委办理。".into(),
                    refer_to: Some(refer.clone()),
                },
            );
            if forwarded {
                let note = format!("已转送{refer}，请其在规定时限内登记办理并报告结果。");
                p.then(between(rng, 0.5, 3.0), Step::Forward { note });
            } else {
                p.tail = Some((0.0, 1.0));
            }
        }
        Target::NotAccepted => {
            let (reason, refer) = outside_reason(&c.summary);
            intake(
                &mut p,
                rng,
                Step::Screen {
                    outcome: ScreeningOutcome::NotAccepted,
                    department: None,
                    reason: reason.into(),
                    refer_to: Some(refer.into()),
                },
            );
        }
        Target::Returned => {
            accept(&mut p, rng, c, real_name, true);
            let reason = "经与信访室协商，该件反映内容缺乏实质性问题线索，拟退回信访室。".to_owned();
            p.then(between(rng, 3.0, 8.0), Step::Request { request: Request::Return, reason, letter_date: None });
            p.then(between(rng, 1.0, 2.0), Step::Decide { granted: true, comment: "同意退回。" });
            p.then(
                between(rng, 1.0, 3.0),
                Step::Screen {
                    outcome: ScreeningOutcome::NotAccepted,
                    department: None,
                    reason: "经承办部门协商并报领导批准退回，反映内容无实质性问题线索。".into(),
                    refer_to: Some("告知检举人补充具体事实后可再次反映".into()),
                },
            );
        }
        Target::AwaitingApproval => {
            accept(&mut p, rng, c, real_name, true);
            let method = pick(rng, &[DisposalMethod::Inquiry, DisposalMethod::Verification, DisposalMethod::Close]);
            let reason = request_reason(method, person);
            p.then(
                between(rng, 4.0, 12.0),
                Step::Request { request: Request::Dispose(method), reason, letter_date: None },
            );
            p.tail = Some((0.0, 4.0));
        }
        Target::Inquiry { replied } => {
            accept(&mut p, rng, c, real_name, true);
            dispose(&mut p, rng, DisposalMethod::Inquiry, person, real_name);
            if replied {
                p.then(between(rng, 5.0, 18.0), Step::Reply { note: pick(rng, REPLY_NOTES) });
                p.tail = Some((0.0, 10.0));
            } else {
                p.tail = Some((0.0, 16.0));
            }
        }
        Target::Verification => {
            accept(&mut p, rng, c, real_name, true);
            dispose(&mut p, rng, DisposalMethod::Verification, person, real_name);
            p.tail = Some((3.0, 60.0));
        }
        Target::Held => {
            accept(&mut p, rng, c, real_name, true);
            dispose(&mut p, rng, DisposalMethod::Hold, person, real_name);
        }
        Target::CaseFiled => {
            accept(&mut p, rng, c, real_name, true);
            dispose(&mut p, rng, DisposalMethod::FileCase, person, real_name);
            p.tail = Some((5.0, 90.0));
        }
        Target::Concluded { method, feedback, objection } => {
            accept(&mut p, rng, c, real_name, true);
            dispose(&mut p, rng, method, person, real_name);
            match method {
                DisposalMethod::Inquiry => {
                    p.then(between(rng, 5.0, 18.0), Step::Reply { note: pick(rng, REPLY_NOTES) });
                    conclude(&mut p, rng, (2.0, 8.0), method, person);
                }
                DisposalMethod::Verification => conclude(&mut p, rng, (20.0, 60.0), method, person),
                // An approved close (予以了结) is followed by its conclusion with the result.
                DisposalMethod::Close => conclude(&mut p, rng, (1.0, 5.0), method, person),
                DisposalMethod::Hold | DisposalMethod::FileCase => {
                    conclude(&mut p, rng, (40.0, 120.0), method, person);
                }
            }
            if real_name {
                match feedback {
                    Feedback::Given => {
                        p.then(between(rng, 2.0, 12.0), Step::Feedback { note: pick(rng, FEEDBACK_NOTES) });
                        match objection {
                            Some(true) => {
                                let content = "检举人对办理结果有异议，补充提供了转账记录等新证据，要求重新核查。";
                                p.then(between(rng, 5.0, 20.0), Step::Objection { content, new_evidence: true });
                                p.tail = Some((0.0, 20.0));
                            }
                            Some(false) => {
                                let content = "检举人认为处理过轻，要求重新调查，未提供新的证据。";
                                p.then(between(rng, 5.0, 20.0), Step::Objection { content, new_evidence: false });
                            }
                            None => {}
                        }
                    }
                    Feedback::Due => p.tail = Some((0.0, 18.0)),
                    Feedback::Forgotten => p.tail = Some((40.0, 70.0)),
                }
            }
        }
    }
    p
}

/// Draws what a complaint will have become by today.
fn random_target(rng: &mut StdRng) -> Target {
    let roll = rng.gen_range(0..1000);
    match roll {
        0..40 => Target::Registered,
        40..120 => Target::Accepted { notice: rng.gen_bool(0.6), overdue: false },
        120..150 => Target::ReportedUpward { forwarded: rng.gen_bool(0.75) },
        150..190 => Target::TransferredDownward { forwarded: rng.gen_bool(0.8) },
        190..270 => Target::NotAccepted,
        270..280 => Target::Returned,
        280..310 => Target::AwaitingApproval,
        310..370 => Target::Inquiry { replied: rng.gen_bool(0.4) },
        370..450 => Target::Verification,
        450..500 => Target::Held,
        500..540 => Target::CaseFiled,
        _ => {
            let method = match rng.gen_range(0..100) {
                0..35 => DisposalMethod::Inquiry,
                35..70 => DisposalMethod::Verification,
                70..85 => DisposalMethod::Close,
                85..93 => DisposalMethod::FileCase,
                _ => DisposalMethod::Hold,
            };
            let feedback = match rng.gen_range(0..100) {
                0..85 => Feedback::Given,
                85..96 => Feedback::Due,
                _ => Feedback::Forgotten,
            };
            let objection = match rng.gen_range(0..100) {
                0..3 => Some(true),
                3..7 => Some(false),
                _ => None,
            };
            Target::Concluded { method, feedback, objection }
        }
    }
}

/// Targets the first complaints are given, so that every status and every light is on show
/// whatever the random draws: green (a fresh real-name complaint), yellow (a complaint still to
/// be sent up), red (a forgotten acceptance notice and a forgotten result feedback).
const ANCHORS: &[Target] = &[
    Target::Registered,
    Target::ReportedUpward { forwarded: false },
    Target::Accepted { notice: false, overdue: true },
    Target::Concluded { method: DisposalMethod::Verification, feedback: Feedback::Forgotten, objection: None },
    Target::Concluded { method: DisposalMethod::Inquiry, feedback: Feedback::Due, objection: None },
    Target::Accepted { notice: true, overdue: false },
    Target::TransferredDownward { forwarded: true },
    Target::NotAccepted,
    Target::Inquiry { replied: false },
    Target::Verification,
    Target::Held,
    Target::CaseFiled,
    Target::AwaitingApproval,
    Target::Returned,
    Target::Concluded { method: DisposalMethod::Inquiry, feedback: Feedback::Given, objection: Some(true) },
    Target::Concluded { method: DisposalMethod::Close, feedback: Feedback::Given, objection: None },
];

/// Places a plan in time: its last step `tail` days before `end` (work under way) or anywhere
/// in the office's history (finished work), every step in office hours and never after `end`.
/// Returns the moment of receipt and the timed steps.
fn schedule(
    rng: &mut StdRng,
    cal: &qingfeng_calendar::Calendar,
    plan: Plan,
    end: DateTime<Utc>,
    any_hour: bool,
    earliest: Option<DateTime<Utc>>,
) -> Schedule {
    let total: f64 = plan.steps.iter().map(|(d, _)| *d).sum();
    let history = match earliest {
        Some(e) => ((end - e).num_seconds() as f64 / 86_400.0).max(0.0),
        None => HISTORY_DAYS,
    };
    let age = match plan.tail {
        Some((lo, hi)) => total + between(rng, lo, hi),
        None => total + between(rng, 0.0, (history - total).max(0.0)),
    };
    // A plan longer than the history is squeezed in, keeping the order of its steps.
    let scale = if age > history && age > 0.0 { history / age } else { 1.0 };
    let received = end - days(age.min(history));
    // Letters and visits arrive in office hours; calls to 12388 and web reports at any hour.
    let received = if any_hour { received } else { next_moment(cal, rng, received - days(1.0), received, end) };
    let mut t = received;
    let mut steps = Vec::with_capacity(plan.steps.len());
    for (delay, step) in plan.steps {
        let at = next_moment(cal, rng, t, t + days(delay * scale), end);
        steps.push((at, step));
        t = at;
    }
    fill_letter_dates(&mut steps);
    (received, steps)
}

type Schedule = (DateTime<Utc>, Vec<(DateTime<Utc>, Step)>);

/// Makes up the whole office: cases with their forms and timed histories.
fn plan_office(rng: &mut StdRng, cal: &qingfeng_calendar::Calendar, end: DateTime<Utc>) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::with_capacity(COMPLAINTS);
    for i in 0..COMPLAINTS - REPEATS {
        let target = ANCHORS.get(i).copied().unwrap_or_else(|| random_target(rng));
        let channel = channel(rng);
        // The light anchors need a real-name reporter; otherwise about six in ten are real-name.
        // Visitors nearly always give their names; letters, calls and web reports often do not.
        let real_name = i < 5 || rng.gen_bool(if channel == ComplaintChannel::Visit { 0.9 } else { 0.55 });
        let content = match target {
            Target::ReportedUpward { .. } => upward_complaint(rng),
            Target::TransferredDownward { .. } => cadre_complaint(rng, true),
            Target::NotAccepted if rng.gen_bool(0.7) => outside_complaint(rng),
            _ => cadre_complaint(rng, false),
        };
        let (reporter, verified) = reporter(rng, channel, real_name);
        let plan = plan_for(rng, target, &content, real_name);
        let any_hour = matches!(channel, ComplaintChannel::Web | ComplaintChannel::Phone);
        let timed = schedule(rng, cal, plan, end, any_hour, None);
        cases.push(new_case(channel, reporter, real_name, verified, content, timed, any_hour));
    }
    let originals = cases.len();
    for _ in 0..REPEATS {
        if let Some(case) = plan_repeat(rng, cal, end, &cases[..originals]) {
            cases.push(case);
        }
    }
    cases
}

fn new_case(
    channel: ComplaintChannel,
    reporter: Option<Reporter>,
    real_name: bool,
    verified: Option<String>,
    c: Content,
    (received, steps): Schedule,
    any_hour: bool,
) -> Case {
    Case {
        form: RegisterComplaint {
            channel,
            received_at: received.to_rfc3339(),
            real_name: real_name && reporter.is_some(),
            reporter,
            real_name_verified: verified.filter(|_| real_name),
            summary: c.summary,
            content: c.content,
            categories: c.categories,
            subjects: c.subjects,
            repeat_of: None,
        },
        channel_any_hour: any_hour,
        repeat_of: None,
        link_at_registration: false,
        steps,
        id: None,
        department: None,
        pending: None,
    }
}

/// An inquiry letter goes out on the day its disposal is approved.
fn fill_letter_dates(steps: &mut [(DateTime<Utc>, Step)]) {
    for i in 0..steps.len() {
        let next_day = steps.get(i + 1).map_or_else(|| beijing_date(steps[i].0), |(t, _)| beijing_date(*t));
        if let Step::Request { request: Request::Dispose(DisposalMethod::Inquiry), letter_date, .. } = &mut steps[i].1 {
            *letter_date = Some(next_day.to_string());
        }
    }
}

/// The same reporter writes again about the same person, a while after the first complaint.
fn plan_repeat(
    rng: &mut StdRng,
    cal: &qingfeng_calendar::Calendar,
    end: DateTime<Utc>,
    cases: &[Case],
) -> Option<Case> {
    for _ in 0..20 {
        let i = rng.gen_range(0..cases.len());
        let earlier = &cases[i];
        // The earlier complaint must be about a person and registered well before today.
        let Some((registered, _)) = earlier.steps.first() else { continue };
        if earlier.form.subjects.first().is_none_or(|s| s.name.is_empty()) || *registered > end - Duration::days(20) {
            continue;
        }
        let from = *registered + Duration::days(7);
        let mut plan = Plan::default();
        plan.then(between(rng, 0.01, 0.08), Step::Register);
        plan.then(
            between(rng, 0.5, 2.0),
            Step::Screen {
                outcome: ScreeningOutcome::Repeat,
                department: None,
                reason: "同一问题此前已受理，作重复举报存查。".into(),
                refer_to: None,
            },
        );
        let channel = channel(rng);
        let any_hour = earlier.channel_any_hour;
        let timed = schedule(rng, cal, plan, end, any_hour, Some(from));
        let mut form = earlier.form.clone();
        form.channel = channel;
        form.summary = format!("再次{}", form.summary);
        form.content = format!("反映人此前已反映过该问题，认为至今未见处理结果，现再次反映。{}", form.content);
        let mut case = new_case(
            channel,
            form.reporter.clone(),
            form.real_name,
            form.real_name_verified.clone(),
            Content {
                summary: form.summary,
                content: form.content,
                categories: form.categories,
                subjects: form.subjects,
                person: String::new(),
                serious: false,
            },
            timed,
            any_hour,
        );
        case.repeat_of = Some(i);
        case.link_at_registration = rng.gen_bool(0.3);
        return Some(case);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Running the office.

/// Runs every case's steps in the order they happened, moving the clock to each one.
fn run_office(store: &mut Store, clock: &Clock, cases: &mut [Case], officers: &Officers) -> Result<()> {
    let mut order: Vec<(DateTime<Utc>, usize, usize)> = cases
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| c.steps.iter().enumerate().map(move |(si, (t, _))| (*t, ci, si)))
        .collect();
    order.sort();
    for (t, ci, si) in order {
        advance_to(clock, t);
        let step = cases[ci].steps[si].1.clone();
        let earlier = cases[ci].repeat_of.and_then(|i| cases[i].id.clone());
        run_step(store, &mut cases[ci], step, earlier, officers)?;
    }
    Ok(())
}

fn run_step(store: &mut Store, case: &mut Case, step: Step, earlier: Option<String>, o: &Officers) -> Result<()> {
    let petitions = o.get(Role::Petitions)?;
    let department = |case: &Case| o.get(case.department.unwrap_or(Role::Supervision));
    let today = store.clock().today().to_string();
    match step {
        Step::Register => {
            let mut form = case.form.clone();
            if case.link_at_registration {
                form.repeat_of = earlier.clone();
            }
            case.id = Some(ops::register(store, petitions, &form)?);
        }
        Step::Screen { outcome, department, reason, refer_to } => {
            let id = case_id(case)?;
            let repeat_of = if outcome == ScreeningOutcome::Repeat { earlier } else { None };
            // A repeat whose earlier complaint is missing is kept for reference as not accepted.
            let outcome = if outcome == ScreeningOutcome::Repeat && repeat_of.is_none() {
                ScreeningOutcome::NotAccepted
            } else {
                outcome
            };
            let refer_to = refer_to.or_else(|| {
                (outcome == ScreeningOutcome::NotAccepted).then(|| "告知检举人此前反映的问题正在办理".to_owned())
            });
            ops::screen(store, petitions, &id, &Screening { outcome, department, reason, refer_to, repeat_of })?;
            case.department = department;
        }
        Step::Notify { note } => ops::record_acceptance_notice(store, petitions, &case_id(case)?, &today, note)?,
        Step::Forward { note } => ops::record_forwarded(store, petitions, &case_id(case)?, &today, &note)?,
        Step::Request { request, reason, letter_date } => {
            let action = match request {
                Request::Return => ApprovalAction::Return,
                Request::Dispose(method) => ApprovalAction::Dispose { method, letter_date },
            };
            let id = case_id(case)?;
            let approval = ops::request_approval(store, department(case)?, &id, &action, &reason)?;
            case.pending = Some((approval, request));
        }
        Step::Decide { granted, comment } => {
            if let Some((approval, request)) = case.pending.take() {
                ops::decide_approval(store, o.get(Role::Leader)?, &approval, granted, comment)?;
                if granted && request == Request::Return {
                    case.department = None;
                }
            }
        }
        Step::Reply { note } => ops::record_inquiry_reply(store, department(case)?, &case_id(case)?, &today, note)?,
        Step::Conclude { result, accusation, clearance } => {
            let c = Conclusion { date: today, result, accusation, clearance };
            ops::conclude(store, department(case)?, &case_id(case)?, &c)?;
        }
        Step::Feedback { note } => ops::record_feedback(store, department(case)?, &case_id(case)?, &today, note)?,
        Step::Objection { content, new_evidence } => {
            ops::record_objection(store, petitions, &case_id(case)?, &today, content, new_evidence)?;
        }
        Step::Reveal { by, purpose } => {
            ops::reveal_reporter(store, o.get(by)?, &case_id(case)?, purpose)?;
        }
    }
    Ok(())
}

fn case_id(case: &Case) -> Result<String> {
    case.id.clone().ok_or_else(|| qingfeng_core::CoreError::invalid("演示数据：检举控告尚未登记。"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_are_two_or_three_characters() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..500 {
            let (name, _) = person_name(&mut rng);
            assert!((2..=3).contains(&name.chars().count()), "{name}");
        }
    }

    #[test]
    fn every_plan_starts_with_registration_and_stays_in_order() {
        let mut rng = StdRng::seed_from_u64(2);
        let cal = qingfeng_calendar::Calendar::builtin();
        let end = at_beijing(NaiveDate::from_ymd_opt(2026, 10, 9).unwrap(), 15, 0);
        let cases = plan_office(&mut rng, &cal, end);
        assert_eq!(cases.len(), COMPLAINTS);
        for c in &cases {
            assert!(matches!(c.steps.first(), Some((_, Step::Register))));
            let received = DateTime::parse_from_rfc3339(&c.form.received_at).unwrap().with_timezone(&Utc);
            let mut prev = received;
            for (t, _) in &c.steps {
                assert!(*t >= prev && *t <= end);
                prev = *t;
            }
            assert!(c.form.summary.chars().count() <= 100);
        }
    }
}

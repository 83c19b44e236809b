//! Who is acting, what they ask to do, and whether their roles allow it.
//!
//! Every front end calls the same `authorize`, so the desktop, the command line and (later) the
//! hub give the same answer to the same person.

use serde::Serialize;

use crate::api::RoleGrant;
use crate::error::CoreError;
use crate::identity::Role;

/// The posts that read reporters' identities (DOMAIN.md §2): granting one needs a second person's
/// approval (issue #14), and only they may reveal a reporter.
pub const IDENTITY_ROLES: [Role; 2] = [Role::Petitions, Role::Leader];

/// A logged-in user as the core sees them while executing a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub office_code: String,
    pub grants: Vec<RoleGrant>,
    pub session_id: String,
}

impl Principal {
    /// Whether the user holds `role` in `office`.
    pub fn has(&self, office: &str, role: Role) -> bool {
        self.grants.iter().any(|g| g.office_code == office && g.role == role)
    }
}

/// Who performs a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The program itself: first-run setup and maintenance that no user performs.
    System,
    /// Someone not yet logged in (a login attempt).
    Anonymous,
    User(Principal),
}

impl Actor {
    /// The actor as recorded in events.
    pub fn id(&self) -> &str {
        match self {
            Actor::System => "system",
            Actor::Anonymous => "anonymous",
            Actor::User(p) => &p.user_id,
        }
    }
}

/// Something a command asks to do, checked before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// First-run creation of the office and its administrator.
    SetupOffice,
    /// Logging in or out: open to anyone; the password is the check.
    Authenticate,
    /// Creating accounts, granting and revoking roles, (de)activating accounts.
    ManageUsers { office: String },
    /// Listing the office's accounts.
    ViewUsers { office: String },
    /// Setting a password: one's own, or anyone's for an administrator.
    SetPassword { office: String, target_user_id: String },
    /// Changing office settings (e.g. the lock-out policy).
    ChangeSettings { office: String },
    /// Importing a working-day calendar update.
    ImportCalendar { office: String },
    /// A step in a complaint's handling (DOMAIN.md §2).
    Complaint { office: String, act: ComplaintAct },
    /// A step in penalty execution or in a rectification list (DOMAIN.md §3–§4).
    Penalty { office: String, act: PenaltyAct },
    /// The reference library (资料袋, DOMAIN.md §3).
    Library { office: String, act: LibraryAct },
    /// Notices (DOMAIN.md §6) that no record's own step covers: filled in by hand, the register,
    /// and the templates. A notice issued for a complaint or a penalty is checked as that
    /// record's step instead (see `documents::issue`).
    Notice { office: String, act: NoticeAct },
    /// Publishing the office's sealing keys (the program does it at setup; an administrator may
    /// publish new ones).
    SealingKeys { office: String },
    /// Reading the event log: any post of the office; what each post sees of it is decided by
    /// `log_view`.
    ViewLog { office: String },
    /// Writing a bundle for the hub to a removable disk, or importing the hub's return bundle: the
    /// administrator, since a bundle carries every record the hub has not receipted.
    ExchangeBundle { office: String },
    /// Approving or refusing the grant of a post that reads identities: another administrator or a
    /// leader (`accounts::decide_role_request` checks that it is neither the requester nor the
    /// grantee). Listing such requests is open to the same posts.
    DecideRoleRequest { office: String },
    /// Integrity files and integrity opinions (廉政档案、廉政意见回复).
    Integrity { office: String, act: IntegrityAct },
    /// Supervision letters, reminders and circulars (监督建议、提醒函、监督通报).
    Supervision { office: String, act: SupervisionAct },
    /// Recovery codes, backups and restores (`crate::recovery`): the office's administrator, or
    /// the program itself for scheduled backups and for recording a restore (which happens
    /// before anyone can log in, on the strength of the recovery code).
    Recovery { office: String, act: RecoveryAct },
}

/// What may be done with integrity files and integrity opinions. The files gather every record
/// about a cadre, so they are read by the departments that keep them and by the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrityAct {
    /// Read a cadre's or a unit's file, the unit list and opinion requests (监督检查室、案件监督管理室、
    /// 分管领导); every reading of a file is logged.
    View,
    /// Enter cadres and units, confirm or split the records suggested for a cadre (监督检查室、
    /// 案件监督管理室).
    Keep,
    /// Register an opinion request, write the conclusions, submit them and issue the approved
    /// reply (监督检查室、案件监督管理室).
    Handle,
    /// Approve the conclusions or send them back (分管领导), never the officer who submitted them.
    Approve,
}

/// What may be done with supervision letters and circulars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisionAct {
    /// Read letters, their feedback, circulars and the statistics: every business department.
    View,
    /// Draft and issue letters, record, accept or send back the unit's feedback, remind a late
    /// unit, draft and issue circulars (监督检查室).
    Handle,
}

/// What may be done about a lost key or a lost machine (系统管理员).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryAct {
    /// Make the office's recovery code, or replace it.
    ManageKey,
    /// Make a backup now, or change where and how often backups are made.
    Backup,
    /// Read when the last backups were made and whether a recovery code exists.
    View,
    /// Record that this database was restored (the program, on the strength of the code).
    Restore,
}

/// What may be done with the reference library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibraryAct {
    /// Read and search documents: anyone holding any post in the office, the administrator
    /// included, since the administrator must see what was imported.
    View,
    /// Import a document or a new version of one (系统管理员). Every officer relies on the
    /// library's text as the rule itself, so, as with checklist templates, changing it is kept to
    /// the post that answers for the office's reference data rather than to each department.
    Import,
    /// Cite an article from a record, or withdraw a citation: the business departments and the
    /// leader, who read the records (the administrator reads no case).
    Cite,
}

/// What may be done with notices apart from issuing one for a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAct {
    /// Issue a notice whose fields an officer filled in by hand (no record behind it): any
    /// business department, since rectification notices and letters come from several.
    IssueFree,
    /// Read the register of issued documents and re-print one: every business department.
    View,
    /// Save a new version of a notice template (系统管理员).
    SaveTemplate,
}

/// The steps of penalty execution and rectification checklists. Responsible units are records,
/// not users (DOMAIN.md §1), so an officer of case management acts for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PenaltyAct {
    /// Enter a penalty decision (案件监督管理室 or 案件审理室).
    Register,
    /// Enter a rectification list (监督检查室 or 案件监督管理室).
    RegisterRectification,
    /// Submit an item with its evidence, record a payment or an approved extension, for the
    /// responsible unit (案件监督管理室; 监督检查室 too for rectification lists).
    Submit { rectification: bool },
    /// Approve or reject a submitted item: 案件审理室 (监督检查室 too for rectification lists);
    /// never the officer who submitted it, which the operation checks.
    Review { rectification: bool },
    /// Record an appraisal grade, promotion, award or pay-step change against a person.
    RecordBenefit,
    /// Read decisions, checklists, boards and flags: every business department of the office.
    View,
    /// Publish a new version of a checklist template (系统管理员).
    PublishTemplate,
    /// Give a guidance opinion (指导意见) on an item (案件审理室).
    Guide,
}

/// The steps of complaint handling, each allowed to the posts DOMAIN.md §2 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintAct {
    /// Register a complaint (信访室).
    Register,
    /// Screen it: accept and transfer, repeat, report upward, transfer downward, not accepted.
    Screen,
    /// Record that the reporter was told of acceptance, or that a complaint was forwarded.
    Notify,
    /// Ask a leader to approve a return or a disposal: the handling department.
    RequestApproval { department: Role },
    /// Grant or refuse an approval (分管领导).
    DecideApproval,
    /// Record the inquiry reply, conclude, and feed back the result: the handling department.
    Handle { department: Role },
    /// Record the reporter's objection to the result (信访室).
    RecordObjection,
    /// Read complaints (masked): every department of the office.
    View,
    /// Read a reporter's identity: petitions and the approving leader only; each reading is logged.
    ViewIdentity,
    /// Attach a file (a scanned letter, a recording): petitions, or the handling department.
    Attach { department: Option<Role> },
    /// Ask for supervision (督办) of an office below: petitions or case management.
    Supervise,
    /// Seal a reporter's identity again to offices that could not read it yet (the program does it
    /// after each sync; petitions may ask for it).
    SealIdentity,
    /// Review (accept or send back) the result an office below reported for a complaint this
    /// office assigned or supervised: the posts that ask for either, petitions or case management.
    ReviewResult,
}

impl Action {
    /// The action's Chinese name, for messages and the audit trail.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::SetupOffice => "首次设置",
            Action::Authenticate => "登录",
            Action::ManageUsers { .. } => "管理用户和角色",
            Action::ViewUsers { .. } => "查看用户",
            Action::SetPassword { .. } => "设置密码",
            Action::ChangeSettings { .. } => "修改系统设置",
            Action::ImportCalendar { .. } => "导入工作日历",
            Action::Complaint { act, .. } => match act {
                ComplaintAct::Register => "登记检举控告",
                ComplaintAct::Screen => "筛选检举控告",
                ComplaintAct::Notify => "记录告知或转送",
                ComplaintAct::RequestApproval { .. } => "提请领导审批",
                ComplaintAct::DecideApproval => "审批",
                ComplaintAct::Handle { .. } => "承办（函询回复、办结、结果反馈）",
                ComplaintAct::RecordObjection => "记录检举人反馈意见",
                ComplaintAct::View => "查看检举控告",
                ComplaintAct::ViewIdentity => "查看检举人身份",
                ComplaintAct::Attach { .. } => "添加附件",
                ComplaintAct::Supervise => "提请督办",
                ComplaintAct::SealIdentity => "为上级机关加密检举人身份",
                ComplaintAct::ReviewResult => "审核下级机关上报的办理结果",
            },
            Action::Penalty { act, .. } => match act {
                PenaltyAct::Register => "录入处分决定",
                PenaltyAct::RegisterRectification => "录入整改清单",
                PenaltyAct::Submit { .. } => "提交执行事项",
                PenaltyAct::Review { .. } => "审核执行事项",
                PenaltyAct::RecordBenefit => "登记考核、晋升、评优或工资档次",
                PenaltyAct::View => "查看处分执行和整改清单",
                PenaltyAct::PublishTemplate => "发布清单模板",
                PenaltyAct::Guide => "提出指导意见",
            },
            Action::Library { act, .. } => match act {
                LibraryAct::View => "查阅资料袋",
                LibraryAct::Import => "向资料袋导入文件",
                LibraryAct::Cite => "引用条款",
            },
            Action::Notice { act, .. } => match act {
                NoticeAct::IssueFree => "签发文书",
                NoticeAct::View => "查看发文登记",
                NoticeAct::SaveTemplate => "保存文书模板",
            },
            Action::Integrity { act, .. } => match act {
                IntegrityAct::View => "查阅廉政档案",
                IntegrityAct::Keep => "维护廉政档案",
                IntegrityAct::Handle => "办理廉政意见回复",
                IntegrityAct::Approve => "审批廉政意见回复",
            },
            Action::Supervision { act, .. } => match act {
                SupervisionAct::View => "查看监督建议和通报",
                SupervisionAct::Handle => "办理监督建议和通报",
            },
            Action::SealingKeys { .. } => "公布身份加密公钥",
            Action::ViewLog { .. } => "查看事件日志",
            Action::ExchangeBundle { .. } => "导出或导入同步包",
            Action::DecideRoleRequest { .. } => "审批查看检举人身份岗位的授权",
            Action::Recovery { act, .. } => match act {
                RecoveryAct::ManageKey => "生成或更换恢复码",
                RecoveryAct::Backup => "备份数据",
                RecoveryAct::View => "查看备份与恢复状态",
                RecoveryAct::Restore => "恢复数据",
            },
        }
    }
}

/// Decides whether `actor` may perform `action`. A refusal says what would be needed.
pub fn authorize(actor: &Actor, action: &Action) -> Result<(), CoreError> {
    let forbidden = |needed: &str| CoreError::Forbidden { action: action.describe().into(), needed: needed.into() };
    match (action, actor) {
        (Action::SetupOffice, Actor::System) => Ok(()),
        (Action::SetupOffice, _) => Err(forbidden("由程序在首次运行时完成")),
        (Action::Authenticate, _) => Ok(()),
        (_, Actor::System) => Ok(()),
        (_, Actor::Anonymous) => Err(CoreError::NoSession),
        (Action::Complaint { office, act }, Actor::User(p)) => {
            let any = |roles: &[Role]| roles.iter().any(|r| p.has(office, *r));
            let (ok, needed) = match act {
                ComplaintAct::Register
                | ComplaintAct::Screen
                | ComplaintAct::Notify
                | ComplaintAct::RecordObjection => (any(&[Role::Petitions]), "“信访室”角色".to_owned()),
                ComplaintAct::RequestApproval { department } | ComplaintAct::Handle { department } => {
                    (any(&[*department]), format!("承办部门“{}”的角色", department.label()))
                }
                ComplaintAct::DecideApproval => (any(&[Role::Leader]), "“分管领导”角色".to_owned()),
                ComplaintAct::View => (any(&Role::BUSINESS), "本机关任一业务部门的角色".to_owned()),
                ComplaintAct::ViewIdentity => (any(&IDENTITY_ROLES), "“信访室”或“分管领导”角色".to_owned()),
                ComplaintAct::Attach { department } => {
                    let mut roles = vec![Role::Petitions];
                    roles.extend(*department);
                    (any(&roles), "“信访室”或承办部门的角色".to_owned())
                }
                ComplaintAct::Supervise | ComplaintAct::ReviewResult => {
                    (any(&[Role::Petitions, Role::CaseManagement]), "“信访室”或“案件监督管理室”角色".to_owned())
                }
                ComplaintAct::SealIdentity => (any(&[Role::Petitions]), "“信访室”角色".to_owned()),
            };
            if ok { Ok(()) } else { Err(forbidden(&needed)) }
        }
        (Action::Penalty { office, act }, Actor::User(p)) => {
            let any = |roles: &[Role]| roles.iter().any(|r| p.has(office, *r));
            let (ok, needed) = match act {
                PenaltyAct::Register => {
                    (any(&[Role::CaseManagement, Role::Trial]), "“案件监督管理室”或“案件审理室”角色")
                }
                PenaltyAct::RegisterRectification => {
                    (any(&[Role::Supervision, Role::CaseManagement]), "“监督检查室”或“案件监督管理室”角色")
                }
                PenaltyAct::Submit { rectification: false } | PenaltyAct::RecordBenefit => {
                    (any(&[Role::CaseManagement]), "“案件监督管理室”角色")
                }
                PenaltyAct::Submit { rectification: true } => {
                    (any(&[Role::CaseManagement, Role::Supervision]), "“案件监督管理室”或“监督检查室”角色")
                }
                PenaltyAct::Review { rectification: false } => (any(&[Role::Trial]), "“案件审理室”角色"),
                PenaltyAct::Review { rectification: true } => {
                    (any(&[Role::Trial, Role::Supervision]), "“案件审理室”或“监督检查室”角色")
                }
                PenaltyAct::View => (any(&Role::BUSINESS), "本机关任一业务部门的角色"),
                PenaltyAct::PublishTemplate => (any(&[Role::Admin]), "本机关的“系统管理员”角色"),
                PenaltyAct::Guide => (any(&[Role::Trial]), "“案件审理室”角色"),
            };
            if ok { Ok(()) } else { Err(forbidden(needed)) }
        }
        (Action::Library { office, act }, Actor::User(p)) => {
            let any = |roles: &[Role]| roles.iter().any(|r| p.has(office, *r));
            let (ok, needed) = match act {
                LibraryAct::View => (any(&Role::ALL), "本机关的任一角色"),
                LibraryAct::Import => (any(&[Role::Admin]), "本机关的“系统管理员”角色"),
                LibraryAct::Cite => (any(&Role::BUSINESS), "本机关任一业务部门的角色"),
            };
            if ok { Ok(()) } else { Err(forbidden(needed)) }
        }
        (Action::Notice { office, act }, Actor::User(p)) => {
            let (ok, needed) = match act {
                NoticeAct::IssueFree | NoticeAct::View => {
                    (Role::BUSINESS.iter().any(|r| p.has(office, *r)), "本机关任一业务部门的角色")
                }
                NoticeAct::SaveTemplate => (p.has(office, Role::Admin), "本机关的“系统管理员”角色"),
            };
            if ok { Ok(()) } else { Err(forbidden(needed)) }
        }
        (Action::Integrity { office, act }, Actor::User(p)) => {
            let any = |roles: &[Role]| roles.iter().any(|r| p.has(office, *r));
            let (ok, needed) = match act {
                IntegrityAct::View => (
                    any(&[Role::Supervision, Role::CaseManagement, Role::Leader]),
                    "“监督检查室”“案件监督管理室”或“分管领导”角色",
                ),
                IntegrityAct::Keep | IntegrityAct::Handle => {
                    (any(&[Role::Supervision, Role::CaseManagement]), "“监督检查室”或“案件监督管理室”角色")
                }
                IntegrityAct::Approve => (any(&[Role::Leader]), "“分管领导”角色"),
            };
            if ok { Ok(()) } else { Err(forbidden(needed)) }
        }
        (Action::Supervision { office, act }, Actor::User(p)) => {
            let any = |roles: &[Role]| roles.iter().any(|r| p.has(office, *r));
            let (ok, needed) = match act {
                SupervisionAct::View => (any(&Role::BUSINESS), "本机关任一业务部门的角色"),
                SupervisionAct::Handle => (any(&[Role::Supervision]), "“监督检查室”角色"),
            };
            if ok { Ok(()) } else { Err(forbidden(needed)) }
        }
        (Action::DecideRoleRequest { office }, Actor::User(p)) => {
            if p.has(office, Role::Admin) || p.has(office, Role::Leader) {
                Ok(())
            } else {
                Err(forbidden("本机关的“系统管理员”或“分管领导”角色"))
            }
        }
        (Action::ViewLog { office }, Actor::User(p)) => {
            if Role::ALL.iter().any(|r| p.has(office, *r)) {
                Ok(())
            } else {
                Err(forbidden("本机关的任一角色"))
            }
        }
        (Action::ManageUsers { office }, Actor::User(p))
        | (Action::SealingKeys { office }, Actor::User(p))
        | (Action::ExchangeBundle { office }, Actor::User(p))
        | (Action::ViewUsers { office }, Actor::User(p))
        | (Action::ChangeSettings { office }, Actor::User(p))
        | (Action::ImportCalendar { office }, Actor::User(p))
        | (Action::Recovery { office, .. }, Actor::User(p)) => {
            if p.has(office, Role::Admin) {
                Ok(())
            } else {
                Err(forbidden("本机关的“系统管理员”角色"))
            }
        }
        (Action::SetPassword { office, target_user_id }, Actor::User(p)) => {
            if &p.user_id == target_user_id || p.has(office, Role::Admin) {
                Ok(())
            } else {
                Err(forbidden("本人账号，或本机关的“系统管理员”角色"))
            }
        }
    }
}

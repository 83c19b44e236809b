//! The vocabulary of importing an older platform's records: the kinds of file, the fields each
//! kind fills, column mappings, the payloads of the import's events, and the report a dry run or
//! an import gives.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MigrationKind {
    /// 检举控告 with the state the older platform recorded.
    Complaints,
    /// 处分决定 with the state of their execution items.
    Penalties,
    /// 整改清单, one row per problem, with the state of each.
    Rectifications,
}

impl MigrationKind {
    pub const ALL: [MigrationKind; 3] =
        [MigrationKind::Complaints, MigrationKind::Penalties, MigrationKind::Rectifications];

    pub fn as_str(self) -> &'static str {
        match self {
            MigrationKind::Complaints => "complaints",
            MigrationKind::Penalties => "penalties",
            MigrationKind::Rectifications => "rectifications",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MigrationKind::Complaints => "检举控告",
            MigrationKind::Penalties => "处分决定",
            MigrationKind::Rectifications => "整改清单",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s || k.label() == s).ok_or_else(|| {
            CoreError::invalid(format!(
                "不认识的导入类别“{s}”：目前可导入 complaints（检举控告）、penalties（处分决定）或 rectifications（整改清单）。"
            ))
        })
    }
}

/// A field an import fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldSpec {
    /// A stable key (what mappings store).
    pub key: String,
    /// The field's name on screen.
    pub label: String,
    pub required: bool,
    /// What the cells may hold, for the mapping screen.
    pub hint: String,
}

/// The fields of one kind: (key, label, required, headers older platforms use, hint).
type FieldRow = (&'static str, &'static str, bool, &'static [&'static str], &'static str);

const COMPLAINT_FIELDS: &[FieldRow] = &[
    (
        "original_number",
        "原编号",
        true,
        &["原编号", "编号", "信访编号", "件号", "登记编号", "受理编号"],
        "原平台的编号，用于查重和追溯",
    ),
    (
        "received_date",
        "收到日期",
        true,
        &["收到日期", "收件日期", "来信日期", "受理日期", "登记日期", "来信来访日期"],
        "日期，如 2023-01-05、2023年1月5日",
    ),
    ("channel", "渠道", true, &["渠道", "来源", "来源渠道", "信访方式", "反映方式"], "来信、来访、来电（12388）或网络"),
    ("reporter_name", "检举人", false, &["检举人", "举报人", "反映人", "信访人", "检举控告人"], "空白表示匿名"),
    ("reporter_contact", "联系方式", false, &["联系方式", "联系电话", "电话", "检举人联系方式"], "实名检举必填"),
    ("real_name", "是否实名", false, &["是否实名", "实名", "实名举报"], "是 / 否，空白为否"),
    ("summary", "摘要", true, &["摘要", "事由", "标题", "反映问题摘要", "主要问题"], "不超过 100 个字"),
    ("content", "内容", false, &["内容", "反映内容", "主要内容", "问题描述", "具体内容"], "空白时以摘要为内容"),
    ("categories", "问题类别", false, &["问题类别", "问题类型", "类别", "问题性质"], "多个用顿号隔开"),
    (
        "subject_name",
        "被反映人",
        false,
        &["被反映人", "被举报人", "被反映人姓名", "被检举人"],
        "被反映人和被反映单位至少填一项",
    ),
    ("subject_unit", "被反映单位", false, &["被反映单位", "单位", "工作单位", "被反映人单位", "所在单位"], ""),
    ("subject_post", "职务", false, &["职务", "被反映人职务"], ""),
    ("subject_level", "干部层级", false, &["干部层级", "级别", "管理层级", "干部管理权限"], "如 县管干部"),
    (
        "status",
        "办理状态",
        true,
        &["办理状态", "状态", "处理状态", "办理情况", "办理进度"],
        "待筛选、已受理、谈话函询、初步核实、暂存待查、立案审查调查、已办结、重复举报、不予受理",
    ),
    (
        "department",
        "承办部门",
        false,
        &["承办部门", "承办单位", "办理部门", "承办室"],
        "监督检查室或审查调查室，空白为监督检查室",
    ),
    ("acceptance_notified_date", "受理告知日期", false, &["受理告知日期", "告知日期"], "实名检举告知受理的日期"),
    ("concluded_date", "办结日期", false, &["办结日期", "办结时间", "结案日期"], "已办结的必填"),
    ("result", "办理结果", false, &["办理结果", "处理结果", "办结情况", "处理意见"], "已办结的必填"),
    ("feedback_date", "反馈日期", false, &["反馈日期", "结果反馈日期", "反馈时间"], "实名检举反馈办理结果的日期"),
];

/// A penalty decision, one row each, keyed on its document number; each execution item has a
/// column holding the state the older platform shows for it (blank when it has none).
const PENALTY_FIELDS: &[FieldRow] = &[
    (
        "original_number",
        "处分决定文号",
        true,
        &["处分决定文号", "决定文号", "文号", "处分文号", "决定书文号"],
        "原平台的决定文号，用于查重和追溯",
    ),
    ("person_name", "受处分人", true, &["受处分人", "姓名", "受处分人姓名", "被处分人"], ""),
    ("person_unit", "受处分人单位", true, &["受处分人单位", "单位", "工作单位", "所在单位"], ""),
    ("person_post", "职务", false, &["职务", "受处分人职务"], ""),
    ("person_rank", "职级", false, &["职级", "级别", "干部层级"], ""),
    ("party_member", "是否党员", false, &["是否党员", "党员", "政治面貌"], "是 / 否，空白时有党纪处分即为党员"),
    (
        "party_penalty",
        "党纪处分",
        false,
        &["党纪处分", "党纪处分种类", "党纪处分类别"],
        "党内警告、党内严重警告、撤销党内职务、留党察看、开除党籍",
    ),
    ("probation_years", "留党察看期限", false, &["留党察看期限", "察看期限", "察看年限"], "1 或 2（年）"),
    (
        "government_sanction",
        "政务处分",
        false,
        &["政务处分", "政务处分种类", "政务处分类别", "政纪处分"],
        "警告、记过、记大过、降级、撤职、开除",
    ),
    ("decision_date", "决定日期", true, &["决定日期", "处分决定日期", "处分日期", "作出决定日期"], "日期"),
    ("approval_date", "批准日期", false, &["批准日期", "审批日期"], "须经批准的处分填写"),
    ("deciding_body", "作出决定的机关", true, &["作出决定的机关", "决定机关", "处分机关"], ""),
    ("responsible_units", "执行单位", true, &["执行单位", "主体责任部门", "执行部门", "承办单位"], "多个用顿号隔开"),
    ("confiscate", "收缴金额", false, &["收缴金额", "收缴违纪所得", "收缴金额（元）"], "元"),
    ("repay", "退赔金额", false, &["退赔金额", "责令退赔", "退赔金额（元）"], "元"),
    ("organisational_handling", "组织处理", false, &["组织处理", "组织处理措施"], ""),
    ("item_serve", "送达", false, &["送达", "送达情况", "送达处分决定"], ITEM_HINT),
    ("item_announce", "宣布", false, &["宣布", "宣布情况", "宣布处分决定"], ITEM_HINT),
    ("item_archive", "归档", false, &["归档", "归档情况", "材料归档"], ITEM_HINT),
    ("item_adjust_post_pay", "调整职务待遇", false, &["调整职务待遇", "调整待遇", "调整职务、职级、工资"], ITEM_HINT),
    ("item_appraisal", "年度考核", false, &["年度考核", "考核等次"], ITEM_HINT),
    ("item_recover_money", "收缴退赔", false, &["收缴退赔", "收缴退赔情况", "收缴情况"], ITEM_HINT),
    ("item_three_letters", "三书", false, &["三书", "落实三书"], ITEM_HINT),
    ("item_organisational_handling", "落实组织处理", false, &["落实组织处理", "组织处理落实"], ITEM_HINT),
    ("item_notify_bodies", "函告", false, &["函告", "函告情况"], ITEM_HINT),
    ("item_follow_up_visit", "回访", false, &["回访", "教育回访", "回访情况"], ITEM_HINT),
    ("item_restore", "期满解除", false, &["期满解除", "解除处分", "影响期满"], ITEM_HINT),
];

/// A rectification list spans the rows that share its original number, one row per problem.
const RECTIFICATION_FIELDS: &[FieldRow] = &[
    (
        "original_number",
        "清单原编号",
        true,
        &["清单原编号", "清单编号", "原编号", "编号", "整改清单编号"],
        "同一清单的各行编号相同、连在一起",
    ),
    ("title", "清单名称", true, &["清单名称", "整改清单名称", "清单标题", "名称"], ""),
    ("source", "问题来源", true, &["问题来源", "来源", "发现途径"], "巡察、审计、专项监督或“两个责任”考核"),
    ("start_date", "交办日期", true, &["交办日期", "反馈日期", "移交日期"], "日期"),
    ("item_title", "问题", true, &["问题", "存在问题", "问题描述", "具体问题"], "每行一个问题"),
    ("responsible_unit", "责任单位", true, &["责任单位", "整改责任单位", "整改单位"], ""),
    ("due_date", "完成期限", true, &["完成期限", "整改时限", "整改期限", "完成时限"], "日期"),
    ("measures", "整改措施", false, &["整改措施", "措施"], ""),
    ("state", "整改状态", false, &["整改状态", "整改情况", "完成情况", "状态"], ITEM_HINT),
];

/// What an execution item's cell may hold.
const ITEM_HINT: &str = "已完成 2023-03-05、待审核 2023-03-05、未完成或不适用";

fn rows(kind: MigrationKind) -> &'static [FieldRow] {
    match kind {
        MigrationKind::Complaints => COMPLAINT_FIELDS,
        MigrationKind::Penalties => PENALTY_FIELDS,
        MigrationKind::Rectifications => RECTIFICATION_FIELDS,
    }
}

/// The fields of a kind, in the order screens list them.
pub fn fields(kind: MigrationKind) -> Vec<FieldSpec> {
    rows(kind)
        .iter()
        .map(|(key, label, required, _, hint)| FieldSpec {
            key: (*key).to_owned(),
            label: (*label).to_owned(),
            required: *required,
            hint: (*hint).to_owned(),
        })
        .collect()
}

/// The label of field `key` of a kind, if it has one.
pub(crate) fn field_label(kind: MigrationKind, key: &str) -> Option<&'static str> {
    rows(kind).iter().find(|r| r.0 == key).map(|r| r.1)
}

/// A mapping matching `headers` to the fields of `kind` by the names older platforms use: each
/// field takes the first header equal to its label or one of its usual names (spaces and
/// full-width characters ignored), and no header fills two fields.
pub fn suggest(kind: MigrationKind, name: &str, headers: &[String]) -> Mapping {
    let norm = |s: &str| -> String {
        super::values::halfwidth(s).chars().filter(|c| !c.is_whitespace() && !matches!(c, '*' | '：' | ':')).collect()
    };
    let normalized: Vec<String> = headers.iter().map(|h| norm(h)).collect();
    let mut taken = vec![false; headers.len()];
    let mut columns = Vec::new();
    for (key, label, _, synonyms, _) in rows(kind) {
        let wanted: Vec<String> = std::iter::once(*label).chain(synonyms.iter().copied()).map(norm).collect();
        let found = wanted.iter().find_map(|w| (0..headers.len()).find(|&i| !taken[i] && &normalized[i] == w));
        if let Some(i) = found {
            taken[i] = true;
            columns.push(ColumnMap { field: (*key).to_owned(), header: headers[i].clone() });
        }
    }
    Mapping { kind, name: name.to_owned(), columns }
}

/// Which column of the file fills one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnMap {
    pub field: String,
    /// The column's header as the file writes it.
    pub header: String,
}

/// A column mapping: for one kind of file, the header of the column each field comes from.
/// Saved under a name, it is used again for every export of the same older platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Mapping {
    pub kind: MigrationKind,
    /// The name it is saved under, e.g. 原信访平台导出表.
    pub name: String,
    pub columns: Vec<ColumnMap>,
}

impl Mapping {
    /// The header mapped to `field`, if any.
    pub fn header(&self, field: &str) -> Option<&str> {
        self.columns.iter().find(|c| c.field == field).map(|c| c.header.as_str())
    }
}

/// Payload of `import.mapping_saved`: saving a name again replaces it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MappingSaved {
    pub office_code: String,
    pub mapping: Mapping,
}

/// The state the older platform had reached for a complaint, as the import reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintHistory {
    /// `ComplaintStatus::as_str` of the state reached.
    pub status: String,
    /// The handling department (`Role::as_str`), once past screening.
    pub department: Option<String>,
    /// The disposal method (`DisposalMethod::as_str`) the state implies, if any.
    pub disposal: Option<String>,
    /// The date screening was done (the receipt date when the file has none).
    pub screened_date: Option<String>,
    pub acceptance_notified_date: Option<String>,
    pub concluded_date: Option<String>,
    pub result: Option<String>,
    pub feedback_date: Option<String>,
}

/// Payload of `import.record_migrated`, on the record's own aggregate right after its
/// registration: the mark a migrated record carries, and the history it brings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMigrated {
    pub office_code: String,
    pub kind: MigrationKind,
    /// The import that brought it (`import:<batch_id>`).
    pub batch_id: String,
    /// Its number in the older platform, kept for tracing and for recognising it on a re-run.
    pub original_number: String,
    /// The row of the file it came from.
    pub row: u32,
    /// SHA-256 of the row's mapped cells, to tell a re-run of the same row from a changed one.
    pub row_sha256: String,
    /// For a complaint: the state it had reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintHistory>,
}

/// Payload of `import.completed` (`import:<batch_id>`), appended after the records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportCompleted {
    pub batch_id: String,
    pub office_code: String,
    pub kind: MigrationKind,
    pub file_name: String,
    pub file_sha256: String,
    pub mapping: Mapping,
    /// Data rows read.
    pub rows: u32,
    /// Records entered.
    pub imported: u32,
    /// Records the office already held from an earlier import (left as they were).
    pub skipped: u32,
    /// The business date of the import.
    pub date: String,
}

/// One bad row: its number as the spreadsheet shows it, the column, and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowProblem {
    pub row: u32,
    /// The column's header, when one column is at fault.
    pub column: Option<String>,
    pub reason: String,
}

impl RowProblem {
    /// The problem as one line: 第 12 行（收到日期）：……
    pub fn line(&self) -> String {
        match &self.column {
            Some(c) => format!("第 {} 行（{c}）：{}", self.row, self.reason),
            None => format!("第 {} 行：{}", self.row, self.reason),
        }
    }
}

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MigrationOutcome {
    /// A dry run: every row checked, nothing written.
    DryRun,
    /// Every new record entered, in one transaction.
    Imported,
    /// Every record was already held: nothing to enter, nothing written.
    NothingNew,
    /// Some rows are bad: nothing was entered.
    Refused,
}

/// What a dry run or an import found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MigrationReport {
    pub outcome: MigrationOutcome,
    pub kind: MigrationKind,
    pub file_name: String,
    /// The header row's number and the headers found in it.
    pub header_row: u32,
    pub headers: Vec<String>,
    /// Data rows read.
    pub rows: u32,
    /// Records that are new and valid (entered, when the outcome is `Imported`).
    pub new_records: u32,
    /// Records already held from an earlier import, left as they were.
    pub already_imported: u32,
    /// Of those, how many differ from what was imported then (the older platform changed them).
    pub changed_since: u32,
    /// Bad rows, the first [`MAX_PROBLEMS`] of them.
    pub problems: Vec<RowProblem>,
    /// How many bad rows there are in all.
    pub problem_count: u32,
    /// The import's id, when records were entered.
    pub batch_id: Option<String>,
}

impl MigrationReport {
    /// The report as lines of Chinese text (the CLI prints them; the screen shows the same).
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{}：文件“{}”共 {} 行数据，新记录 {} 条，已导入过 {} 条{}，有问题的行 {} 行。",
            match self.outcome {
                MigrationOutcome::DryRun => "试运行（未写入）",
                MigrationOutcome::Imported => "导入完成",
                MigrationOutcome::NothingNew => "没有新记录（未写入）",
                MigrationOutcome::Refused => "未导入（文件有问题，一条也没有写入）",
            },
            self.file_name,
            self.rows,
            self.new_records,
            self.already_imported,
            if self.changed_since > 0 {
                format!("（其中 {} 条与上次导入时不同，保持原样）", self.changed_since)
            } else {
                String::new()
            },
            self.problem_count,
        )];
        out.extend(self.problems.iter().map(RowProblem::line));
        if self.problem_count as usize > self.problems.len() {
            out.push(format!("……另有 {} 行有问题未列出。", self.problem_count as usize - self.problems.len()));
        }
        out
    }
}

/// How many bad rows a report lists one by one (the count covers all of them).
pub const MAX_PROBLEMS: usize = 1_000;

/// The first rows of a file, for choosing a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FilePreview {
    pub file_name: String,
    pub header_row: u32,
    pub headers: Vec<String>,
    /// Up to five data rows as text.
    pub sample: Vec<Vec<String>>,
    /// A mapping matching the headers to fields by the names older platforms use.
    pub suggested: Mapping,
    /// The fields of the kind, for the mapping screen.
    pub fields: Vec<FieldSpec>,
}

/// A past import as screens list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchView {
    pub batch_id: String,
    pub kind: MigrationKind,
    pub file_name: String,
    pub mapping_name: String,
    pub rows: u32,
    pub imported: u32,
    pub skipped: u32,
    pub date: String,
}

/// Where a slow import is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MigrationPhase {
    /// Checking every row.
    Checking,
    /// Entering the records.
    Writing,
}

/// Limits checked where a file enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read, in bytes.
    pub max_bytes: u64,
    /// The most data rows in one file.
    pub max_rows: u32,
}

impl Default for Limits {
    fn default() -> Self {
        // An office's whole history (tens of thousands of records, seed 002) fits several times
        // over; a file beyond these is not an export of one office's records.
        Limits { max_bytes: 200 * 1024 * 1024, max_rows: 300_000 }
    }
}

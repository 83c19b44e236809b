//! One row of an older platform's complaint register read as a registration form and the state
//! the older platform had reached. The form passes the same checks as one entered by hand
//! (`complaints::ops::validate_form`); every refusal is a reason in Chinese for the row's report.

use chrono::{DateTime, NaiveDate, Utc};

use super::Row;
use super::model::{ComplaintHistory, RowProblem};
use super::values;
use crate::complaints::model::{
    ComplaintChannel, ComplaintStatus, DisposalMethod, RegisterComplaint, Reporter, Subject,
};
use crate::error::CoreError;
use crate::identity::Role;

/// A checked complaint row.
pub(crate) struct ComplaintRecord {
    /// The form, already checked and cleaned.
    pub form: RegisterComplaint,
    pub received: DateTime<Utc>,
    pub history: ComplaintHistory,
}

/// The longest original number kept.
const MAX_NUMBER_CHARS: usize = 64;
/// The longest result text kept.
const MAX_RESULT_CHARS: usize = 2_000;

fn channel(cell: &super::sheet::Cell) -> Result<ComplaintChannel, String> {
    let t = values::halfwidth(&values::text(cell)).trim().to_owned();
    Ok(match t.as_str() {
        "来信" | "信件" | "写信" | "来信举报" | "信访件" => ComplaintChannel::Letter,
        "来访" | "走访" | "来访举报" | "当面" => ComplaintChannel::Visit,
        "来电" | "电话" | "12388" | "来电举报" | "12388电话" => ComplaintChannel::Phone,
        "网络" | "网上" | "网络举报" | "网站" | "12388网站" | "微信" | "邮件" => ComplaintChannel::Web,
        "" => return Err("缺少渠道。请填写来信、来访、来电或网络。".into()),
        other => return Err(format!("不认识的渠道“{other}”：可填来信、来访、来电（12388）或网络。")),
    })
}

/// The state a status word names, with the disposal it implies.
fn status(cell: &super::sheet::Cell) -> Result<(ComplaintStatus, Option<DisposalMethod>), String> {
    use ComplaintStatus as S;
    let t = values::halfwidth(&values::text(cell)).trim().to_owned();
    Ok(match t.as_str() {
        "待筛选" | "已登记" | "待处理" => (S::Registered, None),
        "已受理" | "办理中" | "已移送承办部门" | "承办中" => (S::WithDepartment, None),
        "谈话函询" | "函询" => (S::Inquiry, Some(DisposalMethod::Inquiry)),
        "初步核实" | "初核" => (S::Verification, Some(DisposalMethod::Verification)),
        "暂存待查" | "暂存" => (S::Held, Some(DisposalMethod::Hold)),
        "立案审查调查" | "立案" | "已立案" => (S::CaseFiled, Some(DisposalMethod::FileCase)),
        "已办结" | "办结" | "已结" | "了结" | "予以了结" => (S::Concluded, None),
        "重复举报" | "重复件" | "重复" => (S::Repeat, None),
        "不予受理" => (S::NotAccepted, None),
        "已向上报送" | "已向下转送" | "已转办" | "已交办" => {
            return Err(format!("状态“{t}”的件已交给其他机关办理，应由办理它的机关导入；请从本文件中删去这一行。"));
        }
        "" => return Err("缺少办理状态。".into()),
        other => {
            return Err(format!(
                "不认识的办理状态“{other}”：可填待筛选、已受理、谈话函询、初步核实、暂存待查、立案审查调查、已办结、重复举报或不予受理。"
            ));
        }
    })
}

fn department(cell: &super::sheet::Cell) -> Result<Option<Role>, String> {
    let t = values::halfwidth(&values::text(cell)).trim().to_owned();
    Ok(match t.as_str() {
        "" => None,
        "监督检查室" | "监督检查" | "党风政风监督室" => Some(Role::Supervision),
        "审查调查室" | "审查调查" => Some(Role::Investigation),
        other => return Err(format!("不认识的承办部门“{other}”：可填监督检查室或审查调查室。")),
    })
}

/// Reads and checks one row; all its problems at once.
pub(crate) fn parse(row: &Row<'_>, now: DateTime<Utc>) -> Result<ComplaintRecord, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let today = now.with_timezone(&crate::clock::business_zone()).date_naive();
    let mut bad = |field: &str, reason: String| problems.push(row.problem(field, reason));

    let number = values::code(row.cell("original_number"));
    if number.is_empty() {
        bad("original_number", "缺少原编号：它用来识别已导入的记录，不能空白。".into());
    } else if number.chars().count() > MAX_NUMBER_CHARS {
        bad("original_number", format!("原编号超过 {MAX_NUMBER_CHARS} 个字符。"));
    }
    let date_of = |field: &str, required: bool, bad: &mut dyn FnMut(&str, String)| -> Option<NaiveDate> {
        let cell = row.cell(field);
        if values::is_blank(cell) {
            if required {
                bad(field, "缺少日期。".into());
            }
            return None;
        }
        match values::date(cell) {
            Ok(d) if d > today => {
                bad(field, format!("日期 {d} 晚于今天，原平台的记录不会有将来的日期，请核对。"));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                bad(field, e);
                None
            }
        }
    };
    let received = date_of("received_date", true, &mut bad);
    let notified = date_of("acceptance_notified_date", false, &mut bad);
    let concluded = date_of("concluded_date", false, &mut bad);
    let feedback = date_of("feedback_date", false, &mut bad);
    let channel = channel(row.cell("channel")).map_err(|e| bad("channel", e)).ok();
    let state = status(row.cell("status")).map_err(|e| bad("status", e)).ok();
    let dept = department(row.cell("department")).map_err(|e| bad("department", e)).ok().flatten();
    let real_name = match values::yes_no(row.cell("real_name")) {
        Ok(v) => v.unwrap_or(false),
        Err(e) => {
            bad("real_name", e);
            false
        }
    };
    let result = values::text(row.cell("result"));
    if result.chars().count() > MAX_RESULT_CHARS {
        bad("result", format!("办理结果超过 {MAX_RESULT_CHARS} 个字。"));
    }
    if let (Some(r), Some((s, _))) = (received, state) {
        for (field, d) in
            [("acceptance_notified_date", notified), ("concluded_date", concluded), ("feedback_date", feedback)]
        {
            if let Some(d) = d
                && d < r
            {
                bad(field, format!("日期 {d} 早于收到日期 {r}，请核对。"));
            }
        }
        if s == ComplaintStatus::Concluded {
            if concluded.is_none() && values::is_blank(row.cell("concluded_date")) {
                bad("concluded_date", "已办结的件须填写办结日期。".into());
            }
            if result.is_empty() {
                bad("result", "已办结的件须填写办理结果。".into());
            }
        } else if concluded.is_some() {
            bad("concluded_date", format!("办理状态为“{}”，却填了办结日期；请核对状态或删去办结日期。", s.label()));
        }
        if feedback.is_some() && s != ComplaintStatus::Concluded {
            bad("feedback_date", "只有已办结的件才有结果反馈日期。".into());
        }
    }

    let name = values::text(row.cell("reporter_name"));
    let contact = values::halfwidth(&values::text(row.cell("reporter_contact"))).trim().to_owned();
    let reporter =
        (!name.is_empty() || !contact.is_empty()).then_some(Reporter { name, unit: None, contact, address: None });
    let summary = values::text(row.cell("summary"));
    let content = match values::text(row.cell("content")) {
        c if c.is_empty() => summary.clone(),
        c => c,
    };
    let subject = Subject {
        name: values::text(row.cell("subject_name")),
        post: values::text(row.cell("subject_post")),
        unit: values::text(row.cell("subject_unit")),
        level: values::text(row.cell("subject_level")),
    };
    let subjects = if subject.name.is_empty() && subject.unit.is_empty() { Vec::new() } else { vec![subject] };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(received), Some(channel), Some((status, disposal))) = (received, channel, state) else {
        return Err(vec![row.problem("original_number", "这一行缺少必填内容。")]);
    };
    let form = RegisterComplaint {
        channel,
        received_at: received.to_string(),
        reporter,
        real_name,
        real_name_verified: None,
        summary,
        content,
        categories: values::list(row.cell("categories")),
        subjects,
        repeat_of: None,
    };
    // The same checks a form entered by hand passes; their messages name the field.
    let (form, received_at) = match crate::complaints::ops::validate_form(&form, now) {
        Ok(checked) => checked,
        Err(CoreError::Invalid(m)) => return Err(vec![RowProblem { row: row.number, column: None, reason: m }]),
        Err(other) => return Err(vec![RowProblem { row: row.number, column: None, reason: other.to_string() }]),
    };
    let past_screening =
        !matches!(status, ComplaintStatus::Registered | ComplaintStatus::Repeat | ComplaintStatus::NotAccepted);
    let history = ComplaintHistory {
        status: status.as_str().to_owned(),
        department: past_screening.then(|| dept.unwrap_or(Role::Supervision).as_str().to_owned()),
        disposal: disposal.map(|d| d.as_str().to_owned()),
        screened_date: (status != ComplaintStatus::Registered).then(|| received.to_string()),
        acceptance_notified_date: notified.map(|d| d.to_string()),
        concluded_date: concluded.map(|d| d.to_string()),
        result: (!result.is_empty()).then_some(result),
        feedback_date: feedback.map(|d| d.to_string()),
    };
    Ok(ComplaintRecord { form, received: received_at, history })
}

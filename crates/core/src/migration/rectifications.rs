//! The rows of an older platform's rectification lists (整改清单), one row per problem, the rows of
//! one list next to each other under its original number. A list goes through the same
//! registration rule as one entered by hand (`penalty::workflow::register_rectification`), and
//! each problem the file shows as rectified or awaiting review becomes the ordinary item events
//! dated as the file gives them, so its deadline is met on that date.

use chrono::NaiveDate;

use super::Row;
use super::model::RowProblem;
use super::penalties::{Env, ItemState, PenaltyRecord, item_state};
use super::values;
use crate::error::CoreError;
use crate::penalty::events::ChecklistEvent;
use crate::penalty::model::*;
use crate::penalty::workflow::{self, NewRectification};

/// The source a cell names.
fn source(cell: &super::sheet::Cell) -> Result<RectificationSource, String> {
    let t = values::halfwidth(&values::text(cell)).trim().replace(['“', '”', '"'], "");
    Ok(match t.as_str() {
        "巡察" | "巡视巡察" | "巡察反馈" => RectificationSource::InspectionTour,
        "审计" | "审计发现" => RectificationSource::Audit,
        "专项监督" | "专项检查" => RectificationSource::SpecialSupervision,
        "两个责任考核" | "两个责任" | "两个责任落实" => RectificationSource::TwoResponsibilities,
        "" => return Err("缺少问题来源。".into()),
        "以案促改" => {
            return Err("以案促改清单须对应本系统中的处分决定，请在处分决定页面中新建，不从原平台导入。".into());
        }
        other => return Err(format!("不认识的问题来源“{other}”：可填巡察、审计、专项监督或“两个责任”考核。")),
    })
}

/// Reads and checks the rows of one list (`rows`, in file order, sharing one original number);
/// all their problems at once. A list `known` from an earlier import gets the rows' own checks only.
pub(crate) fn parse(rows: &[Row<'_>], env: &Env<'_>, known: bool) -> Result<PenaltyRecord, Vec<RowProblem>> {
    let first = &rows[0];
    let today = env.now.with_timezone(&crate::clock::business_zone()).date_naive();
    let mut problems = Vec::new();
    let title = values::text(first.cell("title"));
    let src = source(first.cell("source")).map_err(|e| problems.push(first.problem("source", e))).ok();
    let start = match values::date(first.cell("start_date")) {
        Ok(d) if d > today => {
            problems.push(first.problem("start_date", format!("日期 {d} 晚于今天，请核对。")));
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(first.problem(
                "start_date",
                if values::is_blank(first.cell("start_date")) { "缺少交办日期。".into() } else { e },
            ));
            None
        }
    };
    let mut items = Vec::new();
    let mut states = Vec::new();
    for row in rows {
        // The list's own columns repeat on each of its rows; a row that differs is a sign two
        // lists share a number.
        for field in ["title", "source", "start_date"] {
            if values::text(row.cell(field)) != values::text(first.cell(field)) && !values::is_blank(row.cell(field)) {
                problems.push(row.problem(
                    field,
                    format!(
                        "与同一清单第 {} 行的“{}”不同：同一清单各行应一致，不同清单请用不同的原编号。",
                        first.number,
                        values::text(first.cell(field))
                    ),
                ));
            }
        }
        let due = match values::date(row.cell("due_date")) {
            Ok(d) => Some(d),
            Err(e) => {
                problems.push(row.problem(
                    "due_date",
                    if values::is_blank(row.cell("due_date")) { "缺少完成期限。".into() } else { e },
                ));
                None
            }
        };
        match item_state(row.cell("state"), today, start.map(|d| (d, "交办日期"))) {
            Ok(s) => states.push((row.number, s)),
            Err(e) => problems.push(row.problem("state", e)),
        }
        items.push(RectificationItemForm {
            title: values::text(row.cell("item_title")),
            responsible_unit: values::text(row.cell("responsible_unit")),
            due_date: due.map(|d| d.to_string()).unwrap_or_default(),
            measures: values::text(row.cell("measures")),
            max_score: None,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if known {
        return Ok(PenaltyRecord { id: String::new(), events: Vec::new() });
    }
    let (Some(src), Some(start)) = (src, start) else {
        return Err(vec![first.problem("original_number", "这份清单缺少必填内容。")]);
    };
    let form = RegisterRectification {
        title,
        source: src,
        start_date: start.to_string(),
        items,
        template: None,
        responsible_unit: None,
        due_date: None,
        sequential: false,
        penalty_id: None,
    };
    let whole = |m: String| vec![RowProblem { row: first.number, column: None, reason: m }];
    let id = uuid::Uuid::now_v7().to_string();
    let new = NewRectification { id: &id, office: env.office, today };
    // The same rule a list entered by hand passes (its messages name the item by its order).
    let registered = match workflow::register_rectification(new, env.actor, &form, None, None) {
        Ok(e) => e,
        Err(CoreError::Invalid(m)) => return Err(whole(m)),
        Err(other) => return Err(whole(other.to_string())),
    };
    let mut events = vec![registered];
    for (ord, (_, state)) in states.iter().enumerate() {
        let ord = ord as u32 + 1;
        let submitted = |d: NaiveDate| {
            ChecklistEvent::ItemSubmitted(ItemSubmitted {
                checklist_id: id.clone(),
                ord,
                date: d.to_string(),
                note: "从原平台迁移".into(),
                measures: None,
                result: None,
                evidence: Vec::new(),
            })
        };
        match *state {
            ItemState::NotDone => {}
            ItemState::Submitted(d) => events.push(submitted(d)),
            ItemState::Done(d) => {
                events.push(submitted(d));
                events.push(ChecklistEvent::ItemApproved(ItemApproved {
                    checklist_id: id.clone(),
                    ord,
                    date: d.to_string(),
                    note: "从原平台迁移：原平台记为已整改".into(),
                    score: None,
                }));
            }
        }
    }
    Ok(PenaltyRecord { id, events })
}

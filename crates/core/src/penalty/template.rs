//! Checklist templates as data: the document format, its checks, the rules that choose which
//! items apply, and generation of a checklist's items from a template.
//!
//! A template is a JSON document stored in `checklist_templates`, one row per version. Built-in
//! versions come with the migrations; an administrator publishes new ones (and, later, the hub).
//! Unknown fields are refused, so a misspelt rule never silently applies to everyone.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::model::*;
use super::rules;
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};

/// A rule deciding whether an item applies (or a template is chosen) for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "when", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Every decision.
    All,
    /// The person has an influence period that ends (not only a permanent one).
    InfluencePeriod,
    /// The decision names an amount to confiscate or repay.
    AmountsNamed,
    /// Organisational handling was decided alongside.
    OrganisationalHandling,
    /// The person is a deputy, a CPPCC member or a non-party cadre.
    SpecialStatus,
    /// The person is a party member.
    PartyMember,
    /// A party penalty at least this heavy.
    PartyAtLeast { penalty: PartyPenalty },
    /// A government sanction at least this heavy.
    GovernmentAtLeast { sanction: GovernmentSanction },
    /// Any of these.
    Any { of: Vec<Condition> },
    /// All of these.
    Every { of: Vec<Condition> },
    /// Not this.
    Not { of: Box<Condition> },
}

/// The facts about a decision that conditions read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub party_penalty: Option<PartyPenalty>,
    pub government_sanction: Option<GovernmentSanction>,
    pub party_member: bool,
    pub special_status: bool,
    pub amounts_named: bool,
    pub organisational_handling: bool,
    pub finite_period: bool,
}

impl Condition {
    pub fn holds(&self, f: &Facts) -> bool {
        match self {
            Condition::All => true,
            Condition::InfluencePeriod => f.finite_period,
            Condition::AmountsNamed => f.amounts_named,
            Condition::OrganisationalHandling => f.organisational_handling,
            Condition::SpecialStatus => f.special_status,
            Condition::PartyMember => f.party_member,
            Condition::PartyAtLeast { penalty } => f.party_penalty.is_some_and(|p| p >= *penalty),
            Condition::GovernmentAtLeast { sanction } => f.government_sanction.is_some_and(|s| s >= *sanction),
            Condition::Any { of } => of.iter().any(|c| c.holds(f)),
            Condition::Every { of } => of.iter().all(|c| c.holds(f)),
            Condition::Not { of } => !of.holds(f),
        }
    }

    fn depth(&self) -> usize {
        match self {
            Condition::Any { of } | Condition::Every { of } => 1 + of.iter().map(Condition::depth).max().unwrap_or(0),
            Condition::Not { of } => 1 + of.depth(),
            _ => 1,
        }
    }
}

/// The date an item's deadline counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineFrom {
    /// The decision date.
    Decision,
    /// The approval date (the decision date when there is none).
    Approval,
    /// The end of the (latest) influence period.
    InfluenceEnd,
    /// A rectification list's start date.
    Start,
    /// The due date the rectification list gives.
    Due,
}

/// An item's deadline in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DeadlineDef {
    pub kind: DeadlineKind,
    pub from: DeadlineFrom,
    /// Months after `from` (moved to the next working day if it falls on a day off); 0 for the
    /// date itself.
    pub months: u32,
    /// The longest the deadline may be extended to, in months, with approval.
    #[serde(default)]
    pub extendable_to: Option<u32>,
}

/// One item of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    pub code: String,
    pub title: String,
    pub applies: Condition,
    pub deadline: DeadlineDef,
    /// The item completes only when payments reach the amount due.
    #[serde(default)]
    pub payment: bool,
    /// The letters to collect (落实"三书"), as configured.
    #[serde(default)]
    pub letters: Vec<String>,
    /// The most points the item can score.
    #[serde(default)]
    pub max_score: Option<String>,
}

/// A template document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub scope: ChecklistScope,
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub priority: i64,
    /// When this template is chosen for a decision.
    pub select: Condition,
    /// Items run in order: each opens when the one before is approved.
    pub sequential: bool,
    pub items: Vec<ItemDef>,
}

/// The most items a template may hold, and the deepest a rule may nest.
const MAX_ITEMS: usize = 100;
const MAX_RULE_DEPTH: usize = 8;

impl Template {
    /// Parses and checks a template document; every problem is named in Chinese.
    pub fn parse(json: &str) -> Result<Template> {
        let t: Template = serde_json::from_str(json)
            .map_err(|e| CoreError::invalid(format!("清单模板格式不正确：{e}。请对照现有模板检查字段名和取值。")))?;
        t.check()?;
        Ok(t)
    }

    fn check(&self) -> Result<()> {
        let bad = |m: String| Err(CoreError::invalid(format!("清单模板“{}”：{m}", self.id)));
        if self.id.trim().is_empty() || self.id.len() > 80 {
            return bad("模板编号不能为空，且不超过 80 个字符。".into());
        }
        if self.name.trim().is_empty() {
            return bad("请填写模板名称。".into());
        }
        if self.items.is_empty() || self.items.len() > MAX_ITEMS {
            return bad(format!("事项应有 1 至 {MAX_ITEMS} 项。"));
        }
        if self.select.depth() > MAX_RULE_DEPTH {
            return bad("选用规则嵌套过深。".into());
        }
        let mut codes = std::collections::HashSet::new();
        for item in &self.items {
            if item.code.trim().is_empty() || !codes.insert(item.code.as_str()) {
                return bad(format!("事项编号“{}”为空或重复。", item.code));
            }
            if item.title.trim().is_empty() {
                return bad(format!("事项“{}”缺少名称。", item.code));
            }
            if item.applies.depth() > MAX_RULE_DEPTH {
                return bad(format!("事项“{}”的适用规则嵌套过深。", item.code));
            }
            let d = &item.deadline;
            if d.months > 120 {
                return bad(format!("事项“{}”的期限超过 120 个月。", item.code));
            }
            if let Some(ext) = d.extendable_to
                && (ext <= d.months || ext > 12)
            {
                return bad(format!("事项“{}”的可延长期限应大于原期限且不超过 12 个月。", item.code));
            }
            if let Some(score) = &item.max_score {
                rules::parse_amount(score, "满分")?;
            }
            let scope_ok = match self.scope {
                ChecklistScope::Penalty => !matches!(d.from, DeadlineFrom::Start | DeadlineFrom::Due),
                ChecklistScope::Rectification => matches!(d.from, DeadlineFrom::Start | DeadlineFrom::Due),
            };
            if !scope_ok {
                return bad(format!("事项“{}”的期限起算点不适用于此类清单。", item.code));
            }
        }
        Ok(())
    }
}

/// Reads one template version.
pub fn load(conn: &Connection, id: &str, version: u32) -> Result<Template> {
    let body: String = conn
        .query_row(
            "SELECT body FROM checklist_templates WHERE id = ?1 AND version = ?2",
            rusqlite::params![id, version],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "清单模板", id: format!("{id} 第 {version} 版") })?;
    Template::parse(&body)
}

/// The latest version of template `id`, if any.
pub fn latest_version(conn: &Connection, id: &str) -> Result<Option<u32>> {
    Ok(conn.query_row("SELECT max(version) FROM checklist_templates WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The latest version of each template of `scope`, highest priority first.
pub fn latest_of_scope(conn: &Connection, scope: ChecklistScope) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare(
        "SELECT t.body FROM checklist_templates t
         WHERE t.scope = ?1 AND t.version = (SELECT max(version) FROM checklist_templates u WHERE u.id = t.id)
         ORDER BY t.priority DESC, t.id",
    )?;
    let bodies: Vec<String> = stmt.query_map([scope.as_str()], |r| r.get(0))?.collect::<Result<_, _>>()?;
    bodies.iter().map(|b| Template::parse(b)).collect()
}

/// Chooses the template for a decision among `templates` (highest priority first): the first
/// whose `select` rule holds.
pub fn choose_from(templates: Vec<Template>, facts: &Facts) -> Result<Template> {
    templates
        .into_iter()
        .find(|t| t.select.holds(facts))
        .ok_or_else(|| CoreError::invalid("没有适用于该处分的执行事项清单模板，请管理员发布模板后再录入。"))
}

/// The dates a checklist's deadlines count from.
#[derive(Debug, Clone, Copy)]
pub struct Dates {
    pub decision: NaiveDate,
    pub approval: Option<NaiveDate>,
    pub influence_end: Option<NaiveDate>,
    pub start: NaiveDate,
    pub due: Option<NaiveDate>,
}

/// What a generated item needs besides its template.
#[derive(Debug, Clone)]
pub struct ItemContext {
    pub responsible_unit: String,
    pub amount_due: Option<String>,
}

/// The items of `template` that apply to `facts`, numbered from 1 in template order.
pub fn generate(template: &Template, facts: &Facts, dates: &Dates, ctx: &ItemContext) -> Result<Vec<GeneratedItem>> {
    let mut out = Vec::new();
    for def in template.items.iter().filter(|d| d.applies.holds(facts)) {
        let start = match def.deadline.from {
            DeadlineFrom::Decision => dates.decision,
            DeadlineFrom::Approval => dates.approval.unwrap_or(dates.decision),
            DeadlineFrom::InfluenceEnd => dates.influence_end.ok_or_else(|| {
                CoreError::invalid(format!(
                    "模板事项“{}”自影响期满起算，但该处分没有到期的影响期。请管理员检查模板的适用规则。",
                    def.title
                ))
            })?,
            DeadlineFrom::Start => dates.start,
            DeadlineFrom::Due => {
                dates.due.ok_or_else(|| CoreError::invalid("按模板生成整改事项须填写完成期限（due_date）。"))?
            }
        };
        out.push(GeneratedItem {
            ord: out.len() as u32 + 1,
            code: def.code.clone(),
            title: def.title.clone(),
            responsible_unit: ctx.responsible_unit.clone(),
            measures: String::new(),
            deadline_kind: def.deadline.kind,
            rule: Rule::Months(def.deadline.months).code(),
            start: start.to_string(),
            extendable_to: def.deadline.extendable_to,
            payment: def.payment,
            amount_due: if def.payment { ctx.amount_due.clone() } else { None },
            max_score: def.max_score.as_deref().map(|s| rules::parse_amount(s, "满分").map(rules::fen)).transpose()?,
            letters: def.letters.clone(),
        });
    }
    Ok(out)
}

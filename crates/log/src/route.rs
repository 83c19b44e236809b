//! The route rule: which office may hand a complaint to which, by kind of hand-over, over the
//! province's office directory. Written once here, where both the office's store (before anything
//! is recorded) and the hub (before it orders the change of owner) can ask it, so an office never
//! records a hand-over the hub would refuse, and the hub refuses what an edited or older office
//! sends anyway.
//!
//! The routes (DOMAIN.md, seed 000 "内部移送、向上报送、对下转送、平级移交"):
//! - report upward (向上报送) goes to the office directly above, never past it: the matter concerns
//!   cadres the level above manages, and that office decides whether to send it further;
//! - transfer downward (向下转送), assignment (交办) and supervision (督办) go to any office or
//!   resident group within this office's jurisdiction (a descendant at any depth), so a province
//!   may send straight to the county that has jurisdiction rather than relaying through the
//!   prefecture, which would add five working days a hop;
//! - lateral hand-over (平级移交) goes to an office of the same level under the same office above
//!   (two counties of one prefecture, two prefectures of one province);
//! - nothing goes to the office itself, to a code that is not a division or resident-group code,
//!   or to an office the directory does not hold.

use crate::error::{LogError, Result};
use crate::office::{OfficeLevel, UnitKind, validate_division_code, validate_resident_group_code};

/// The kinds of hand-over between offices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handover {
    /// 向上报送.
    ReportUpward,
    /// 向下转送.
    TransferDownward,
    /// 交办.
    Assign,
    /// 督办 (names the office handling the complaint; ownership does not move).
    Supervise,
    /// 平级移交.
    Lateral,
}

impl Handover {
    /// The reason an `ownership.offered` carries for this kind, where it moves ownership.
    pub fn offer_reason(self) -> &'static str {
        match self {
            Handover::ReportUpward => "report_upward",
            Handover::TransferDownward => "transfer_downward",
            Handover::Assign => "assign",
            Handover::Supervise => "supervise",
            Handover::Lateral => "lateral",
        }
    }

    /// The kind an offer's reason names, if it names one (offers written before this rule carried
    /// the same reasons, so old logs are read alike).
    pub fn from_offer_reason(reason: &str) -> Option<Self> {
        [Handover::ReportUpward, Handover::TransferDownward, Handover::Assign, Handover::Supervise, Handover::Lateral]
            .into_iter()
            .find(|h| h.offer_reason() == reason)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Handover::ReportUpward => "向上报送",
            Handover::TransferDownward => "向下转送",
            Handover::Assign => "交办",
            Handover::Supervise => "督办",
            Handover::Lateral => "平级移交",
        }
    }
}

/// One directory entry as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteOffice {
    pub code: String,
    pub name: String,
    pub level: OfficeLevel,
    pub unit: UnitKind,
    pub parent: Option<String>,
}

impl RouteOffice {
    fn named(&self) -> String {
        format!("{}（{}）", self.name, self.code)
    }
}

/// Whether `code` has the form of a division code (any level) or of a resident group's code.
fn well_formed(code: &str) -> bool {
    let division = [OfficeLevel::Province, OfficeLevel::Prefecture, OfficeLevel::County]
        .into_iter()
        .any(|level| validate_division_code(code, level).is_ok());
    division || code.split_once('-').is_some_and(|(head, _)| validate_resident_group_code(code, head).is_ok())
}

/// The ancestors of `code` in the directory, nearest first (bounded, so an edited directory with
/// a cycle cannot loop).
pub fn ancestors(code: &str, lookup: &impl Fn(&str) -> Option<RouteOffice>) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = lookup(code).and_then(|o| o.parent);
    while let Some(parent) = next {
        if out.contains(&parent) || out.len() > 16 {
            break;
        }
        next = lookup(&parent).and_then(|o| o.parent);
        out.push(parent);
    }
    out
}

/// Checks a hand-over of kind `kind` from office `from` to the office coded `to`, with `lookup`
/// reading the directory. `Ok` with the destination's entry, or a refusal that says in Chinese why
/// and what to do instead.
pub fn check(
    kind: Handover,
    from: &str,
    to: &str,
    lookup: &impl Fn(&str) -> Option<RouteOffice>,
) -> Result<RouteOffice> {
    let what = kind.label();
    let to = to.trim();
    if to.is_empty() {
        return Err(LogError::invalid(format!("{what}须从机关名录中选择接收机关。")));
    }
    if !well_formed(to) {
        return Err(LogError::invalid(format!(
            "接收机关代码“{to}”格式不正确（应为 6 位行政区划代码，或派驻组代码如 530000-01），请从机关名录中选择。"
        )));
    }
    let Some(here) = lookup(from) else {
        return Err(LogError::invalid(format!(
            "本机关（{from}）不在机关名录中，无法{what}。请先与省级平台同步，取得机关名录。"
        )));
    };
    if to == from {
        return Err(LogError::invalid(format!("不能{what}给本机关自己，请选择其他机关。")));
    }
    let Some(dest) = lookup(to) else {
        return Err(LogError::invalid(format!(
            "机关名录中没有代码为 {to} 的机关，请核对后从名录中选择（名录随同步更新）。"
        )));
    };
    let sibling = here.parent.is_some() && dest.parent == here.parent && dest.level == here.level;
    let lateral_hint = |dest: &RouteOffice| {
        LogError::invalid(format!(
            "{} 与本机关同属一个上级机关、同一层级，不能{what}；平级机关之间请用“平级移交”（须经领导批准）。",
            dest.named()
        ))
    };
    match kind {
        Handover::ReportUpward => {
            if here.parent.as_deref() == Some(dest.code.as_str()) {
                return Ok(dest);
            }
            if sibling {
                return Err(lateral_hint(&dest));
            }
            match here.parent.as_deref().and_then(lookup) {
                Some(parent) => Err(LogError::invalid(format!(
                    "向上报送只能报送本机关的上级机关 {}，不能报送 {}。",
                    parent.named(),
                    dest.named()
                ))),
                None => Err(LogError::invalid("本机关没有上级机关，不能向上报送。")),
            }
        }
        Handover::TransferDownward | Handover::Assign | Handover::Supervise => {
            if ancestors(&dest.code, lookup).iter().any(|a| a == from) {
                return Ok(dest);
            }
            if sibling {
                return Err(lateral_hint(&dest));
            }
            Err(LogError::invalid(format!(
                "{} 不是本机关辖区内的下级机关，不能{what}。{what}只能选择本机关的下级机关或派驻组。",
                dest.named()
            )))
        }
        Handover::Lateral => {
            if sibling && dest.unit == here.unit {
                return Ok(dest);
            }
            Err(LogError::invalid(format!(
                "{} 与本机关不是同一上级机关下的同级机关，不能平级移交。上级机关请用“向上报送”，下级机关请用“向下转送”或“交办”。",
                dest.named()
            )))
        }
    }
}

/// Every office `from` may hand a complaint to by `kind`, among `offices`, by code: what a picker
/// offers. The same rule as [`check`], asked of each entry.
pub fn allowed(kind: Handover, from: &str, offices: &[RouteOffice]) -> Vec<RouteOffice> {
    let by_code: std::collections::HashMap<&str, &RouteOffice> = offices.iter().map(|o| (o.code.as_str(), o)).collect();
    let lookup = |c: &str| by_code.get(c).map(|o| (*o).clone());
    let mut out: Vec<RouteOffice> = offices.iter().filter_map(|o| check(kind, from, &o.code, &lookup).ok()).collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dir() -> Vec<RouteOffice> {
        let o = |code: &str, name: &str, level, parent: Option<&str>, unit| RouteOffice {
            code: code.into(),
            name: name.into(),
            level,
            unit,
            parent: parent.map(Into::into),
        };
        use OfficeLevel::*;
        use UnitKind::*;
        vec![
            o("530000", "云南省纪委监委", Province, None, Office),
            o("530000-01", "派驻第一纪检监察组", County, Some("530000"), ResidentGroup),
            o("530100", "昆明市纪委监委", Prefecture, Some("530000"), Office),
            o("530300", "曲靖市纪委监委", Prefecture, Some("530000"), Office),
            o("530102", "五华区纪委监委", County, Some("530100"), Office),
            o("530103", "盘龙区纪委监委", County, Some("530100"), Office),
            o("530302", "麒麟区纪委监委", County, Some("530300"), Office),
        ]
    }

    fn ask(kind: Handover, from: &str, to: &str) -> Result<RouteOffice> {
        let d = dir();
        check(kind, from, to, &|c: &str| d.iter().find(|o| o.code == c).cloned())
    }

    #[test]
    fn allowed_routes() {
        use Handover::*;
        for (kind, from, to) in [
            (ReportUpward, "530102", "530100"),
            (ReportUpward, "530100", "530000"),
            (TransferDownward, "530100", "530102"),
            (TransferDownward, "530000", "530102"),
            (TransferDownward, "530000", "530000-01"),
            (Assign, "530000", "530302"),
            (Supervise, "530100", "530103"),
            (Lateral, "530102", "530103"),
            (Lateral, "530100", "530300"),
        ] {
            assert_eq!(ask(kind, from, to).unwrap().code, to, "{kind:?} {from} → {to}");
        }
    }

    #[test]
    fn refused_routes_say_why() {
        use Handover::*;
        for (kind, from, to, why) in [
            // The misroutes of issue #16.
            (TransferDownward, "530100", "530300", "平级移交"),
            (TransferDownward, "530102", "530103", "平级移交"),
            (TransferDownward, "530100", "530199", "名录中没有"),
            (TransferDownward, "530100", "530102001", "格式不正确"),
            (ReportUpward, "530102", "530103", "平级移交"),
            (ReportUpward, "530102", "530000", "只能报送本机关的上级机关 昆明市纪委监委"),
            (ReportUpward, "530000", "530100", "本机关没有上级机关"),
            (TransferDownward, "530102", "530102", "本机关自己"),
            (TransferDownward, "530102", "530100", "不是本机关辖区内的下级机关"),
            (Assign, "530100", "530302", "不是本机关辖区内的下级机关"),
            (Supervise, "530102", "530000", "不是本机关辖区内的下级机关"),
            (Lateral, "530102", "530302", "不是同一上级机关下的同级机关"),
            (Lateral, "530102", "530100", "不是同一上级机关下的同级机关"),
            (Lateral, "530100", "530000-01", "不是同一上级机关下的同级机关"),
            (Lateral, "530102", "", "须从机关名录中选择"),
            (Lateral, "530199", "530102", "本机关（530199）不在机关名录中"),
        ] {
            let e = ask(kind, from, to).unwrap_err().to_string();
            assert!(e.contains(why), "{kind:?} {from} → {to}: {e}");
        }
    }

    #[test]
    fn pickers_offer_what_check_allows() {
        let d = dir();
        let codes = |k, from| allowed(k, from, &d).into_iter().map(|o| o.code).collect::<Vec<_>>();
        assert_eq!(codes(Handover::Lateral, "530102"), ["530103"]);
        assert_eq!(codes(Handover::ReportUpward, "530102"), ["530100"]);
        assert_eq!(codes(Handover::TransferDownward, "530100"), ["530102", "530103"]);
        assert_eq!(codes(Handover::Assign, "530000").len(), 6);
        assert!(codes(Handover::ReportUpward, "530000").is_empty());
    }
}

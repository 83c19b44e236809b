//! Reads what the integrity rules need from the projections: a cadre's records (confirmed and
//! suggested) as facts, what a reply must not carry, a record as seen from a cadre's file, and an
//! opinion request's state with each person's current findings. Commands (`ops`) and pages
//! (`query`) both read through here before asking the workflow.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::cadre::{normalise, unit_matches};
use super::model::*;
use super::workflow::{
    CadreCandidate, CadreLookups, ComplaintFact, MatchState, Opinion, PenaltyFact, Person, RecordMatch, Secret,
    findings,
};
use crate::complaints::ComplaintStatus;
use crate::error::{CoreError, Result};
use crate::penalty::model::InfluencePeriod;

/// A cadre's identity row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadreRow {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub post: String,
    pub id_masked: Option<String>,
}

/// Cadre `id`, or the refusal naming it.
pub fn cadre(conn: &Connection, id: &str) -> Result<CadreRow> {
    conn.prepare_cached("SELECT id, name, unit, post, id_masked FROM cadres WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(CadreRow { id: r.get(0)?, name: r.get(1)?, unit: r.get(2)?, post: r.get(3)?, id_masked: r.get(4)? })
        })
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "干部", id: id.to_owned() })
}

/// The names a unit goes by: `unit` itself, and, when it is a registered unit's name or other
/// name, every name of that unit.
pub fn unit_names(conn: &Connection, unit: &str) -> Result<Vec<String>> {
    let mut names: Vec<String> = conn
        .prepare_cached(
            "SELECT n2.name FROM integrity_unit_names n1 JOIN integrity_unit_names n2 ON n2.unit_id = n1.unit_id
             WHERE n1.name = ?1",
        )?
        .query_map([unit.trim()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if !names.iter().any(|n| n == unit.trim()) {
        names.push(unit.trim().to_owned());
    }
    Ok(names)
}

/// The database's answers for registering cadres and requests.
#[derive(Debug)]
pub struct DbLookups<'a>(pub &'a Connection);

impl CadreLookups for DbLookups<'_> {
    fn cadres_named(&self, name: &str, unit: &str) -> Result<Vec<CadreCandidate>> {
        let rows: Vec<(String, String, String, Option<String>)> = self
            .0
            .prepare_cached("SELECT id, unit, post, id_masked FROM cadres WHERE name = ?1")?
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let unit = normalise(unit);
        Ok(rows
            .into_iter()
            .filter(|(_, u, _, _)| normalise(u) == unit)
            .map(|(id, _, post, id_masked)| CadreCandidate { id, post, id_masked })
            .collect())
    }
}

/// How this cadre's file and the others' see each record: decided for this cadre (`confirmed` or
/// `split`), or confirmed for another cadre (whose name and unit).
struct Decisions {
    mine: BTreeMap<String, String>,
    elsewhere: BTreeMap<String, (String, String)>,
}

fn decisions(conn: &Connection, cadre_id: &str, records: &BTreeSet<String>) -> Result<Decisions> {
    let mine: BTreeMap<String, String> = conn
        .prepare_cached("SELECT record, status FROM cadre_matches WHERE cadre_id = ?1")?
        .query_map([cadre_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut elsewhere = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT c.name, c.unit FROM cadre_matches m JOIN cadres c ON c.id = m.cadre_id
         WHERE m.record = ?1 AND m.status = 'confirmed' AND m.cadre_id <> ?2 LIMIT 1",
    )?;
    for record in records {
        if let Some(who) = stmt.query_row(params![record, cadre_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
            elsewhere.insert(record.clone(), who);
        }
    }
    Ok(Decisions { mine, elsewhere })
}

/// A complaint's person reported on, as read for a file.
#[derive(Debug, Clone)]
pub struct SubjectRow {
    pub record: String,
    pub complaint_id: String,
    pub number: String,
    pub status: ComplaintStatus,
    pub received_date: String,
    pub unit: String,
    pub post: String,
    pub disposal: Option<String>,
    pub cleared: bool,
}

/// A penalty decision as read for a file.
#[derive(Debug, Clone)]
pub struct PenaltyRow {
    pub record: String,
    pub id: String,
    pub decision_number: String,
    pub label: String,
    pub decision_date: String,
    pub unit: String,
    pub periods: Vec<InfluencePeriod>,
}

/// A recorded benefit as read for a file.
#[derive(Debug, Clone)]
pub struct BenefitRow {
    pub record: String,
    pub kind: String,
    pub date: String,
    pub grade: Option<String>,
    pub detail: String,
    pub unit: String,
}

/// Every record that names a cadre or was confirmed as theirs, each with where it stands for
/// them; records confirmed as another cadre's are left out, as are records split off.
#[derive(Debug)]
pub struct CadreRecords {
    pub complaints: Vec<(SubjectRow, MatchState)>,
    pub penalties: Vec<(PenaltyRow, MatchState)>,
    pub benefits: Vec<(BenefitRow, MatchState)>,
    /// How many records were split off as other people's.
    pub split: usize,
}

fn subject_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(SubjectRow, String)> {
    let id: String = r.get(0)?;
    let ord: u32 = r.get(1)?;
    let status: String = r.get(4)?;
    Ok((
        SubjectRow {
            record: complaint_record(&id, ord),
            complaint_id: id,
            number: r.get(3)?,
            status: ComplaintStatus::parse(&status).unwrap_or(ComplaintStatus::Registered),
            received_date: r.get(5)?,
            unit: r.get(2)?,
            post: r.get(6)?,
            disposal: r.get(7)?,
            cleared: r.get(8)?,
        },
        r.get(9)?,
    ))
}

const SUBJECT_COLUMNS: &str = "s.complaint_id, s.ord, s.unit, c.number, c.status, c.received_date, s.post,
    c.disposal, c.clearance, s.name";

fn penalty_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(PenaltyRow, String)> {
    let id: String = r.get(0)?;
    let periods: String = r.get(5)?;
    Ok((
        PenaltyRow {
            record: penalty_record(&id),
            id,
            decision_number: r.get(1)?,
            label: r.get(2)?,
            decision_date: r.get(3)?,
            unit: r.get(4)?,
            periods: serde_json::from_str(&periods).unwrap_or_default(),
        },
        r.get(6)?,
    ))
}

const PENALTY_COLUMNS: &str =
    "id, decision_number, penalty_label, decision_date, person_unit, periods_json, person_name";

/// Reads every record that names `cadre` or was confirmed as theirs.
pub fn cadre_records(conn: &Connection, cadre: &CadreRow) -> Result<CadreRecords> {
    let names = unit_names(conn, &cadre.unit)?;
    // Records confirmed by hand may name another unit (a cadre who moved): read them as well.
    let confirmed: BTreeSet<String> = conn
        .prepare_cached("SELECT record FROM cadre_matches WHERE cadre_id = ?1 AND status = 'confirmed'")?
        .query_map([&cadre.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    // A common name is reported on in thousands of complaints in a large office, nearly all of
    // them in other units: the units are matched first, on the subject rows alone (each distinct
    // unit once), and only the complaints that pass are read.
    let mut unit_ok: BTreeMap<String, bool> = BTreeMap::new();
    let candidates: Vec<(String, u32)> = conn
        .prepare_cached("SELECT complaint_id, ord, unit FROM complaint_subjects WHERE name = ?1")?
        .query_map([&cadre.name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, String>(2)?)))?
        .filter_map(|r| r.ok())
        .filter(|(id, ord, unit)| {
            let ok = *unit_ok.entry(unit.clone()).or_insert_with(|| unit_matches(&names, unit));
            ok || confirmed.contains(&complaint_record(id, *ord))
        })
        .map(|(id, ord, _)| (id, ord))
        .collect();
    let mut subjects: Vec<SubjectRow> = Vec::with_capacity(candidates.len());
    let mut one = conn.prepare_cached(&format!(
        "SELECT {SUBJECT_COLUMNS} FROM complaint_subjects s JOIN complaints c ON c.id = s.complaint_id
         WHERE s.complaint_id = ?1 AND s.ord = ?2"
    ))?;
    for (id, ord) in candidates {
        if let Some((s, _)) = one.query_row(params![id, ord], subject_from_row).optional()? {
            subjects.push(s);
        }
    }
    drop(one);
    let mut penalties: Vec<PenaltyRow> = conn
        .prepare_cached(&format!("SELECT {PENALTY_COLUMNS} FROM penalties WHERE person_name = ?1"))?
        .query_map([&cadre.name], penalty_from_row)?
        .filter_map(|r| r.ok())
        .filter(|(p, _)| unit_matches(&names, &p.unit) || confirmed.contains(&p.record))
        .map(|(p, _)| p)
        .collect();
    let benefits: Vec<BenefitRow> = conn
        .prepare_cached(
            "SELECT id, kind, date, grade, detail, person_unit FROM person_benefits WHERE person_name = ?1",
        )?
        .query_map([&cadre.name], |r| {
            let id: String = r.get(0)?;
            Ok(BenefitRow {
                record: benefit_record(&id),
                kind: r.get(1)?,
                date: r.get(2)?,
                grade: r.get(3)?,
                detail: r.get(4)?,
                unit: r.get(5)?,
            })
        })?
        .filter_map(|r| r.ok())
        .filter(|b| unit_matches(&names, &b.unit) || confirmed.contains(&b.record))
        .collect();
    // Confirmed records that do not name the cadre at all (entered under another name) are
    // read one by one.
    let held: BTreeSet<String> = subjects
        .iter()
        .map(|s| s.record.clone())
        .chain(penalties.iter().map(|p| p.record.clone()))
        .chain(benefits.iter().map(|b| b.record.clone()))
        .collect();
    for record in confirmed.difference(&held) {
        match RecordKey::parse(record)? {
            RecordKey::ComplaintSubject { complaint_id, ord } => {
                if let Some((s, _)) = conn
                    .prepare_cached(&format!(
                        "SELECT {SUBJECT_COLUMNS} FROM complaint_subjects s JOIN complaints c ON c.id = s.complaint_id
                         WHERE s.complaint_id = ?1 AND s.ord = ?2"
                    ))?
                    .query_row(params![complaint_id, ord], subject_from_row)
                    .optional()?
                {
                    subjects.push(s);
                }
            }
            RecordKey::Penalty(id) => {
                if let Some((p, _)) = conn
                    .prepare_cached(&format!("SELECT {PENALTY_COLUMNS} FROM penalties WHERE id = ?1"))?
                    .query_row([id], penalty_from_row)
                    .optional()?
                {
                    penalties.push(p);
                }
            }
            RecordKey::Benefit(_) => {}
        }
    }
    let all: BTreeSet<String> = subjects
        .iter()
        .map(|s| s.record.clone())
        .chain(penalties.iter().map(|p| p.record.clone()))
        .chain(benefits.iter().map(|b| b.record.clone()))
        .collect();
    let d = decisions(conn, &cadre.id, &all)?;
    let state_of = |record: &str| -> Option<MatchState> {
        match d.mine.get(record).map(String::as_str) {
            Some("confirmed") => Some(MatchState::Confirmed),
            Some(_) => None,
            None => match d.elsewhere.get(record) {
                Some(_) => None,
                None => Some(MatchState::Suggested),
            },
        }
    };
    let split = d.mine.values().filter(|s| *s == "split").count();
    Ok(CadreRecords {
        complaints: subjects.into_iter().filter_map(|s| state_of(&s.record).map(|m| (s, m))).collect(),
        penalties: penalties.into_iter().filter_map(|p| state_of(&p.record).map(|m| (p, m))).collect(),
        benefits: benefits.into_iter().filter_map(|b| state_of(&b.record).map(|m| (b, m))).collect(),
        split,
    })
}

impl CadreRecords {
    /// The facts the findings read: complaints and penalties, confirmed or suggested.
    pub fn facts(&self) -> (Vec<ComplaintFact>, Vec<PenaltyFact>) {
        let complaints = self
            .complaints
            .iter()
            .map(|(s, m)| ComplaintFact {
                record: s.record.clone(),
                number: s.number.clone(),
                status: s.status,
                received_date: s.received_date.clone(),
                confirmed: *m == MatchState::Confirmed,
                cleared: s.cleared,
            })
            .collect();
        let penalties = self
            .penalties
            .iter()
            .map(|(p, m)| PenaltyFact {
                record: p.record.clone(),
                decision_number: p.decision_number.clone(),
                label: p.label.clone(),
                decision_date: p.decision_date.clone(),
                periods: p.periods.clone(),
                confirmed: *m == MatchState::Confirmed,
            })
            .collect();
        (complaints, penalties)
    }
}

/// What a reply about these complaints must not carry: each reporter's details and each
/// complaint's summary and content.
pub fn secrets(conn: &Connection, complaint_ids: &BTreeSet<String>) -> Result<Vec<Secret>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT reporter_name, reporter_unit, reporter_contact, reporter_address, summary, content
         FROM complaints WHERE id = ?1",
    )?;
    for id in complaint_ids {
        let row: Option<[Option<String>; 6]> = stmt
            .query_row([id], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?]))
            .optional()?;
        if let Some([name, unit, contact, address, summary, content]) = row {
            out.extend([name, unit, contact, address].into_iter().flatten().map(Secret::Reporter));
            out.extend([summary, content].into_iter().flatten().map(Secret::Content));
        }
    }
    Ok(out)
}

/// A record as seen from cadre `cadre_id`'s file, or the refusal when there is no such record.
pub fn record_match(conn: &Connection, cadre_id: &str, record: &str) -> Result<RecordMatch> {
    let exists = match RecordKey::parse(record)? {
        RecordKey::ComplaintSubject { complaint_id, ord } => conn
            .prepare_cached("SELECT 1 FROM complaint_subjects WHERE complaint_id = ?1 AND ord = ?2")?
            .query_row(params![complaint_id, ord], |_| Ok(()))
            .optional()?
            .is_some(),
        RecordKey::Penalty(id) => conn
            .prepare_cached("SELECT 1 FROM penalties WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some(),
        RecordKey::Benefit(id) => conn
            .prepare_cached("SELECT 1 FROM person_benefits WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some(),
    };
    if !exists {
        return Err(CoreError::NotFound { what: "记录", id: record.to_owned() });
    }
    cadre(conn, cadre_id)?;
    let mine: Option<String> = conn
        .prepare_cached("SELECT status FROM cadre_matches WHERE cadre_id = ?1 AND record = ?2")?
        .query_row(params![cadre_id, record], |r| r.get(0))
        .optional()?;
    let elsewhere: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT c.name, c.unit FROM cadre_matches m JOIN cadres c ON c.id = m.cadre_id
             WHERE m.record = ?1 AND m.status = 'confirmed' AND m.cadre_id <> ?2 LIMIT 1",
        )?
        .query_row(params![record, cadre_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let state = match (mine.as_deref(), elsewhere) {
        (Some("confirmed"), _) => MatchState::Confirmed,
        (Some(_), _) => MatchState::Split,
        (None, Some((name, unit))) => MatchState::ConfirmedElsewhere { name, unit },
        (None, None) => MatchState::Suggested,
    };
    Ok(RecordMatch { cadre_id: cadre_id.to_owned(), record: record.to_owned(), state })
}

/// A request's row as the state needs it.
struct RequestRow {
    status: String,
    purpose: String,
    purpose_note: String,
    received_date: String,
    submitted_by: Option<String>,
}

/// One person's row.
struct PersonRow {
    ord: u32,
    cadre_id: String,
    name: String,
    unit: String,
    post: String,
    conclusion: Option<String>,
    submitted_findings: Option<String>,
}

/// Opinion request `id` with each person's findings on `today` and what the reply must not
/// carry, or `None` when this replica has no such request.
pub fn load_opinion(conn: &Connection, id: &str, today: NaiveDate) -> Result<Option<Opinion>> {
    load(conn, id, today, true)
}

/// Reads request `id` as [`load_opinion`] does; without `with_secrets` each person's secrets stay
/// empty, for readers that only show the request (a page of fifty cadres in a large office reads
/// ten thousand complaints' texts for them, which only a step's check of a conclusion needs).
fn load(conn: &Connection, id: &str, today: NaiveDate, with_secrets: bool) -> Result<Option<Opinion>> {
    let Some(row) = conn
        .prepare_cached(
            "SELECT status, purpose, purpose_note, received_date, submitted_by FROM opinion_requests WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(RequestRow {
                status: r.get(0)?,
                purpose: r.get(1)?,
                purpose_note: r.get(2)?,
                received_date: r.get(3)?,
                submitted_by: r.get(4)?,
            })
        })
        .optional()?
    else {
        return Ok(None);
    };
    let purpose = Purpose::parse(&row.purpose)?;
    let rows: Vec<PersonRow> = conn
        .prepare_cached(
            "SELECT ord, cadre_id, name, unit, post, conclusion, submitted_findings FROM opinion_persons
             WHERE request_id = ?1 ORDER BY ord",
        )?
        .query_map([id], |r| {
            Ok(PersonRow {
                ord: r.get(0)?,
                cadre_id: r.get(1)?,
                name: r.get(2)?,
                unit: r.get(3)?,
                post: r.get(4)?,
                conclusion: r.get(5)?,
                submitted_findings: r.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut persons = Vec::with_capacity(rows.len());
    for p in rows {
        let records = cadre_records(conn, &cadre(conn, &p.cadre_id)?)?;
        let (complaints, penalties) = records.facts();
        let ids: BTreeSet<String> = records.complaints.iter().map(|(s, _)| s.complaint_id.clone()).collect();
        persons.push(Person {
            ord: p.ord,
            cadre_id: p.cadre_id,
            name: p.name,
            unit: p.unit,
            post: p.post,
            conclusion: p.conclusion,
            submitted: p
                .submitted_findings
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| CoreError::Encoding(e.to_string()))?,
            findings: findings(&complaints, &penalties, purpose, today),
            secrets: if with_secrets { secrets(conn, &ids)? } else { Vec::new() },
        });
    }
    Ok(Some(Opinion {
        id: id.to_owned(),
        status: OpinionStatus::parse(&row.status)?,
        purpose,
        purpose_note: row.purpose_note,
        received_date: NaiveDate::parse_from_str(&row.received_date, "%Y-%m-%d")
            .map_err(|e| CoreError::Encoding(e.to_string()))?,
        persons,
        submitted_by: row.submitted_by,
    }))
}

/// Opinion request `id`, or the refusal naming what was not found.
pub fn existing_opinion(conn: &Connection, id: &str, today: NaiveDate) -> Result<Opinion> {
    load_opinion(conn, id, today)?
        .ok_or_else(|| CoreError::NotFound { what: "廉政意见征求函", id: id.to_owned() })
}

/// Opinion request `id` for showing it, without what a reply must not carry (see [`load`]):
/// never pass it to `workflow::decide`, whose checks of conclusions need the secrets.
pub fn opinion_to_show(conn: &Connection, id: &str, today: NaiveDate) -> Result<Opinion> {
    load(conn, id, today, false)?
        .ok_or_else(|| CoreError::NotFound { what: "廉政意见征求函", id: id.to_owned() })
}

//! Demonstration penalty decisions and a rectification list, driven through the real operations
//! so the demo office shows every light: executed items, a rejection with its note, a partial
//! payment, an overdue item, a fresh decision, and a promotion flagged by the guard.

use chrono::{Duration, NaiveDate};

use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::error::Result;
use qingfeng_core::penalty::model::*;
use qingfeng_core::penalty::ops;
use qingfeng_core::store::Store;

fn person(name: &str, unit: &str, post: &str, party_member: bool) -> PenaltyPerson {
    PenaltyPerson {
        name: name.into(),
        unit: unit.into(),
        post: post.into(),
        rank: String::new(),
        party_member,
        deputy: false,
        cppcc_member: false,
        non_party_cadre: false,
    }
}

fn decision(number: &str, who: PenaltyPerson, decided: NaiveDate, units: &[&str]) -> RegisterPenalty {
    RegisterPenalty {
        person: who,
        decision_number: number.into(),
        deciding_body: "五华区纪委常委会".into(),
        party_penalty: None,
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: decided.to_string(),
        approval_date: None,
        responsible_units: units.iter().map(|u| (*u).to_owned()).collect(),
        confiscate: None,
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    }
}

fn done(store: &mut Store, unit: &Actor, trial: &Actor, id: &str, ord: u32, on: NaiveDate, note: &str) -> Result<()> {
    let req = SubmitRequest { date: on.to_string(), note: note.into(), measures: None, result: None, files: vec![] };
    ops::submit(store, unit, id, ord, &req)?;
    ops::approve(store, trial, id, ord, "材料齐全，同意。", None)
}

/// Seeds the decisions, as of `today`, acting as the demo's case-management, trial and
/// supervision officers.
pub(crate) fn seed(store: &mut Store, today: NaiveDate, password: &str) -> Result<()> {
    let mut sessions = Vec::new();
    let mut login = |store: &mut Store, name: &str| -> Result<Actor> {
        let s = accounts::login(store, name, password, Channel::Cli)?;
        sessions.push(s.session_id.clone());
        Ok(Actor::User(accounts::principal(store, &s.session_id)?))
    };
    let unit = login(store, "anguan")?;
    let trial = login(store, "shenli")?;
    let supervision = login(store, "jiancha")?;
    let ago = |days: i64| today - Duration::days(days);

    // 1. Serious warning, three items executed, the appraisal item now open; later promoted.
    let mut f = decision("五纪处〔2026〕1号", person("钱某某", "区住建局", "科长", true), ago(80), &["区住建局"]);
    f.party_penalty = Some(PartyPenalty::SeriousWarning);
    f.approval_date = Some(ago(78).to_string());
    let first = ops::register(store, &unit, &f)?;
    for (ord, note) in [(1, "已送达本人并抄送区委组织部"), (2, "已在支部大会宣布"), (3, "已归入本人档案")]
    {
        done(store, &unit, &trial, &first, ord, ago(70), note)?;
    }
    ops::record_benefit(
        store,
        &unit,
        &BenefitForm {
            person_name: "钱某某".into(),
            person_unit: "区住建局".into(),
            kind: BenefitKind::Promotion,
            date: ago(10).to_string(),
            grade: None,
            detail: "拟提拔为副局长".into(),
        },
    )?;

    // 2. Removal from party post and dismissal, with money to recover: service approved, the
    //    announcement rejected with a note, part of the money paid.
    let mut f = decision(
        "五纪处〔2026〕2号",
        person("孙某某", "区自然资源局", "副局长", true),
        ago(40),
        &["区自然资源局", "区委组织部"],
    );
    f.party_penalty = Some(PartyPenalty::RemovalFromPost);
    f.approval_date = Some(ago(38).to_string());
    f.government_sanction = Some(GovernmentSanction::Dismissal);
    f.confiscate = Some("56800.00".into());
    let second = ops::register(store, &unit, &f)?;
    done(store, &unit, &trial, &second, 1, ago(30), "已送达")?;
    let req =
        SubmitRequest {
            date: ago(20).to_string(), note: "已宣布".into(), measures: None, result: None, files: vec![]
        };
    ops::submit(store, &unit, &second, 2, &req)?;
    ops::reject(store, &trial, &second, 2, "宣布记录缺少到会人员签名，请补正后重新提交。")?;
    ops::record_payment(store, &unit, &second, 6, "20000", &ago(15).to_string(), "第一笔退缴")?;

    // 3. A demerit decided this week: nothing done yet.
    let mut f = decision("五纪处〔2026〕3号", person("李某某", "区教育局", "股长", false), ago(5), &["区教育局"]);
    f.government_sanction = Some(GovernmentSanction::Demerit);
    ops::register(store, &unit, &f)?;

    // 4. A warning whose service is overdue.
    let mut f =
        decision("五纪处〔2026〕4号", person("周某某", "某街道办事处", "副主任", true), ago(45), &["某街道办事处"]);
    f.party_penalty = Some(PartyPenalty::Warning);
    f.approval_date = Some(ago(44).to_string());
    ops::register(store, &unit, &f)?;

    // 5. The "two responsibilities" list for one bureau.
    ops::register_rectification(
        store,
        &supervision,
        &RegisterRectification {
            title: "区住建局党组“两个责任”落实情况考核".into(),
            source: RectificationSource::TwoResponsibilities,
            start_date: ago(20).to_string(),
            items: vec![RectificationItemForm {
                title: "工程项目招投标监管不到位".into(),
                responsible_unit: "区住建局".into(),
                due_date: (today + Duration::days(40)).to_string(),
                measures: "修订招投标监管办法".into(),
                max_score: None,
            }],
            template: Some("rectification.two_responsibilities".into()),
            responsible_unit: Some("区住建局党组".into()),
            due_date: Some((today + Duration::days(70)).to_string()),
            sequential: false,
            penalty_id: None,
        },
    )?;

    // 6. Reform by case (以案促改) in the first decision's bureau: the case briefing held and
    //    approved, and 案件审理室's guidance on the cause analysis that is now open.
    let reform = ops::register_rectification(
        store,
        &supervision,
        &RegisterRectification {
            title: String::new(),
            source: RectificationSource::ReformByCase,
            start_date: ago(20).to_string(),
            items: vec![],
            template: None,
            responsible_unit: None,
            due_date: Some((today + Duration::days(70)).to_string()),
            sequential: false,
            penalty_id: Some(first.clone()),
        },
    )?;
    done(store, &supervision, &trial, &reform, 1, ago(12), "已召开全局干部职工警示教育大会，通报钱某某案情")?;
    ops::guide(
        store,
        &trial,
        &reform,
        2,
        "剖析案发原因要具体到工程项目审批、验收各环节，逐项列出廉政风险点，不要泛泛而谈。",
    )?;

    for s in sessions {
        accounts::logout(store, &s)?;
    }
    Ok(())
}

//! Notice templates held in the store: the built-in versions seeded on first use, the version in
//! use per kind, and an administrator's new versions, checked with the notice crate's parser
//! before the core records them (`notice.template_saved`). The desktop's editor works on the
//! template as a form ([`TemplateForm`]); the text stays what is stored, exported and imported.

use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::documents::{self as core_docs, BuiltinTemplate, NewTemplate, TemplateView};
use qingfeng_notice::{NoticeError, NoticeKind, Template, TemplateForm, templates as builtin};

use crate::error::{DocumentError, Result};

/// Records the built-in templates of this program version in the store, if not yet there.
pub fn ensure_builtin(store: &mut Store) -> Result<()> {
    let defaults = builtin::defaults();
    let rows: Vec<BuiltinTemplate<'_>> = defaults
        .iter()
        .map(|t| BuiltinTemplate {
            kind: t.kind().as_str(),
            version: t.version(),
            title: t.title(),
            source: t.source(),
        })
        .collect();
    core_docs::seed_builtin_templates(store, &rows)?;
    Ok(())
}

/// The template in use for `kind` (the office's newest version, else the built-in one), parsed.
pub fn active(store: &mut Store, kind: NoticeKind) -> Result<(Template, TemplateView)> {
    ensure_builtin(store)?;
    let view = core_docs::active_template(store, kind.as_str())?;
    let template = Template::parse(&view.source)?;
    Ok((template, view))
}

/// Every template version held for this office, by kind, newest first.
pub fn list(store: &mut Store, actor: &Actor) -> Result<Vec<TemplateView>> {
    ensure_builtin(store)?;
    Ok(core_docs::templates(store, actor)?)
}

/// Saves a new template version from its TOML text (administrators). A template that breaks
/// the syntax or uses a field it does not declare is refused with the parser's Chinese message,
/// and nothing is recorded.
pub fn save(store: &mut Store, actor: &Actor, toml: &str) -> Result<TemplateView> {
    let template = Template::parse(toml)?;
    ensure_builtin(store)?;
    Ok(core_docs::save_template(
        store,
        actor,
        &NewTemplate {
            kind: template.kind().as_str().into(),
            version: template.version(),
            title: template.title().into(),
            source: template.source().into(),
        },
    )?)
}

/// Adopts the province's version `version` of `kind`'s template as this office's next own version
/// (administrators), after the notice crate's parser accepts its text and finds it is a template
/// of that kind; a refusal names the reason and nothing is recorded.
pub fn adopt_province(store: &mut Store, actor: &Actor, kind: &str, version: u32) -> Result<u32> {
    ensure_builtin(store)?;
    let adopted = qingfeng_core::province::adopt_checked(
        store,
        actor,
        qingfeng_core::province::ContentKind::NoticeTemplate,
        kind,
        version,
        |text| {
            let t = Template::parse(text).map_err(|e| e.to_string())?;
            if t.kind().as_str() == kind {
                Ok(())
            } else {
                Err(format!("模板文件是“{}”的模板，不是本文书种类的。", t.kind().as_str()))
            }
        },
    )?;
    Ok(adopted)
}

/// One held version of `kind`'s template (`version`), as listed by [`list`].
pub fn version(store: &mut Store, actor: &Actor, kind: &str, version: u32) -> Result<TemplateView> {
    list(store, actor)?
        .into_iter()
        .find(|t| t.kind == kind && t.version == version)
        .ok_or_else(|| DocumentError::Invalid("找不到这一版文书模板：它可能已被替换，请刷新模板列表后重选。".into()))
}

/// One held version of a template as a form, for the editor.
pub fn form(store: &mut Store, actor: &Actor, kind: &str, version_no: u32) -> Result<TemplateForm> {
    let view = version(store, actor, kind, version_no)?;
    Ok(Template::parse(&view.source)?.to_form())
}

/// The number the next saved version of `kind` will get: one more than any held.
pub fn next_version(store: &mut Store, actor: &Actor, kind: &str) -> Result<u32> {
    Ok(list(store, actor)?.iter().filter(|t| t.kind == kind).map(|t| t.version).max().unwrap_or(0) + 1)
}

/// Saves a form as the next version of its kind (administrators). The form is checked in the
/// officer's terms first (a paragraph using a deleted field, an empty title, …), and nothing is
/// recorded when it is refused.
pub fn save_form(store: &mut Store, actor: &Actor, form: &TemplateForm) -> Result<TemplateView> {
    let kind = NoticeKind::parse(&form.kind)
        .ok_or_else(|| DocumentError::Invalid("不认识这种文书：请从模板列表中重新选择。".into()))?;
    let next = next_version(store, actor, kind.as_str())?;
    let template = Template::from_form(form, next)?;
    save(store, actor, template.source())
}

/// A template file read for 导入: parsed and checked, returned as a form for the editor (not
/// saved until the administrator saves it).
pub fn import(text: &str) -> Result<TemplateForm> {
    match Template::parse(text) {
        Ok(t) => Ok(t.to_form()),
        // The TOML reader's own words are English; the administrator needs to know only that
        // this is not a template file.
        Err(NoticeError::TemplateFormat(_)) => Err(DocumentError::Invalid(
            "所选文件不是文书模板文件，或内容已损坏：请选择从本程序“导出”的模板文件。".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

//! Notice templates held in the store: the built-in versions seeded on first use, the version in
//! use per kind, and an administrator's new versions, checked with the notice crate's parser
//! before the core records them (`notice.template_saved`).

use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::documents::{self as core_docs, BuiltinTemplate, NewTemplate, TemplateView};
use qingfeng_notice::{NoticeKind, Template, templates as builtin};

use crate::error::Result;

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

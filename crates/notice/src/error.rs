//! The one error type of this crate, with messages in Chinese that tell the officer what to do.

use std::path::PathBuf;

/// Everything that can go wrong while reading a template, checking fields, finding fonts or rendering.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    /// The template text is not valid TOML or lacks a key.
    #[error("模板格式有误：{0}。请对照内置模板改正后再保存。")]
    TemplateFormat(String),

    /// A template edited as a form is incomplete or inconsistent; the message names the field by
    /// its Chinese label and the paragraph by its number, and says what to do.
    #[error("{0}")]
    Form(String),

    /// The template body breaks the template syntax (an unclosed `{{`, an empty field name, …).
    #[error("模板正文第{line}行有误：{message}。")]
    TemplateSyntax {
        /// Line in the body, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },

    /// The template body or addressee refers to a field the template does not declare.
    #[error("模板{place}用到了没有定义的字段“{name}”：请先在“需要填写的字段”中添加它，或改正正文中的字段。")]
    UnknownField {
        /// The field name used.
        name: String,
        /// Where it was used, e.g. “正文第3行”.
        place: String,
    },

    /// A field is declared twice, or has an invalid name or default.
    #[error("模板字段“{name}”的声明有误：{message}。")]
    BadFieldDeclaration {
        /// The field name.
        name: String,
        /// What is wrong.
        message: String,
    },

    /// A required field has no value.
    #[error("缺少必填字段“{label}”：请填写后再生成文书。")]
    MissingField {
        /// The field name.
        name: String,
        /// Its Chinese label.
        label: String,
    },

    /// A value was given for a field the template does not have (usually a misspelt name).
    #[error("模板“{template}”没有字段“{name}”：请检查字段名是否写错。")]
    UndeclaredValue {
        /// The field name given.
        name: String,
        /// The template's title.
        template: String,
    },

    /// A value of the wrong type (text for a date, a date for text).
    #[error("字段“{label}”应为{expected}，实际填写的是{got}：请按字段类型填写。")]
    WrongType {
        /// The field name.
        name: String,
        /// Its Chinese label.
        label: String,
        /// The type the template declares, in Chinese.
        expected: &'static str,
        /// The type given, in Chinese.
        got: &'static str,
    },

    /// A value of the right type that breaks the field's rules (a line break in one-line text, a
    /// malformed document number, …).
    #[error("字段“{label}”的值不符合要求：{reason}。")]
    InvalidValue {
        /// Its Chinese label (or the header item's name).
        label: String,
        /// What is wrong and what is expected.
        reason: String,
    },

    /// No font for a role could be found.
    #[error("找不到{role}所需的字体（{wanted}），文书无法生成。{hint}。")]
    FontMissing {
        /// The role, e.g. “正文（仿宋）”.
        role: &'static str,
        /// The families looked for.
        wanted: String,
        /// How to install them.
        hint: &'static str,
    },

    /// A font file exists but cannot be read or does not hold the expected family.
    #[error("字体文件 {path} 无法使用：{reason}。请重新安装该字体。")]
    FontUnreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// The text contains a character the role's font cannot draw (it would print as an empty box).
    #[error("字体“{font}”中没有字符“{ch}”（U+{code:04X}），无法印出：请改用常用字，或安装包含该字的字体。")]
    GlyphMissing {
        /// The character.
        ch: char,
        /// Its code point.
        code: u32,
        /// The family that lacks it.
        font: String,
    },

    /// Typst failed. This is a bug in the layout, not in the user's input.
    #[error("排版失败（程序内部错误）：{0}。请把此信息报告给系统管理员。")]
    Layout(String),
}

/// This crate's result type.
pub type Result<T, E = NoticeError> = std::result::Result<T, E>;

//! Chinese for the words clap writes itself — the headings of `--help` (Usage, Commands,
//! Options), its own flags ("Print help"), the bracketed notes ([default: …], [env: …]) and the
//! common parse errors — shared by `qingfeng` and `qingfeng-hub`, whose own texts are Chinese.
//!
//! clap has no translation hook for these, and several (the notes, "[OPTIONS]" in the usage line,
//! the error sentences) cannot be replaced through its builder at all, so the rendered text is
//! translated instead: each phrase below is exactly what clap 4 prints, and a phrase clap changes
//! simply stays English until the table learns it (the CLI's help test would then fail).

use std::ffi::OsString;

use clap::Parser;

/// clap's fixed phrases and their Chinese, longest first where one contains another.
const PHRASES: &[(&str, &str)] = &[
    ("Print this message or the help of the given subcommand(s)", "显示本帮助，或指定命令的帮助"),
    ("Print help (see more with '--help')", "显示帮助（--help 显示完整说明）"),
    ("Print help (see a summary with '-h')", "显示帮助（-h 只显示摘要）"),
    ("Print help", "显示帮助"),
    ("Print version", "显示版本号"),
    ("Usage: ", "用法："),
    ("Usage:", "用法："),
    ("Commands:", "命令："),
    ("Options:", "选项："),
    ("Arguments:", "参数："),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
    ("[COMMAND]", "[命令]"),
    ("[default: ", "[默认："),
    ("[env: ", "[环境变量："),
    ("[possible values: ", "[可选值："),
    ("[aliases: ", "[别名："),
    ("[short aliases: ", "[短别名："),
];

/// The phrases of clap's parse errors. Some are short (" for ", " found"), so they are applied
/// only to an error's text, never to help, where an officer's own words could contain them.
const ERROR_PHRASES: &[(&str, &str)] = &[
    ("error: ", "错误："),
    ("tip: ", "提示："),
    ("For more information, try ", "要查看用法，请运行 "),
    ("the following required arguments were not provided:", "缺少以下必填项："),
    ("a similar argument exists: ", "相近的选项："),
    ("a similar subcommand exists: ", "相近的命令："),
    ("some similar subcommands exist: ", "相近的命令："),
    ("some similar arguments exist: ", "相近的选项："),
    ("to pass ", "如要把 "),
    (" as a value, use ", " 作为值，请写 "),
    ("unexpected argument ", "无法识别的选项 "),
    ("unrecognized subcommand ", "无法识别的命令 "),
    ("invalid value ", "无效的值 "),
    ("a value is required for ", "须填写值："),
    (" but none was supplied", ""),
    (" requires a subcommand but one was not provided", " 须带一个命令"),
    (" cannot be used multiple times", " 只能填写一次"),
    ("the argument ", "选项 "),
    (" cannot be used with ", " 不能与下列选项同用："),
    (" found", ""),
    (" for ", "，用于 "),
    ("invalid digit found in string", "含有非数字的字符"),
    ("invalid digit in string", "含有非数字的字符"),
    ("number too large to fit in target type", "数值过大"),
    ("cannot parse integer from empty string", "值为空"),
];

/// clap's rendered help or usage text with its own words in Chinese.
pub fn translate(text: &str) -> String {
    replace_all(text.to_owned(), PHRASES)
}

/// clap's rendered parse error with its own words in Chinese.
pub fn translate_error(text: &str) -> String {
    // The help phrases first: an error quotes the usage line ("Usage: qingfeng [OPTIONS] …").
    // The sentence's full stop after a quoted flag ("try '--help'.") becomes a Chinese one.
    replace_all(translate(text), ERROR_PHRASES).replace("'.\n", "'。\n")
}

fn replace_all(mut text: String, table: &[(&str, &str)]) -> String {
    for (en, zh) in table {
        if text.contains(en) {
            text = text.replace(en, zh);
        }
    }
    text
}

/// The text of a clap error (help, version or a parse error), in Chinese.
pub fn render(error: &clap::Error) -> String {
    let text = error.to_string();
    match error.kind() {
        clap::error::ErrorKind::DisplayHelp
        | clap::error::ErrorKind::DisplayVersion
        | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => translate(&text),
        _ => translate_error(&text),
    }
}

/// Parses `args` into `P`, or gives back the text to print (Chinese), whether it goes to
/// standard error, and the exit code clap would use.
pub fn try_parse_from<P, I, T>(args: I) -> Result<P, Rendered>
where
    P: Parser,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    P::try_parse_from(args).map_err(|e| Rendered { text: render(&e), to_stderr: e.use_stderr(), code: e.exit_code() })
}

/// Parses the process's arguments into `P`; on `--help`, `--version` or a mistake prints clap's
/// text in Chinese and exits as clap would (0 for help, 2 for a mistake).
pub fn parse<P: Parser>() -> P {
    match try_parse_from::<P, _, _>(std::env::args_os()) {
        Ok(p) => p,
        Err(r) => {
            r.print();
            std::process::exit(r.code);
        }
    }
}

/// What clap would have printed instead of parsing, already in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The help, version or error text.
    pub text: String,
    /// True for errors, false for help and version (which go to standard output).
    pub to_stderr: bool,
    /// 0 for help and version, 2 for a mistake on the command line.
    pub code: i32,
}

impl Rendered {
    /// Prints the text where clap would have.
    pub fn print(&self) {
        if self.to_stderr {
            eprint!("{}", self.text);
        } else {
            print!("{}", self.text);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::Subcommand;

    /// 示例程序
    #[derive(Parser, Debug)]
    #[command(name = "demo", version)]
    struct Demo {
        /// 数据库文件
        #[arg(long, env = "DEMO_DB", default_value = "a.db")]
        db: String,
        #[command(subcommand)]
        command: Cmd,
    }

    #[derive(Subcommand, Debug)]
    enum Cmd {
        /// 列出
        List {
            /// 条数
            #[arg(long)]
            limit: u32,
        },
    }

    fn rendered(args: &[&str]) -> Rendered {
        try_parse_from::<Demo, _, _>(args.iter().copied()).unwrap_err()
    }

    #[test]
    fn help_headings_flags_and_notes_are_chinese() {
        let help = rendered(&["demo", "--help"]);
        assert!(!help.to_stderr);
        assert_eq!(help.code, 0);
        for zh in [
            "用法：demo [选项] <命令>",
            "命令：",
            "选项：",
            "显示帮助",
            "显示版本号",
            "[默认：a.db]",
            "[环境变量：DEMO_DB=",
        ] {
            assert!(help.text.contains(zh), "{zh} missing from:\n{}", help.text);
        }
        for en in ["Usage", "Commands", "Options", "Print", "default", "env:"] {
            assert!(!help.text.contains(en), "{en} left in:\n{}", help.text);
        }
    }

    #[test]
    fn parse_errors_are_chinese_and_go_to_stderr() {
        let unknown = rendered(&["demo", "--nope"]);
        assert!(unknown.to_stderr);
        assert_eq!(unknown.code, 2);
        assert!(unknown.text.starts_with("错误：无法识别的选项 '--nope'"), "{}", unknown.text);
        assert!(unknown.text.contains("要查看用法，请运行 '--help'。"), "{}", unknown.text);
        let bad = rendered(&["demo", "list", "--limit", "x"]);
        assert!(bad.text.contains("无效的值 'x'，用于 '--limit <LIMIT>'"), "{}", bad.text);
        assert!(bad.text.contains("含有非数字的字符"), "{}", bad.text);
        let missing = rendered(&["demo", "list"]);
        assert!(missing.text.contains("缺少以下必填项："), "{}", missing.text);
    }
}

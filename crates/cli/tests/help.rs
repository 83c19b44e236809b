//! `qingfeng --help` and the help of every command under it are Chinese: clap's own headings and
//! flags as well as every command's and option's description. Walks the whole command tree
//! through the binary's own help output, so a command added later with an English description
//! fails here.

use std::collections::BTreeSet;
use std::process::Command;

/// Words that any English sentence or clap heading contains. A help text holding one of them
/// (other than as the name of a command or option) has English left in it.
const ENGLISH: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "to",
    "for",
    "with",
    "and",
    "or",
    "in",
    "on",
    "from",
    "is",
    "are",
    "this",
    "that",
    "by",
    "as",
    "at",
    "be",
    "it",
    "its",
    "not",
    "no",
    "one",
    "every",
    "each",
    "when",
    "which",
    "what",
    "whether",
    "if",
    "instead",
    "only",
    "all",
    "here",
    "usage",
    "options",
    "commands",
    "arguments",
    "print",
    "help",
    "version",
    "default",
    "possible",
    "values",
    "env",
    "aliases",
    "subcommand",
    "subcommands",
    "message",
    "given",
    "see",
    "more",
];

/// Proper names and formats written as they are in Chinese technical text.
const NAMES: &[&str] = &["Markdown", "Ctrl"];

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qingfeng")).args(args).arg("--help").output().expect("run qingfeng");
    assert!(out.status.success(), "qingfeng {args:?} --help failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("help is UTF-8")
}

/// The commands listed under 命令： in a help text.
fn subcommands(text: &str) -> Vec<String> {
    let Some(start) = text.find("命令：\n") else { return Vec::new() };
    text[start + "命令：\n".len()..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// The ASCII words of `text` that are neither a name the user types (a command, an option, a
/// placeholder in capitals, a value in a `[可选值：…]` list) nor a proper name.
fn english_words(text: &str, names: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '\'')) {
        let word = token.trim_matches(|c| c == '\'' || c == '-');
        // Placeholders (<VERSION>, DATE) and abbreviations (JSON, PDF) are written in capitals.
        let capitals = word.chars().all(|c| !c.is_ascii_lowercase());
        if word.is_empty() || token.starts_with('-') || names.contains(word) || capitals {
            continue;
        }
        let capitalised = word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && word.chars().skip(1).all(|c| c.is_ascii_lowercase())
            && word.len() > 1;
        let common = ENGLISH.contains(&word.to_ascii_lowercase().as_str());
        if (capitalised && !NAMES.contains(&word)) || common {
            found.push(word.to_owned());
        }
    }
    found
}

#[test]
fn every_help_text_is_chinese_but_for_the_names_typed() {
    // Walk the tree first, so that every command's name is known before any text is judged.
    let mut pages: Vec<(Vec<String>, String)> = Vec::new();
    // `help` is clap's command for another command's help, listed with the others.
    let mut names: BTreeSet<String> = ["qingfeng".to_owned(), "help".to_owned()].into();
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(path) = queue.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        for sub in subcommands(&text) {
            names.insert(sub.clone());
            let mut next = path.clone();
            next.push(sub);
            queue.push(next);
        }
        pages.push((path, text));
    }
    assert!(pages.len() > 60, "the walk reached only {} commands", pages.len());
    let top = &pages.iter().find(|(p, _)| p.is_empty()).expect("top-level help").1;
    for heading in ["用法：qingfeng [选项] <命令>", "命令：", "选项：", "显示帮助", "显示版本号"]
    {
        assert!(top.contains(heading), "{heading} missing from:\n{top}");
    }
    let mut failures = Vec::new();
    for (path, text) in &pages {
        let words = english_words(text, &names);
        if !words.is_empty() {
            failures.push(format!("qingfeng {} --help: {words:?}", path.join(" ")));
        }
    }
    assert!(failures.is_empty(), "English left in help texts:\n{}", failures.join("\n"));
}

#[test]
fn a_mistake_on_the_command_line_is_explained_in_chinese() {
    let out = Command::new(env!("CARGO_BIN_EXE_qingfeng")).args(["complaint", "lsit"]).output().expect("run qingfeng");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(err.starts_with("错误：无法识别的命令 'lsit'"), "{err}");
    assert!(err.contains("相近的命令：'list'"), "{err}");
    assert!(err.contains("用法：qingfeng complaint [选项] <命令>"), "{err}");
    assert!(err.contains("要查看用法，请运行 '--help'。"), "{err}");
}

//! The starter set: public rules the domain rests on (DOMAIN.md §3), shipped in the binary and
//! imported through the same path as any file.
//!
//! Only articles whose exact words could be written down faithfully are included, so each file is
//! an excerpt (节选) and says so; a few faithful articles are worth more than many invented ones.
//! Each file's comment lines (`来源：…`) name where its text comes from; an administrator imports
//! the complete official text as a new version when the office has it.

/// The texts, in the order they are loaded.
pub const TEXTS: &[&str] = &[
    include_str!("../../library/gongzhi-renyuan-zhengwu-chufen-fa.md"),
    include_str!("../../library/dang-jilv-chufen-tiaoli.md"),
];

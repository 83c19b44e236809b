//! Key problems and analysis (重点问题目录, 综合分析, 专题分析; issue #19 item 4, seed 001): the
//! catalogue of key problem categories complaints are filed under (`catalogue`), and the analysis
//! report of a period drawn from the office's own records (`report`).

pub mod catalogue;
pub(crate) mod project;
pub mod report;

//! `qingfeng-hub`: runs the hub server and its administration commands.

fn main() {}

// Statistics fixtures shaped exactly like the backend's answers (see bindings.ts).
import type { Statistics, UnitSummary } from "../bindings";
import { SUMMARY, SUMMARY_2 } from "./complaints";

export const STATS: Statistics = {
  from: "2026-01-01",
  to: "2026-06-30",
  total: 42,
  by_month: [
    { key: "2026-01", label: "2026年1月", count: 10 },
    { key: "2026-02", label: "2026年2月", count: 12 },
    // March had none: the backend leaves the month out.
    { key: "2026-04", label: "2026年4月", count: 20 },
  ],
  by_channel: [
    { key: "letter", label: "来信", count: 25 },
    { key: "web", label: "网络", count: 17 },
  ],
  by_category: [
    { key: "违反廉洁纪律", label: "违反廉洁纪律", count: 30 },
    { key: "违反群众纪律", label: "违反群众纪律", count: 8 },
  ],
  by_unit: [
    { key: "县住建局", label: "县住建局", count: 9 },
    { key: "某镇人民政府", label: "某镇人民政府", count: 4 },
  ],
  by_status: [
    { key: "concluded", label: "已办结", count: 22 },
    { key: "registered", label: "待筛选", count: 20 },
  ],
  with_deadlines: 40,
  overdue: 5,
  overdue_per_mille: 125,
};

export const UNIT: UnitSummary = {
  unit: "住建局",
  total: 2,
  by_status: [
    { key: "registered", label: "待筛选", count: 1 },
    { key: "inquiry", label: "谈话函询中", count: 1 },
  ],
  by_category: [{ key: "违反廉洁纪律", label: "违反廉洁纪律", count: 2 }],
  people: [
    { key: "王五（局长）", label: "王五（局长）", count: 2 },
    { key: "赵六（副局长）", label: "赵六（副局长）", count: 1 },
  ],
  complaints: [SUMMARY, SUMMARY_2],
};

// 工作台 fixtures shaped exactly like the backend's answers (see bindings.ts).
import type { WorkItem, Worklist } from "../bindings";

export function workItem(over: Partial<WorkItem> = {}): WorkItem {
  return {
    key: "screen:c-1",
    kind: "complaint",
    kind_label: "检举控告",
    task: "筛选：决定受理移送、重复、报送、转送或不予受理",
    record: "530102-2026-00001",
    summary: "反映某局局长王五违规收受礼金（被反映人：王五（某局局长））",
    duty: "信访室",
    deadline_label: "受理告知",
    due: "2026-11-23",
    provisional: false,
    light: "yellow",
    light_note: "2 个工作日内到期",
    since: "2026-11-02",
    target: { page: "complaint", id: "c-1" },
    ...over,
  };
}

export const WORKLIST: Worklist = {
  today: "2026-11-20",
  items: [
    workItem({
      key: "overdue:d-9:c-2",
      record: "530102-2026-00002",
      task: "督办：监督检查室的函询回复已逾期",
      duty: "监督检查室",
      deadline_label: "函询回复",
      due: "2026-11-10",
      light: "red",
      light_note: "已逾期 8 个工作日",
      target: { page: "complaint", id: "c-2" },
    }),
    workItem(),
    workItem({
      key: "item:p-1:1:submit",
      kind: "execution",
      kind_label: "处分执行",
      task: "督促某县住建局办理并提交第 1 项：送达处分决定并抄送有关单位",
      record: "五纪处〔2026〕3号",
      summary: "李某某，记过",
      duty: "某县住建局（责任单位）",
      deadline_label: "送达处分决定",
      due: "2027-01-04",
      light: "green",
      light_note: "还有 30 个工作日",
      target: { page: "penalty", id: "p-1" },
    }),
    workItem({
      key: "quarterly:q-1",
      kind: "quarterly_report",
      kind_label: "季度报告",
      task: "向信访室报送2026年第4季度办结情况",
      record: "2026年第4季度",
      summary: "监督检查室本季度办结的检举控告及其结果",
      duty: "监督检查室",
      deadline_label: "季度办结情况报告",
      due: "2027-01-15",
      light: "green",
      light_note: "还有 38 个工作日",
      target: { page: "quarterly_report", department: "supervision", quarter: "2026Q4" },
    }),
  ],
  counts: [
    { kind: "complaint", label: "检举控告", total: 2, red: 1, yellow: 1 },
    { kind: "execution", label: "处分执行", total: 1, red: 0, yellow: 0 },
    { kind: "quarterly_report", label: "季度报告", total: 1, red: 0, yellow: 0 },
  ],
  total: 4,
  red: 1,
  yellow: 1,
};

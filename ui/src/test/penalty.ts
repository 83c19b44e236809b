// Penalty-execution fixtures for screen tests: a decision with three items, a board, a queue, a
// rectification list, a person's page.
import type { Board, BoardRow, ChecklistDetail, ItemView, PenaltyDetail, PenaltyStats, PersonPage, QueueRow } from "../bindings";

export function item(over: Partial<ItemView> = {}): ItemView {
  return {
    ord: 1,
    kind: "serve",
    title: "送达处分决定并抄送",
    status: "open",
    status_label: "待办理",
    light: "green",
    idle: false,
    due: "2026-12-20",
    due_date: "2026-12-20",
    provisional: false,
    deadline_kind: "penalty_serve",
    deadline_label: "送达处分决定",
    responsible_unit: "区教育局党组",
    measures: "",
    result: null,
    payment: false,
    amount_due: null,
    amount_paid: null,
    amount_remaining: null,
    max_score: null,
    score: null,
    letters: [],
    extendable_to: null,
    rejections: 0,
    review_note: null,
    last_action_date: null,
    submissions: [],
    payments: [],
    guidance: [],
    steps: [],
    waiting: null,
    blocked: null,
    ...over,
  };
}

/** The waiting notes the core gives a viewer who may not take an item's next step. */
export const AWAITING_UNIT = "待责任单位办理后，由案件监督管理室提交办理情况和证明材料。";
export const AWAITING_REVIEW = "已提交，等待案件审理室审核。";

export const PENALTY: PenaltyDetail = {
  id: "p-1",
  form: {
    person: {
      name: "李四",
      unit: "区教育局",
      post: "副局长",
      rank: "一级主任科员",
      party_member: true,
      deputy: false,
      cppcc_member: false,
      non_party_cadre: false,
    },
    decision_number: "五纪处〔2026〕3号",
    deciding_body: "五华区纪委",
    party_penalty: "serious_warning",
    probation_years: null,
    government_sanction: null,
    sanction_count: null,
    sanction_months: null,
    decision_date: "2026-11-02",
    approval_date: "2026-11-02",
    responsible_units: ["区教育局党组"],
    confiscate: "3500.00",
    repay: null,
    organisational_handling: null,
    complaint_id: null,
  },
  decision_number: "五纪处〔2026〕3号",
  penalty_label: "党内严重警告",
  status: "executing",
  amount_due: "3500.00",
  template_id: "penalty.standard",
  template_version: 1,
  influence_period: { start: "2026-11-02", end: "2028-05-01", permanent: false },
  periods: [
    {
      system: "party",
      penalty: "serious_warning",
      label: "党内严重警告",
      start: "2026-11-02",
      months: 18,
      end: "2028-05-01",
      permanent: false,
    },
  ],
  report_due: "2027-05-02",
  report_light: "green",
  current_ord: 1,
  // As 案件监督管理室 sees it: item 1 may be submitted, the payment item takes payments already.
  items: [
    item({ steps: ["submit"] }),
    item({ ord: 2, kind: "announce", title: "宣布处分决定", status: "pending", status_label: "待开启", light: null, due: null, due_date: null }),
    item({
      ord: 3,
      kind: "confiscate",
      title: "收缴违纪所得",
      status: "pending",
      status_label: "待开启",
      light: null,
      due: null,
      due_date: null,
      payment: true,
      amount_due: "3500.00",
      amount_paid: "0.00",
      amount_remaining: "3500.00",
      steps: ["record_payment"],
    }),
  ],
  flags: [],
  reform: null,
  may_start_reform: true,
};

/** The decision once item 1 was submitted (by someone) and awaits review, as 案件审理室 sees it. */
export const SUBMITTED: PenaltyDetail = {
  ...PENALTY,
  items: [
    item({
      status: "submitted",
      status_label: "待审核",
      steps: ["approve", "reject"],
      last_action_date: "2026-11-10",
      submissions: [
        {
          date: "2026-11-10",
          note: "已送达本人",
          measures: null,
          result: null,
          evidence: [{ sha256: "ab12", name: "送达回证.pdf", media_type: "application/pdf", size: 1200 }],
          submitted_by: "王五",
          submitted_at: "2026-11-10T09:00:00+08:00",
          outcome: "pending",
          reviewed_by: null,
          review_date: null,
          review_note: null,
        },
      ],
    }),
    ...PENALTY.items.slice(1),
  ],
};

/** The same, as 案件监督管理室 sees it: nothing to do but wait for the review. */
export const SUBMITTED_FOR_UNIT: PenaltyDetail = {
  ...SUBMITTED,
  items: [{ ...SUBMITTED.items[0]!, steps: [], waiting: AWAITING_REVIEW }, ...SUBMITTED.items.slice(1)],
};

/** Item 1 approved, item 2 open: the next item opened (as 案件审理室 sees it). */
export const ADVANCED: PenaltyDetail = {
  ...PENALTY,
  current_ord: 2,
  items: [
    item({ status: "approved", status_label: "已通过", light: "done" }),
    item({ ord: 2, kind: "announce", title: "宣布处分决定", status: "open", status_label: "待办理", light: "yellow", waiting: AWAITING_UNIT }),
    { ...PENALTY.items[2]!, steps: [] },
  ],
};

export function row(over: Partial<BoardRow> = {}): BoardRow {
  return {
    id: "p-1",
    scope: "penalty",
    title: "李四 党内严重警告",
    decision_number: "五纪处〔2026〕3号",
    person_name: "李四",
    person_unit: "区教育局",
    penalty_label: "党内严重警告",
    start_date: "2026-11-02",
    status: "open",
    current: {
      ord: 1,
      kind: "serve",
      title: "送达处分决定并抄送",
      status: "open",
      responsible_unit: "区教育局党组",
      due: "2026-12-02",
      light: "green",
      idle: false,
    },
    light: "green",
    items_done: 0,
    items_total: 9,
    ...over,
  };
}

export const BOARD: Board = {
  rows: [
    row(),
    row({
      id: "p-2",
      decision_number: "五纪处〔2026〕1号",
      person_name: "赵六",
      penalty_label: "记过",
      light: "red",
      current: { ...row().current!, ord: 4, title: "调整职务职级工资待遇", status: "rejected", light: "red" },
      items_done: 3,
    }),
  ],
  counts: { green: 1, yellow: 0, red: 1 },
  may_register: true,
};

export const QUEUE: QueueRow[] = [
  {
    checklist_id: "p-1",
    scope: "penalty",
    checklist_title: "李四 党内严重警告",
    ord: 1,
    kind: "serve",
    title: "送达处分决定并抄送",
    responsible_unit: "区教育局党组",
    submitted_by: "王五",
    submitted_date: "2026-11-10",
    due: "2026-12-02",
    light: "green",
    idle: false,
    can_review: true,
  },
];

export const PENALTY_STATS: PenaltyStats = {
  items_approved: 20,
  approved_on_time: 15,
  open_overdue: 3,
  by_month: [
    { key: "2026-10", reviewed: 10, rejected: 2 },
    { key: "2026-11", reviewed: 12, rejected: 1 },
  ],
  by_unit: [{ key: "区教育局党组", reviewed: 22, rejected: 3 }],
  reform_lists: 2,
  reform_done: 1,
  guidance_given: 3,
  guidance_by_month: [{ month: "2026-11", count: 3 }],
};

/** A scored rectification list run in parallel: one item approved, one open and overdue, one
 * submitted (as 监督检查室 sees it). */
export const CHECKLIST: ChecklistDetail = {
  id: "r-1",
  title: "区住建局党组“两个责任”落实情况考核",
  source: "two_responsibilities",
  start_date: "2026-10-20",
  status: "open",
  sequential: false,
  template_id: "rectification.two_responsibilities",
  template_version: 1,
  items: [
    item({
      kind: "main_duty_planning",
      title: "党委（党组）研究部署全面从严治党和党风廉政建设工作",
      status: "approved",
      status_label: "已通过",
      light: "done",
      deadline_kind: "rectification_item",
      deadline_label: "整改事项",
      responsible_unit: "区住建局党组",
      max_score: "20.00",
      score: "18.00",
    }),
    item({
      ord: 2,
      kind: "problem_2",
      title: "工程项目招投标监管不到位",
      status: "open",
      light: "red",
      due: "2026-11-01",
      due_date: "2026-11-01",
      deadline_kind: "rectification_item",
      deadline_label: "整改事项",
      responsible_unit: "区住建局",
      measures: "修订招投标监管办法",
      steps: ["submit"],
    }),
    item({
      ord: 3,
      kind: "problem_3",
      title: "公务用车管理不规范",
      status: "submitted",
      status_label: "待审核",
      light: "yellow",
      steps: ["approve", "reject"],
      deadline_kind: "rectification_item",
      deadline_label: "整改事项",
      responsible_unit: "区住建局",
    }),
  ],
  total_score: "18.00",
  max_score: "20.00",
  reform_of: null,
};

/** 李四's page: one decision, a promotion inside its period (flagged) and an appraisal after. */
export const PERSON: PersonPage = {
  name: "李四",
  unit: "区教育局",
  penalties: [
    {
      id: "p-1",
      decision_number: "五纪处〔2026〕3号",
      penalty_label: "党内严重警告",
      decision_date: "2026-11-02",
      periods: PENALTY.periods,
    },
  ],
  benefits: [
    {
      id: "b-2",
      kind: "appraisal",
      kind_label: "年度考核",
      date: "2028-12-31",
      grade: "competent",
      detail: "",
      flags: [],
    },
    {
      id: "b-1",
      kind: "promotion",
      kind_label: "晋升职务职级",
      date: "2027-03-01",
      grade: null,
      detail: "晋升为二级主任科员",
      flags: ["处于“党内严重警告”影响期内（2026-11-02 至 2028-05-01），不得晋升职务、职级。"],
    },
  ],
  in_influence_period: true,
  may_record_benefit: true,
};

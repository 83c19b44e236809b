// Complaint fixtures shaped exactly like the backend's answers (see bindings.ts).
import type {
  ComplaintDetail,
  ComplaintSummary,
  Dashboard,
  DeadlineView,
  InboxItem,
  SimilarComplaint,
} from "../bindings";

// Counts arrive as plain JSON numbers (the bindings type them as number).
const n = (v: number) => v;

export const SUMMARY: ComplaintSummary = {
  id: "c-1",
  number: "530102-2026-00001",
  channel: "letter",
  received_date: "2026-11-02",
  status: "registered",
  status_label: "待筛选",
  department: null,
  summary: "反映某局局长王五违规收受礼金",
  subjects: ["王五（某局局长）"],
  real_name: true,
  anonymous: false,
  reporter_display: "实名（身份已屏蔽）",
  next_due: "2026-11-23",
  light: "yellow",
};

export const SUMMARY_2: ComplaintSummary = {
  id: "c-2",
  number: "530102-2026-00002",
  channel: "web",
  received_date: "2026-10-09",
  status: "inquiry",
  status_label: "谈话函询中",
  department: "supervision",
  summary: "反映某镇违规发放补贴",
  subjects: ["某镇人民政府"],
  real_name: false,
  anonymous: true,
  reporter_display: "匿名",
  next_due: "2026-11-10",
  light: "red",
};

export function deadline(over: Partial<DeadlineView> = {}): DeadlineView {
  return {
    id: "d-1",
    aggregate: "complaint:c-1",
    kind: "acceptance_notice",
    label: "受理告知",
    basis: "自 2026-11-02 起 15 个工作日",
    start: "2026-11-02",
    due: "2026-11-23",
    provisional: false,
    status: "open",
    light: "yellow",
    working_days_left: n(3),
    closed_date: null,
    ...over,
  };
}

export const DEADLINES: DeadlineView[] = [
  deadline(),
  deadline({
    id: "d-2",
    kind: "result_feedback",
    label: "结果反馈",
    basis: "自 2026-10-01 起 15 个工作日",
    due: "2026-10-30",
    light: "red",
    working_days_left: n(-4),
  }),
  deadline({
    id: "d-3",
    kind: "inquiry_reply",
    label: "函询回复",
    due: "2027-01-20",
    light: "green",
    provisional: true,
    working_days_left: n(40),
  }),
  deadline({
    id: "d-4",
    kind: "report_upward",
    label: "向上报送",
    status: "done",
    light: "done",
    working_days_left: n(0),
    closed_date: "2026-11-05",
  }),
  deadline({
    id: "d-5",
    kind: "transfer_downward",
    label: "向下转送",
    status: "cancelled",
    light: "cancelled",
    working_days_left: n(0),
    closed_date: "2026-11-04",
  }),
];

export const DETAIL: ComplaintDetail = {
  summary: SUMMARY,
  content: "王五在2026年中秋节期间收受管理服务对象礼金。\n请组织调查。",
  categories: ["违反廉洁纪律"],
  subject_details: [{ name: "王五", post: "局长", unit: "某局", level: "县管干部" }],
  real_name_verified: "phone",
  outcome: null,
  outcome_note: null,
  refer_to: null,
  refer_to_name: null,
  disposal: null,
  result: null,
  accusation: null,
  clearance: false,
  repeat_of: null,
  deadlines: [deadline()],
  timeline: [
    { seq: n(7), time: "2026-11-02 09:15", actor: "李信访", kind: "complaint.registered", text: "登记检举控告" },
  ],
  approvals: [],
  can_reveal_reporter: true,
  actions: ["screen", "reveal_reporter"],
  notices: [],
  pending_approval: null,
  attachments: [],
  owner: { code: "530102", name: "五华区纪委监委" },
  handled_here: true,
  assign_targets: [],
  handover_targets: { report_upward: [], transfer_downward: [], assign: [], lateral: [] },
  conflicts: [],
};

export function detailWith(over: Partial<ComplaintDetail>, summary: Partial<ComplaintSummary> = {}): ComplaintDetail {
  return { ...DETAIL, ...over, summary: { ...DETAIL.summary, ...summary } };
}

export const PENDING_DETAIL = detailWith(
  {
    actions: ["decide_approval"],
    pending_approval: "a-1",
    approvals: [
      {
        id: "a-1",
        action: "处置：谈话函询",
        reason: "经室务会集体研究，拟谈话函询。",
        requested_by: "赵监督",
        requested_at: "2026-11-10 10:00",
        status: "pending",
        decided_by: null,
        comment: null,
        upper_office: null,
      },
    ],
  },
  { status: "with_department", status_label: "已移送承办部门", department: "supervision" },
);

export const INBOX: InboxItem[] = [
  { complaint: SUMMARY, task: "待筛选" },
  { complaint: SUMMARY_2, task: "逾期督办" },
];

export const DASHBOARD: Dashboard = {
  today: "2026-11-20",
  red: 1,
  yellow: 2,
  green: 3,
  items: [
    {
      deadline: deadline({ id: "d-9", kind: "inquiry_reply", label: "函询回复", due: "2026-11-10", light: "red", working_days_left: n(-8) }),
      complaint_id: "c-2",
      number: "530102-2026-00002",
      summary: "反映某镇违规发放补贴",
    },
    {
      deadline: deadline(),
      complaint_id: "c-1",
      number: "530102-2026-00001",
      summary: "反映某局局长王五违规收受礼金",
    },
  ],
};

export const SIMILAR: SimilarComplaint[] = [
  { complaint: SUMMARY_2, reasons: ["被反映人相同：王五", "摘要内容相近"] },
];

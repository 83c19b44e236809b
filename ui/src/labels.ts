// All Chinese names for enum values live here.
import type {
  CaseStage,
  AccusationFinding,
  ComplaintActionKind,
  ComplaintChannel,
  ComplaintStatus,
  DeadlineKind,
  DeadlineView,
  DisposalMethod,
  Light,
  OfficeLevel,
  Role,
  ScreeningOutcome,
  AppraisalGrade,
  BenefitKind,
  GovernmentSanction,
  ItemStatus,
  PartyPenalty,
  RectificationSource,
} from "./bindings";

export const OFFICE_LEVEL_LABELS: Record<OfficeLevel, string> = {
  province: "省级",
  prefecture: "州市级",
  county: "县级",
};

export const OFFICE_LEVEL_OPTIONS: Array<{ value: OfficeLevel; label: string }> = (
  ["province", "prefecture", "county"] as const
).map((value) => ({ value, label: OFFICE_LEVEL_LABELS[value] }));

export const ROLE_LABELS: Record<Role, string> = {
  admin: "系统管理员",
  petitions: "信访室",
  supervision: "监督检查室",
  investigation: "审查调查室",
  case_management: "案件监督管理室",
  trial: "案件审理室",
  leader: "分管领导",
};

/** Display order for role tags. */
export const ROLE_ORDER: Role[] = [
  "leader",
  "admin",
  "petitions",
  "supervision",
  "investigation",
  "case_management",
  "trial",
];

/** Posts that handle complaints and read case records; an account with none of them (a pure
 * administrator) sees no case work and cites nothing. */
export const CASE_ROLES: ReadonlySet<string> = new Set<Role>([
  "petitions",
  "supervision",
  "investigation",
  "case_management",
  "trial",
  "leader",
]);

export function officeLevelLabel(level: OfficeLevel | string): string {
  return OFFICE_LEVEL_LABELS[level as OfficeLevel] ?? level;
}

export function roleLabel(role: Role | string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

export const WEEKDAY_LABELS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

export const WORKING_DAY_LABEL = "工作日";
export const REST_DAY_LABEL = "休息日";
export const PROVISIONAL_CALENDAR_LABEL = "日历未收录该年，仅按周末推算";

/**
 * "2026-11-21" -> "2026年11月21日 星期六". The weekday is computed from the
 * date itself; `weekday` (ISO, 1 = Monday … 7 = Sunday) is used only if the
 * date cannot be parsed.
 */
export function formatChineseDate(date: string, weekday?: number): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(date.trim());
  if (!m) {
    const wd = weekday !== undefined && weekday >= 1 && weekday <= 7 ? WEEKDAY_LABELS[weekday % 7] : "";
    return wd ? `${date} ${wd}` : date;
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dow = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return `${y}年${mo}月${d}日 ${WEEKDAY_LABELS[dow]}`;
}

// ---------------------------------------------------------------------------
// Complaints (检举控告)

type Option<T extends string> = { value: T; label: string };

function optionsOf<T extends string>(labels: Record<T, string>, order: readonly T[]): Array<Option<T>> {
  return order.map((value) => ({ value, label: labels[value] }));
}

/** Looks a value up in a label table; unknown values are shown as they are. */
export function labelOf<T extends string>(labels: Record<T, string>, value: T | string | null | undefined): string {
  if (value === null || value === undefined) return "";
  return (labels as Record<string, string>)[value] ?? value;
}

export const CHANNEL_LABELS: Record<ComplaintChannel, string> = {
  letter: "来信",
  visit: "来访",
  phone: "来电",
  web: "网络",
};
export const CHANNEL_OPTIONS = optionsOf(CHANNEL_LABELS, ["letter", "visit", "phone", "web"] as const);

export const STATUS_LABELS: Record<ComplaintStatus, string> = {
  registered: "待筛选",
  with_department: "已移送承办部门",
  repeat: "重复举报（存查）",
  reported_upward: "已向上报送",
  transferred_downward: "已向下转送",
  not_accepted: "不予受理",
  inquiry: "谈话函询中",
  verification: "初步核实中",
  held: "暂存待查",
  case_filed: "已立案审查调查",
  concluded: "已办结",
  assigned: "已交办下级",
  handed_laterally: "已平级移交",
};
export const STATUS_OPTIONS = optionsOf(STATUS_LABELS, [
  "registered",
  "with_department",
  "repeat",
  "reported_upward",
  "transferred_downward",
  "not_accepted",
  "inquiry",
  "verification",
  "held",
  "case_filed",
  "concluded",
  "assigned",
  "handed_laterally",
] as const);

/** Tag colour of each status: calm blue while in hand, grey once closed. */
export const STATUS_COLORS: Record<ComplaintStatus, string> = {
  registered: "blue",
  with_department: "geekblue",
  repeat: "default",
  reported_upward: "purple",
  transferred_downward: "purple",
  not_accepted: "default",
  inquiry: "cyan",
  verification: "cyan",
  held: "orange",
  case_filed: "magenta",
  concluded: "green",
  assigned: "purple",
  handed_laterally: "purple",
};

export const OUTCOME_LABELS: Record<ScreeningOutcome, string> = {
  accept_transfer: "受理并移送",
  repeat: "重复举报",
  report_upward: "向上报送",
  transfer_downward: "向下转送",
  not_accepted: "不予受理",
};
export const OUTCOME_OPTIONS = optionsOf(OUTCOME_LABELS, [
  "accept_transfer",
  "repeat",
  "report_upward",
  "transfer_downward",
  "not_accepted",
] as const);

/** What the 去向 field is called for each screening outcome that has one. */
export const REFER_TO_LABELS: Partial<Record<ScreeningOutcome, string>> = {
  not_accepted: "去向（告知检举人向何处反映）",
  report_upward: "报送机关",
  transfer_downward: "转送机关",
};

export const DISPOSAL_LABELS: Record<DisposalMethod, string> = {
  inquiry: "谈话函询",
  verification: "初步核实",
  hold: "暂存待查",
  close: "予以了结",
  file_case: "立案审查调查",
};
export const DISPOSAL_OPTIONS = optionsOf(DISPOSAL_LABELS, [
  "inquiry",
  "verification",
  "hold",
  "close",
  "file_case",
] as const);

export const ACCUSATION_LABELS: Record<AccusationFinding, string> = {
  none: "无",
  mistaken: "错告",
  false: "诬告陷害",
};
export const ACCUSATION_OPTIONS = optionsOf(ACCUSATION_LABELS, ["none", "mistaken", "false"] as const);

/** Departments a complaint can be transferred to. */
export const DEPARTMENT_OPTIONS: Array<Option<"supervision" | "investigation">> = [
  { value: "supervision", label: ROLE_LABELS.supervision },
  { value: "investigation", label: ROLE_LABELS.investigation },
];

export const VERIFICATION_LABELS: Record<"phone" | "in_person", string> = {
  phone: "电话核实",
  in_person: "当面核实",
};
export const VERIFICATION_OPTIONS: Array<{ value: "none" | "phone" | "in_person"; label: string }> = [
  { value: "none", label: "未核实" },
  { value: "phone", label: VERIFICATION_LABELS.phone },
  { value: "in_person", label: VERIFICATION_LABELS.in_person },
];

export const SUBJECT_LEVELS = ["县管干部", "市管干部", "省管干部", "其他"] as const;

export const CATEGORY_SUGGESTIONS = [
  "违反廉洁纪律",
  "违反群众纪律",
  "违反工作纪律",
  "违反组织纪律",
  "违反生活纪律",
  "违反政治纪律",
  "失职失责",
] as const;

export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  acceptance_notice: "受理告知",
  report_upward: "向上报送",
  transfer_downward: "向下转送",
  transfer_registration: "转送件登记",
  inquiry_reply: "函询回复",
  result_feedback: "结果反馈",
  trial_review: "审理期限",
  detention_end: "留置期限",
  detention_reminder: "留置到期提醒",
  quarterly_report: "季度办结情况报告",
  assignment_report: "交办结果报告",
  supervision_report: "督办结果报告",
  penalty_serve: "送达处分决定",
  penalty_announce: "宣布处分决定",
  penalty_post_pay: "调整职务职级工资待遇",
  penalty_execution_report: "执行情况报告",
  penalty_restoration: "恢复权利（影响期满）",
  checklist_item: "执行事项",
  rectification_item: "整改事项",
  letter_feedback: "监督建议反馈",
  opinion_reply: "廉政意见回复",
};

/** Stages of a filed case, in the order they must be recorded. */
export const CASE_STAGE_OPTIONS: { value: CaseStage; label: string }[] = [
  { value: "filed", label: "立案" },
  { value: "investigation", label: "审查调查" },
  { value: "trial_accepted", label: "移送审理" },
  { value: "decided", label: "作出处理决定" },
];

export const LIGHT_LABELS: Record<Light, string> = {
  red: "已逾期",
  yellow: "临近",
  green: "正常",
  done: "已完成",
  cancelled: "已取消",
};

/** antd Tag colours for the countdown lights. */
export const LIGHT_COLORS: Record<Light, string> = {
  red: "red",
  yellow: "gold",
  green: "green",
  done: "default",
  cancelled: "default",
};

export const APPROVAL_STATUS_LABELS: Record<string, string> = {
  pending: "待审批",
  granted: "已同意",
  refused: "不同意",
};

export const ACTION_LABELS: Record<ComplaintActionKind, string> = {
  screen: "筛选",
  notify_acceptance: "告知受理",
  record_forwarded: "记录报送转送",
  request_return: "提请退回",
  request_disposal: "提请处置",
  decide_approval: "审批",
  record_inquiry_reply: "函询回复",
  conclude: "办结",
  record_feedback: "结果反馈",
  record_objection: "反馈意见",
  reveal_reporter: "查看身份",
  record_case_milestone: "记录案件阶段",
  start_detention: "采取留置",
  extend_detention: "延长留置",
  end_detention: "解除留置",
  request_assignment: "交办下级",
  request_lateral: "平级移交",
  request_supervision: "督办",
  report_result: "上报办理结果",
  request_detention: "提请上级批准留置",
  request_detention_extension: "提请上级批准延长留置",
};

/** Shown after each step succeeds. */
export const ACTION_DONE: Record<ComplaintActionKind, string> = {
  screen: "筛选结果已保存",
  notify_acceptance: "已记录受理告知",
  record_forwarded: "已记录报送或转送",
  request_return: "已提请退回，等待领导审批",
  request_disposal: "已提请处置，等待领导审批",
  decide_approval: "审批意见已保存",
  record_inquiry_reply: "已记录函询回复",
  conclude: "已办结",
  record_feedback: "已记录结果反馈",
  record_objection: "已记录检举人的反馈意见",
  reveal_reporter: "",
  record_case_milestone: "已记录案件阶段",
  start_detention: "已记录留置",
  extend_detention: "已记录延长留置",
  end_detention: "已记录解除留置",
  request_assignment: "已提请交办，等待领导审批",
  request_lateral: "已提请平级移交，等待领导审批",
  request_supervision: "已提请督办，等待领导审批",
  report_result: "已向上级上报办理结果",
  request_detention: "已报上一级机关批准，等待批复",
  request_detention_extension: "已报上一级机关批准延长，等待批复",
};

export const PROVISIONAL_DEADLINE_LABEL = "暂定：日历未收录该年";

/** "剩 3 个工作日", "已逾期 2 个工作日", "今日到期", "已完成", "已取消". */
export function countdownText(d: Pick<DeadlineView, "status" | "light" | "working_days_left">): string {
  if (d.status === "done" || d.light === "done") return LIGHT_LABELS.done;
  if (d.status === "cancelled" || d.light === "cancelled") return LIGHT_LABELS.cancelled;
  const n = Number(d.working_days_left);
  if (n < 0) return `已逾期 ${-n} 个工作日`;
  if (d.light === "red") return "已逾期";
  if (n === 0) return "今日到期";
  return `剩 ${n} 个工作日`;
}

// ---------------------------------------------------------------------------
// Penalty execution (处分决定执行) and rectification lists (整改清单).

export const PARTY_PENALTY_LABELS: Record<PartyPenalty, string> = {
  warning: "党内警告",
  serious_warning: "党内严重警告",
  removal_from_post: "撤销党内职务",
  probation: "留党察看",
  expulsion: "开除党籍",
};

export const PARTY_PENALTY_OPTIONS = optionsOf(PARTY_PENALTY_LABELS, [
  "warning",
  "serious_warning",
  "removal_from_post",
  "probation",
  "expulsion",
] as const);

export const GOVERNMENT_SANCTION_LABELS: Record<GovernmentSanction, string> = {
  warning: "政务警告",
  demerit: "记过",
  major_demerit: "记大过",
  demotion: "降级",
  dismissal: "撤职",
  expulsion: "开除",
};

export const GOVERNMENT_SANCTION_OPTIONS = optionsOf(GOVERNMENT_SANCTION_LABELS, [
  "warning",
  "demerit",
  "major_demerit",
  "demotion",
  "dismissal",
  "expulsion",
] as const);

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  pending: "待开启",
  open: "待办理",
  submitted: "待审核",
  rejected: "已驳回",
  approved: "已通过",
};

/** antd Tag colours for item states: a rejection must stand out, an approval recede. */
export const ITEM_STATUS_COLORS: Record<ItemStatus, string> = {
  pending: "default",
  open: "processing",
  submitted: "purple",
  rejected: "error",
  approved: "success",
};

export const CHECKLIST_STATUS_LABELS: Record<string, string> = {
  executing: "执行中",
  executed: "执行完毕",
  open: "整改中",
  done: "已完成",
};

export const RECTIFICATION_SOURCE_LABELS: Record<RectificationSource, string> = {
  inspection_tour: "巡察",
  audit: "审计",
  special_supervision: "专项监督",
  two_responsibilities: "“两个责任”考核",
  reform_by_case: "以案促改",
};

// 以案促改 is not among them: such a list is started from its penalty decision's page.
export const RECTIFICATION_SOURCE_OPTIONS = optionsOf(RECTIFICATION_SOURCE_LABELS, [
  "inspection_tour",
  "audit",
  "special_supervision",
  "two_responsibilities",
] as const);

export const BENEFIT_KIND_LABELS: Record<BenefitKind, string> = {
  appraisal: "年度考核",
  promotion: "晋升职务职级",
  award: "评先评优",
  pay_step: "晋升工资档次",
};

export const APPRAISAL_GRADE_LABELS: Record<AppraisalGrade, string> = {
  excellent: "优秀",
  competent: "称职",
  basically_competent: "基本称职",
  incompetent: "不称职",
  undetermined: "不定等次",
};

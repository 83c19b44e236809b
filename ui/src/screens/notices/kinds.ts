// Notice kinds as the UI names them, and which ones a record's page offers in its state. The
// backend checks every state again and refuses with a Chinese reason; these only avoid offering
// buttons that could never work.
import type { ComplaintDetail } from "../../bindings";

export const NOTICE_KINDS: Array<{ kind: string; label: string }> = [
  { kind: "acceptance", label: "受理告知书" },
  { kind: "non_acceptance", label: "不予受理告知书" },
  { kind: "result_feedback", label: "处理结果反馈" },
  { kind: "inquiry", label: "函询函" },
  { kind: "service_receipt", label: "送达回执" },
  { kind: "announcement", label: "宣布记录" },
  { kind: "notification_letter", label: "函告" },
  { kind: "rectification", label: "整改通知书" },
  { kind: "integrity_reply", label: "廉政意见回复" },
];

export function noticeLabel(kind: string): string {
  return NOTICE_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** The notices a complaint's page offers: to the reporter (petitions) or the inquiry letter. */
export function complaintNotices(detail: ComplaintDetail, roles: string[]): string[] {
  const s = detail.summary;
  const out: string[] = [];
  if (!detail.handled_here) return out;
  const petitions = roles.includes("petitions");
  const accepted = ["with_department", "inquiry", "verification", "held", "case_filed", "concluded"].includes(s.status);
  if (petitions && !s.anonymous && s.real_name && accepted && !detail.repeat_of) out.push("acceptance");
  if (petitions && !s.anonymous && s.status === "not_accepted") out.push("non_acceptance");
  if (petitions && !s.anonymous && s.real_name && s.status === "concluded") out.push("result_feedback");
  if (s.status === "inquiry" && s.department !== null && roles.includes(s.department)) out.push("inquiry");
  return out;
}

/** The notice an execution item calls for, if any (by the item's template code). */
export function itemNotice(itemKind: string): string | null {
  switch (itemKind) {
    case "serve":
      return "service_receipt";
    case "announce":
      return "announcement";
    case "notify_bodies":
      return "notification_letter";
    default:
      return null;
  }
}

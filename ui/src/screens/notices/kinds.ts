// Notice kinds as the UI names them, and which one an execution item calls for. Which notices a
// complaint's page offers is the core's answer (`ComplaintDetail.notices`), not decided here.

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
  { kind: "supervision_suggestion", label: "监督建议书" },
  { kind: "reminder_letter", label: "提醒函" },
  { kind: "circular", label: "监督通报" },
];

export function noticeLabel(kind: string): string {
  return NOTICE_KINDS.find((k) => k.kind === kind)?.label ?? kind;
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

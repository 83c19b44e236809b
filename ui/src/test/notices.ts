// Notice fixtures shaped exactly like the backend's answers (see bindings.ts).
import type { IssuedDocument, NoticeForm, NoticePreview } from "../bindings";

export const ANNOUNCE_FORM: NoticeForm = {
  kind: "announcement",
  title: "处分决定宣布记录",
  template_version: 1,
  fields: [
    { name: "time", label: "宣布时间", field_type: "text", required: true, value: null, locked: false },
    { name: "place", label: "宣布地点", field_type: "text", required: true, value: null, locked: false },
    { name: "person", label: "受处分人", field_type: "text", required: true, value: "刘受处", locked: true },
    { name: "decision_number", label: "处分决定文号", field_type: "doc_number", required: true, value: "五纪处〔2026〕3号", locked: true },
    { name: "opinion", label: "受处分人意见", field_type: "multiline", required: false, value: null, locked: false },
  ],
};

export const PREVIEW: NoticePreview = { title: "处分决定宣布记录", next_number: "五纪宣〔2026〕4号", pages: ["iVBORw0KGgo="] };

export const ISSUED: IssuedDocument = {
  id: "d-1",
  kind: "announcement",
  kind_name: "处分决定宣布记录",
  title: "处分决定宣布记录",
  number: "五纪宣〔2026〕4号",
  year: 2026,
  serial: 4,
  aggregate: "penalty:p-1",
  record_label: "五纪处〔2026〕3号",
  template_version: 1,
  pdf_sha256: "ab".repeat(32),
  pdf_size: 40_000,
  issue_date: "2026-11-20",
  issued_by: "孙案管",
  issued_at: "2026-11-20 10:02",
  duplicate_number: false,
};

export const ISSUED_2: IssuedDocument = {
  ...ISSUED,
  id: "d-2",
  kind: "acceptance",
  kind_name: "受理告知书",
  title: "受理告知书",
  number: "五纪受〔2026〕12号",
  serial: 12,
  aggregate: "complaint:c-1",
  record_label: "530102-2026-00001",
  issued_by: "李信访",
};

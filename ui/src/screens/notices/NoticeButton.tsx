// A button that opens the notice dialog for one kind and record, used on the complaint page,
// an execution item and a rectification list.
import { Button } from "antd";
import { useState } from "react";
import type { IssuedDocument, NoticeRecord } from "../../bindings";
import { noticeLabel } from "./kinds";
import { NoticeDialog } from "./NoticeDialog";

export function NoticeButton({
  kind,
  record,
  onIssued,
}: {
  kind: string;
  record: NoticeRecord;
  onIssued?: (doc: IssuedDocument) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button data-testid={`notice-open-${kind}`} onClick={() => setOpen(true)}>
        {`制作${noticeLabel(kind)}`}
      </Button>
      <NoticeDialog open={open} kind={kind} record={record} onClose={() => setOpen(false)} onIssued={onIssued} />
    </>
  );
}

// What sync did, in the words an officer uses: 办理记录 (records of work), not events, change
// sets or devices.
import type { BundleReport, SyncReport } from "../../bindings";

export function syncReportText(r: SyncReport): string {
  return (
    `同步完成：送出办理记录 ${r.uploaded_events} 条，收到 ${r.downloaded_events} 条` +
    (r.changesets_rejected ? `；有 ${r.changesets_rejected} 批记录被省级平台拒收：${r.rejections.join("；")}` : "") +
    (r.conflicts ? `；新增冲突 ${r.conflicts} 件，请在下方“冲突”中处理` : "") +
    "。"
  );
}

export function bundleExportText(r: BundleReport, path: string): string {
  return `已导出同步包（办理记录 ${r.events} 条）到 ${path}。请将U盘送交省级平台导入，并带回回执包。`;
}

export function bundleImportText(r: BundleReport): string {
  return (
    `已导入回执包：省级平台确认收到 ${r.receipts} 批记录，送来办理记录 ${r.events} 条（本机新增 ${r.applied_events} 条）` +
    (r.conflicts ? `，新增冲突 ${r.conflicts} 件` : "") +
    "。"
  );
}

// Printing or saving an issued notice: choose a printer (or the default one), print the stored
// PDF, or save it to the Downloads folder. Used after 签发 and from the register (重新打印).
// After 打印 the job is followed until CUPS says it printed or stopped, so a paused printer is
// not mistaken for a printed notice.
import { Alert, Button, Select, Space } from "antd";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { IssuedDocument, PrinterView } from "../../bindings";

/** How often and how long a job is followed after 打印 (bounded: the panel never polls forever). */
export const JOB_POLL_MS = 1500;
export const JOB_POLL_TIMES = 40;

type Result = { type: "success" | "info" | "error" | "warning"; text: string };

export function PrintPanel({ doc }: { doc: IssuedDocument }) {
  const api = useApi();
  const [printers, setPrinters] = useState<PrinterView[] | null>(null);
  const [printer, setPrinter] = useState<string | null>(null);
  const [busy, setBusy] = useState<"print" | "save" | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  // The job being followed; a new print or closing the panel stops following the old one.
  const following = useRef(0);
  useEffect(
    () => () => {
      following.current++;
    },
    [],
  );

  useEffect(() => {
    let live = true;
    api.noticePrinters().then(
      (list) => {
        if (!live) return;
        setPrinters(list);
        setPrinter(list.find((p) => p.is_default)?.name ?? list[0]?.name ?? null);
      },
      // Without CUPS there is nothing to choose; printing will say what to install.
      (e: unknown) => live && (setPrinters([]), setResult({ type: "error", text: errorMessage(e) })),
    );
    return () => {
      live = false;
    };
  }, [api]);

  async function follow(job: string) {
    const mine = ++following.current;
    for (let i = 0; i < JOB_POLL_TIMES; i++) {
      await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
      if (following.current !== mine) return;
      try {
        const status = await api.noticePrintStatus(job);
        if (following.current !== mine) return;
        if (status.state === "queued") continue;
        const type = status.state === "completed" ? "success" : status.state === "stopped" ? "error" : "warning";
        setResult({ type, text: status.message });
        return;
      } catch {
        // CUPS could not be asked this time; the next round may work.
      }
    }
    if (following.current === mine) {
      setResult({ type: "warning", text: `作业 ${job} 仍在打印队列中，请到打印机处查看；如久未打印，可先“另存为PDF”。` });
    }
  }

  async function print() {
    setBusy("print");
    setResult(null);
    following.current++;
    try {
      const job = await api.noticePrint(doc.id, printer);
      setResult({ type: "info", text: `已送打印机${printer ? `“${printer}”` : ""}${job ? `（作业 ${job}），正在打印…` : "。"}` });
      if (job) void follow(job);
    } catch (e) {
      setResult({ type: "error", text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  async function save() {
    setBusy("save");
    setResult(null);
    try {
      const path = await api.noticeSavePdf(doc.id);
      if (path) {
        following.current++;
        setResult({ type: "success", text: `已保存为PDF：${path}` });
      }
    } catch (e) {
      setResult({ type: "error", text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div data-testid="print-panel">
      <Space wrap>
        <Select
          data-testid="printer-select"
          style={{ minWidth: 200 }}
          placeholder={printers && printers.length === 0 ? "没有可用的打印机" : "选择打印机"}
          loading={printers === null}
          value={printer ?? undefined}
          onChange={(v: string) => setPrinter(v)}
          options={(printers ?? []).map((p) => ({ value: p.name, label: p.is_default ? `${p.name}（默认）` : p.name }))}
        />
        <Button type="primary" data-testid="notice-print" loading={busy === "print"} onClick={print}>
          打印
        </Button>
        <Button data-testid="notice-save-pdf" loading={busy === "save"} onClick={save}>
          另存为PDF
        </Button>
      </Space>
      {result && (
        <Alert
          className="qf-block-alert"
          style={{ marginTop: 12 }}
          type={result.type}
          showIcon
          data-testid="print-result"
          message={result.text}
        />
      )}
    </div>
  );
}

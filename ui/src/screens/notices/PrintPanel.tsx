// Printing or saving an issued notice: choose a printer (or the default one), print the stored
// PDF, or save it to the Downloads folder. Used after 签发 and from the register (重新打印).
import { Alert, Button, Select, Space } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { IssuedDocument, PrinterView } from "../../bindings";

export function PrintPanel({ doc }: { doc: IssuedDocument }) {
  const api = useApi();
  const [printers, setPrinters] = useState<PrinterView[] | null>(null);
  const [printer, setPrinter] = useState<string | null>(null);
  const [busy, setBusy] = useState<"print" | "save" | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    api.noticePrinters().then(
      (list) => {
        if (!live) return;
        setPrinters(list);
        setPrinter(list.find((p) => p.is_default)?.name ?? list[0]?.name ?? null);
      },
      // Without CUPS there is nothing to choose; printing will say what to install.
      (e: unknown) => live && (setPrinters([]), setResult({ ok: false, text: errorMessage(e) })),
    );
    return () => {
      live = false;
    };
  }, [api]);

  async function print() {
    setBusy("print");
    setResult(null);
    try {
      const job = await api.noticePrint(doc.id, printer);
      setResult({ ok: true, text: `已送打印机${printer ? `“${printer}”` : ""}${job ? `（作业 ${job}）` : ""}。` });
    } catch (e) {
      setResult({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  async function save() {
    setBusy("save");
    setResult(null);
    try {
      const path = await api.noticeSavePdf(doc.id);
      setResult({ ok: true, text: `已保存为PDF：${path}` });
    } catch (e) {
      setResult({ ok: false, text: errorMessage(e) });
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
          type={result.ok ? "success" : "error"}
          showIcon
          data-testid="print-result"
          message={result.text}
        />
      )}
    </div>
  );
}

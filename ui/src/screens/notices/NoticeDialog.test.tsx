// The notice dialog: the form from the record (locked fields shown, others editable), a preview
// with no number, 签发 only after a preview, then printing with a printer choice, and the
// backend's Chinese refusals shown as they come.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { ANNOUNCE_FORM, ISSUED, PREVIEW } from "../../test/notices";
import { renderWithApi } from "../../test/render";
import { NoticeDialog } from "./NoticeDialog";

const RECORD = { kind: "penalty", id: "p-1" };

function open(handlers: Record<string, (args?: Record<string, unknown>) => unknown>) {
  const { invoke, api } = fakeInvoke({ notice_form: () => ANNOUNCE_FORM, notice_printers: () => [], ...handlers });
  const onIssued = vi.fn();
  renderWithApi(<NoticeDialog open kind="announcement" record={RECORD} onClose={() => {}} onIssued={onIssued} />, api);
  return { invoke, onIssued };
}

describe("NoticeDialog", () => {
  it("previews without a number, then issues with the typed values and offers printing", async () => {
    const { invoke, onIssued } = open({
      notice_preview: () => PREVIEW,
      notice_issue: () => ISSUED,
      notice_printers: () => [
        { name: "HP_Office", is_default: false },
        { name: "PDF", is_default: true },
      ],
      notice_print: () => "PDF-7",
    });
    expect(await screen.findByTestId("notice-locked")).toHaveTextContent("刘受处");
    expect(screen.getByTestId("notice-locked")).toHaveTextContent("五纪处〔2026〕3号");
    expect(screen.queryByTestId("notice-field-person")).not.toBeInTheDocument();
    // 签发 waits for a preview of the values as they stand.
    expect(screen.getByTestId("notice-issue")).toBeDisabled();
    fireEvent.change(screen.getByTestId("notice-field-time"), { target: { value: "2026年11月20日上午9时" } });
    fireEvent.change(screen.getByTestId("notice-field-place"), { target: { value: "第一会议室" } });
    fireEvent.click(screen.getByTestId("notice-preview-button"));
    expect(await screen.findByTestId("notice-preview")).toHaveTextContent("预览（未编号）");
    expect(screen.getByTestId("notice-preview")).toHaveTextContent("五纪宣〔2026〕4号（不预留）");
    expect(screen.getAllByTestId("notice-page")[0]).toHaveAttribute("src", "data:image/png;base64,iVBORw0KGgo=");
    const fields = [
      { name: "time", value: "2026年11月20日上午9时" },
      { name: "place", value: "第一会议室" },
      { name: "opinion", value: "" },
    ];
    expect(callsOf(invoke, "notice_preview")).toEqual([{ kind: "announcement", record: RECORD, fields }]);

    // 签发 asks first, naming the number it will use (read afresh); 再看看 issues nothing.
    fireEvent.click(screen.getByTestId("notice-issue"));
    expect(await screen.findByTestId("notice-issue-ask")).toHaveTextContent("签发后将使用文号 五纪宣〔2026〕4号");
    fireEvent.click(screen.getByTestId("notice-issue-cancel"));
    await waitFor(() => expect(screen.queryByTestId("notice-issue-ask")).not.toBeInTheDocument());
    expect(callsOf(invoke, "notice_issue")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("notice-issue"));
    fireEvent.click(await screen.findByTestId("notice-issue-confirm"));
    expect(await screen.findByTestId("notice-issued")).toHaveTextContent("已签发 五纪宣〔2026〕4号");
    expect(callsOf(invoke, "notice_issue")).toEqual([{ kind: "announcement", record: RECORD, fields }]);
    expect(callsOf(invoke, "notice_preview")).toHaveLength(3);
    expect(onIssued).toHaveBeenCalledWith(ISSUED);

    // The default printer is chosen; printing sends the stored copy to it.
    await waitFor(() => expect(screen.getByTestId("printer-select")).toHaveTextContent("PDF（默认）"));
    fireEvent.click(screen.getByTestId("notice-print"));
    expect(await screen.findByTestId("print-result")).toHaveTextContent("已送打印机“PDF”（作业 PDF-7）");
    expect(callsOf(invoke, "notice_print")).toEqual([{ id: "d-1", printer: "PDF" }]);
  });

  it("needs a new preview after a value changes", async () => {
    open({ notice_preview: () => PREVIEW });
    await screen.findByTestId("notice-fields");
    fireEvent.click(screen.getByTestId("notice-preview-button"));
    await screen.findByTestId("notice-preview");
    expect(screen.getByTestId("notice-issue")).toBeEnabled();
    fireEvent.change(screen.getByTestId("notice-field-place"), { target: { value: "别处" } });
    expect(screen.queryByTestId("notice-preview")).not.toBeInTheDocument();
    expect(screen.getByTestId("notice-issue")).toBeDisabled();
  });

  it("shows refusals in the backend's words and keeps the form", async () => {
    open({
      notice_preview: () => reject("template", "缺少必填字段“宣布时间”：请填写后再生成文书。"),
    });
    await screen.findByTestId("notice-fields");
    fireEvent.click(screen.getByTestId("notice-preview-button"));
    expect(await screen.findByTestId("notice-error")).toHaveTextContent("缺少必填字段“宣布时间”");
    expect(screen.getByTestId("notice-fields")).toBeInTheDocument();
    expect(screen.getByTestId("notice-issue")).toBeDisabled();
  });

  it("says why a record in the wrong state gets no notice", async () => {
    const { invoke, api } = fakeInvoke({
      notice_form: () => reject("wrong_state", "不能签发处分决定宣布记录：须先送达处分决定（送达事项审核通过）后才能宣布。"),
    });
    renderWithApi(<NoticeDialog open kind="announcement" record={RECORD} onClose={() => {}} />, api);
    expect(await screen.findByTestId("notice-error")).toHaveTextContent("须先送达处分决定");
    expect(screen.getByTestId("notice-preview-button")).toBeDisabled();
    expect(callsOf(invoke, "notice_issue")).toHaveLength(0);
  });

  it("tells the officer to choose a printer or save the PDF when there is no default printer", async () => {
    open({
      notice_preview: () => PREVIEW,
      notice_issue: () => ISSUED,
      notice_print: () => reject("no_default_printer", "没有默认打印机：请选择一台打印机后再打印，或先“另存为PDF”。"),
      notice_save_pdf: () => "/home/u/Downloads/处分决定宣布记录-五纪宣〔2026〕4号.pdf",
    });
    await screen.findByTestId("notice-fields");
    fireEvent.click(screen.getByTestId("notice-preview-button"));
    await screen.findByTestId("notice-preview");
    fireEvent.click(screen.getByTestId("notice-issue"));
    fireEvent.click(await screen.findByTestId("notice-issue-confirm"));
    await screen.findByTestId("notice-issued");
    fireEvent.click(screen.getByTestId("notice-print"));
    expect(await screen.findByTestId("print-result")).toHaveTextContent("请选择一台打印机后再打印，或先“另存为PDF”");
    fireEvent.click(screen.getByTestId("notice-save-pdf"));
    await waitFor(() => expect(screen.getByTestId("print-result")).toHaveTextContent("已保存为PDF：/home/u/Downloads/"));
  });
});

// The print panel follows a job after 打印: "printed" when CUPS lists it as completed, the
// reason and what to do when the printer is paused, and it stops asking once it has an answer.
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeInvoke } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { ISSUED_2 } from "../../test/notices";
import { renderWithApi } from "../../test/render";
import { JOB_POLL_MS, PrintPanel } from "./PrintPanel";

describe("PrintPanel", () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => vi.useRealTimers());

  async function printAndWait(statuses: Array<{ state: string; message: string }>) {
    const answers = [...statuses];
    const { invoke, api } = fakeInvoke({
      notice_printers: () => [{ name: "QF_PDF", is_default: true }],
      notice_print: () => "QF_PDF-7",
      notice_print_status: () => answers.shift() ?? statuses[statuses.length - 1],
    });
    renderWithApi(<PrintPanel doc={ISSUED_2} />, api);
    await waitFor(() => expect(screen.getByTestId("printer-select")).toHaveTextContent("QF_PDF（默认）"));
    fireEvent.click(screen.getByTestId("notice-print"));
    expect(await screen.findByTestId("print-result")).toHaveTextContent("已送打印机“QF_PDF”（作业 QF_PDF-7），正在打印…");
    for (let i = 0; i < statuses.length; i++) {
      await act(() => vi.advanceTimersByTimeAsync(JOB_POLL_MS));
    }
    return invoke;
  }

  it("says the notice printed once CUPS has completed the job", async () => {
    const invoke = await printAndWait([
      { state: "queued", message: "正在打印（作业 QF_PDF-7）…" },
      { state: "completed", message: "已打印完成（作业 QF_PDF-7），请到打印机“QF_PDF”处取件。" },
    ]);
    await waitFor(() => expect(screen.getByTestId("print-result")).toHaveTextContent("已打印完成（作业 QF_PDF-7）"));
    expect(callsOf(invoke, "notice_print_status")).toEqual([{ job: "QF_PDF-7" }, { job: "QF_PDF-7" }]);
    // Once answered it asks no more.
    await act(() => vi.advanceTimersByTimeAsync(JOB_POLL_MS * 3));
    expect(callsOf(invoke, "notice_print_status")).toHaveLength(2);
  });

  it("shows a stopped job as an error with the reason", async () => {
    await printAndWait([
      {
        state: "stopped",
        message: "作业 QF_PDF-7 停在打印队列中：打印机“QF_PDF”已暂停（原因：Job stopped due to filter errors）。请在系统的打印机设置中恢复该打印机（或 cupsenable QF_PDF），或先“另存为PDF”。",
      },
    ]);
    await waitFor(() => expect(screen.getByTestId("print-result")).toHaveTextContent("已暂停（原因：Job stopped due to filter errors）"));
    expect(screen.getByTestId("print-result")).toHaveClass("ant-alert-error");
  });
});

// The register of issued notices: the filter sent, each row's number, kind, record, date and
// officer, re-printing the stored copy, and refusals.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { ISSUED, ISSUED_2 } from "../../test/notices";
import { renderWithApi } from "../../test/render";
import { NoticeRegisterScreen } from "./NoticeRegisterScreen";

describe("NoticeRegisterScreen", () => {
  it("lists this year's notices and re-prints one on the chosen printer", async () => {
    const { invoke, api } = fakeInvoke({
      notice_register: () => [ISSUED, ISSUED_2],
      notice_printers: () => [{ name: "PDF", is_default: true }],
      notice_print: () => "PDF-9",
    });
    renderWithApi(<NoticeRegisterScreen thisYear={2026} />, api);
    const rows = await screen.findAllByTestId("register-row");
    expect(rows).toHaveLength(2);
    expect(callsOf(invoke, "notice_register")).toEqual([{ filter: { year: 2026, kind: null, aggregate: null } }]);
    expect(rows[0]).toHaveTextContent("五纪宣〔2026〕4号");
    expect(rows[0]).toHaveTextContent("处分决定宣布记录");
    expect(rows[0]).toHaveTextContent("五纪处〔2026〕3号");
    expect(rows[0]).toHaveTextContent("2026-11-20");
    expect(rows[0]).toHaveTextContent("孙案管");
    expect(rows[1]).toHaveTextContent("五纪受〔2026〕12号");
    expect(rows[1]).toHaveTextContent("李信访");

    fireEvent.click(within(rows[1]!).getByTestId("register-reprint"));
    expect(await screen.findByText("重新打印 五纪受〔2026〕12号")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("printer-select")).toHaveTextContent("PDF（默认）"));
    fireEvent.click(screen.getByTestId("notice-print"));
    expect(await screen.findByTestId("print-result")).toHaveTextContent("作业 PDF-9");
    expect(callsOf(invoke, "notice_print")).toEqual([{ id: "d-2", printer: "PDF" }]);
  });

  it("marks a number two offline devices both issued", async () => {
    const dup = { ...ISSUED_2, duplicate_number: true };
    const { api } = fakeInvoke({ notice_register: () => [dup, { ...dup, id: "d-9", issued_by: "王信访" }, ISSUED] });
    renderWithApi(<NoticeRegisterScreen thisYear={2026} />, api);
    const rows = await screen.findAllByTestId("register-row");
    expect(within(rows[0]!).getByTestId("register-duplicate")).toHaveTextContent("文号重复");
    expect(within(rows[1]!).getByTestId("register-duplicate")).toBeInTheDocument();
    expect(within(rows[2]!).queryByTestId("register-duplicate")).not.toBeInTheDocument();
  });

  it("says when nothing was issued, and shows refusals", async () => {
    const { api } = fakeInvoke({ notice_register: () => [] });
    renderWithApi(<NoticeRegisterScreen thisYear={2026} />, api);
    expect(await screen.findByText("没有已签发的文书")).toBeInTheDocument();

    const refused = fakeInvoke({
      notice_register: () => reject("forbidden", "无权执行“查看发文登记”：需要本机关任一业务部门的角色。如确需办理，请联系本机关管理员授权。"),
    });
    renderWithApi(<NoticeRegisterScreen thisYear={2026} />, refused.api);
    expect(await screen.findByTestId("register-error")).toHaveTextContent("无权执行“查看发文登记”");
  });
});

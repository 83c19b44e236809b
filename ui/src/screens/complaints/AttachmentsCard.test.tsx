import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DETAIL, detailWith } from "../../test/complaints";
import { fakeInvoke } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { ComplaintPage } from "./ComplaintPage";
import { MSG_PURPOSE, formatSize } from "./AttachmentsCard";

const PDF = {
  sha256: "ab12",
  name: "李四来信.pdf",
  kind_label: "PDF",
  media_type: "application/pdf",
  size: 2048,
  added_at: "2026-11-02",
  added_by: "王信访",
  available: true,
};

describe("AttachmentsCard", () => {
  it("adds the files picked in the platform's dialog and shows the page returned", async () => {
    const after = detailWith({ attachments: [PDF] });
    const { invoke, api } = fakeInvoke({ complaint_show: () => DETAIL, complaint_attach: () => after });
    renderScreen(<ComplaintPage id="c-1" />, api);
    fireEvent.click(await screen.findByTestId("attachment-add"));
    await waitFor(() => expect(callsOf(invoke, "complaint_attach")).toEqual([{ id: "c-1" }]));
    expect(await screen.findByText("李四来信.pdf")).toBeInTheDocument();
    expect(await screen.findByText("已添加附件")).toBeInTheDocument();
  });

  it("changes nothing when the dialog is cancelled", async () => {
    const { invoke, api } = fakeInvoke({ complaint_show: () => DETAIL, complaint_attach: () => null });
    renderScreen(<ComplaintPage id="c-1" />, api);
    fireEvent.click(await screen.findByTestId("attachment-add"));
    await waitFor(() => expect(callsOf(invoke, "complaint_attach")).toHaveLength(1));
    expect(screen.queryByText("已添加附件")).not.toBeInTheDocument();
    expect(screen.getByText(/无附件/)).toBeInTheDocument();
  });

  it("opens a file only with a purpose, and only for posts that may see the reporter", async () => {
    const { invoke, api } = fakeInvoke({
      complaint_show: () => detailWith({ attachments: [PDF], can_reveal_reporter: true }),
      complaint_open_attachment: () => "/home/officer/Downloads/李四来信.pdf",
    });
    renderScreen(<ComplaintPage id="c-1" />, api);
    fireEvent.click(await screen.findByText("查看"));
    fireEvent.click(await screen.findByTestId("attachment-open-submit"));
    expect(await screen.findByText(MSG_PURPOSE)).toBeInTheDocument();
    fireEvent.change(screen.getByTestId("attachment-purpose"), { target: { value: "核对来信原件" } });
    fireEvent.click(screen.getByTestId("attachment-open-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_open_attachment")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_open_attachment")[0]).toEqual({
      id: "c-1",
      sha256: "ab12",
      name: "李四来信.pdf",
      purpose: "核对来信原件",
    });
    expect(await screen.findByText(/已保存到 .*李四来信.pdf（查看已留痕）/)).toBeInTheDocument();
  });

  it("offers no opening to other posts", async () => {
    const masked = { ...PDF, name: "附件 1" };
    const { api } = fakeInvoke({ complaint_show: () => detailWith({ attachments: [masked], can_reveal_reporter: false }) });
    renderScreen(<ComplaintPage id="c-1" />, api);
    expect(await screen.findByText("附件 1")).toBeInTheDocument();
    expect(screen.queryByText("查看")).not.toBeInTheDocument();
    expect(screen.getByText(/仅信访室和分管领导可以查看/)).toBeInTheDocument();
  });

  it("says a file still on its way from another office is in transit, and offers no opening yet", async () => {
    const { api } = fakeInvoke({
      complaint_show: () => detailWith({ attachments: [{ ...PDF, available: false }], can_reveal_reporter: true }),
    });
    renderScreen(<ComplaintPage id="c-1" />, api);
    expect(await screen.findByTestId("attachment-in-transit")).toHaveTextContent("附件传输中");
    expect(screen.queryByText("查看")).not.toBeInTheDocument();
  });

  it("formats sizes in Chinese units", () => {
    expect(formatSize(512)).toBe("512 字节");
    expect(formatSize(2048)).toBe("2.0 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

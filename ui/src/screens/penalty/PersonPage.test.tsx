// 受处分人: decisions with their influence periods, benefits flagged red with the core's reasons,
// recording a benefit and the reasons it returns, refusals kept.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { PERSON } from "../../test/penalty";
import { choose, fill, renderPenalty, typeDate } from "../../test/penaltyNav";
import { MSG, PersonPage } from "./PersonPage";

const BARRED = "处于“党内严重警告”影响期内（2026-11-02 至 2028-05-01），年度考核不得确定为优秀。";

describe("PersonPage", () => {
  it("shows the decisions, the periods, whether today is inside one, and each barred benefit in red with why", async () => {
    const { invoke, api } = fakeInvoke({ penalty_person: () => PERSON });
    const { nav } = renderPenalty(<PersonPage name="李四" unit="区教育局" />, api);
    expect(await screen.findByTestId("person-name")).toHaveTextContent("李四");
    expect(callsOf(invoke, "penalty_person")).toEqual([{ name: "李四", unit: "区教育局" }]);
    expect(screen.getByTestId("person-in-period")).toHaveTextContent("今日处于影响期内");
    expect(screen.getByTestId("person-period")).toHaveTextContent("党内严重警告：2026-11-02 起，18 个月，至 2028-05-01");
    expect(screen.getByTestId("person-flags")).toHaveTextContent("有 1 项登记处于影响期内");
    const rows = screen.getAllByTestId("benefit-row");
    expect(rows.map((r) => r.getAttribute("data-flagged"))).toEqual(["false", "true"]);
    expect(rows[0]).toHaveTextContent("称职");
    expect(rows[0]).toHaveTextContent("未发现问题");
    expect(within(rows[1]!).getByTestId("benefit-flag")).toHaveTextContent("影响期内不应享受");
    expect(rows[1]).toHaveTextContent("不得晋升职务、职级。");
    expect(within(rows[1]!).getByText("影响期内不应享受").className).toMatch(/ant-tag-error/);
    fireEvent.click(screen.getByTestId("person-penalty-link"));
    expect(nav.go).toHaveBeenCalledWith({ page: "penalty", id: "p-1" });
  });

  it("records an appraisal and shows at once the reasons the core returns", async () => {
    const recorded = { ...PERSON, benefits: [{ ...PERSON.benefits[0]!, id: "b-3", grade: "excellent" as const, date: "2027-12-31", flags: [BARRED] }, ...PERSON.benefits] };
    let page = PERSON;
    const { invoke, api } = fakeInvoke({
      penalty_person: () => page,
      penalty_record_benefit: () => {
        page = recorded;
        return { benefit_id: "b-3", flags: [BARRED] };
      },
    });
    renderPenalty(<PersonPage name="李四" unit="区教育局" />, api, ["case_management"]);
    await screen.findByTestId("benefit-kind");
    await choose("benefit-kind", "appraisal");
    fireEvent.click(screen.getByTestId("benefit-save"));
    expect(await screen.findByText(MSG.grade)).toBeInTheDocument();
    expect(callsOf(invoke, "penalty_record_benefit")).toHaveLength(0);
    await choose("benefit-grade", "excellent");
    typeDate("benefit-date", "2027-12-31");
    fill("benefit-detail", " 2027年度考核 ");
    fireEvent.click(screen.getByTestId("benefit-save"));
    expect(await screen.findByTestId("benefit-outcome")).toHaveTextContent(BARRED);
    expect(callsOf(invoke, "penalty_record_benefit")).toEqual([
      {
        form: { person_name: "李四", person_unit: "区教育局", kind: "appraisal", date: "2027-12-31", grade: "excellent", detail: "2027年度考核" },
      },
    ]);
    // The page is read again, so the new row shows flagged in the list too.
    await waitFor(() => expect(screen.getAllByTestId("benefit-row")).toHaveLength(3));
    expect(screen.getAllByTestId("benefit-row")[0]).toHaveAttribute("data-flagged", "true");
  });

  it("says so when a benefit is not barred, sends no grade with a promotion, and keeps what was typed on a refusal", async () => {
    let refuse = true;
    const { invoke, api } = fakeInvoke({
      penalty_person: () => PERSON,
      penalty_record_benefit: () => (refuse ? reject("forbidden", "您没有“登记考核、晋升、评优或工资档次”的权限：需要“案件监督管理室”角色。") : { benefit_id: "b-4", flags: [] }),
    });
    renderPenalty(<PersonPage name="李四" unit="区教育局" />, api, ["case_management"]);
    await screen.findByTestId("benefit-kind");
    await choose("benefit-kind", "pay_step");
    typeDate("benefit-date", "2029-01-01");
    fill("benefit-detail", "晋升一档");
    fireEvent.click(screen.getByTestId("benefit-save"));
    expect(await screen.findByTestId("benefit-error")).toHaveTextContent("需要“案件监督管理室”角色");
    expect(screen.getByTestId("benefit-detail")).toHaveValue("晋升一档");
    refuse = false;
    fireEvent.click(screen.getByTestId("benefit-save"));
    expect(await screen.findByTestId("benefit-outcome")).toHaveTextContent("已登记，未发现影响期限制。");
    expect(callsOf(invoke, "penalty_record_benefit")[1]!.form).toMatchObject({ kind: "pay_step", date: "2029-01-01", grade: null, detail: "晋升一档" });
  });

  it("offers the form only to case management, and shows a person not found", async () => {
    // As 案件审理室 sees the page: the core says it may not record benefits.
    const { api } = fakeInvoke({ penalty_person: () => ({ ...PERSON, may_record_benefit: false }) });
    const { unmount } = renderPenalty(<PersonPage name="李四" unit="区教育局" />, api, ["trial"]);
    expect(await screen.findByTestId("benefit-note")).toBeInTheDocument();
    expect(screen.queryByTestId("benefit-card")).not.toBeInTheDocument();
    unmount();
    const missing = fakeInvoke({ penalty_person: () => reject("not_found", "找不到人员 王五（区财政局）。") });
    renderPenalty(<PersonPage name="王五" unit="区财政局" />, missing.api);
    expect(await screen.findByText("找不到人员 王五（区财政局）。")).toBeInTheDocument();
  });
});

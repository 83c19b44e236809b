// 录入处分决定: the request sent (money as exact text, units split), refusals shown with what was
// typed kept, bad amounts refused before sending, the new decision opened.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { PENALTY } from "../../test/penalty";
import { choose, fill, renderPenalty, typeDate } from "../../test/penaltyNav";
import { RegisterPenaltyScreen } from "./RegisterPenaltyScreen";

async function fillDecision() {
  fill("pen-name", " 李四 ");
  fill("pen-unit", "区教育局");
  fill("pen-post", "副局长");
  fill("pen-number", "五纪处〔2026〕3号");
  fill("pen-body", "五华区纪委");
  await choose("pen-party", "serious_warning");
  typeDate("pen-decision-date", "2026-11-02");
  fill("pen-units", "区教育局党组、区委组织部");
  fill("pen-confiscate", "35000.50");
}

describe("RegisterPenaltyScreen", () => {
  it("sends money as text exact to the fen, shows the core's refusal and keeps what was typed", async () => {
    let refuse = true;
    const { invoke, api } = fakeInvoke({
      penalty_register: () => (refuse ? reject("invalid", "决定文号“五纪处〔2026〕3号”已登记过，请核对文号。") : PENALTY),
    });
    const { nav } = renderPenalty(<RegisterPenaltyScreen />, api);
    await fillDecision();
    fireEvent.click(screen.getByTestId("pen-save"));
    expect(await screen.findByTestId("pen-error")).toHaveTextContent("已登记过，请核对文号");
    expect(nav.go).not.toHaveBeenCalled();
    expect(screen.getByTestId("pen-name")).toHaveValue(" 李四 ");
    expect(screen.getByTestId("pen-confiscate")).toHaveValue("35000.50");
    const [call] = callsOf(invoke, "penalty_register");
    expect(call!.form).toMatchObject({
      person: { name: "李四", unit: "区教育局", post: "副局长", party_member: true, deputy: false },
      decision_number: "五纪处〔2026〕3号",
      party_penalty: "serious_warning",
      government_sanction: null,
      decision_date: "2026-11-02",
      approval_date: null,
      responsible_units: ["区教育局党组", "区委组织部"],
      confiscate: "35000.50",
      repay: null,
    });
    expect(typeof (call!.form as { confiscate: unknown }).confiscate).toBe("string");
    refuse = false;
    fireEvent.click(screen.getByTestId("pen-save"));
    await waitFor(() => expect(nav.go).toHaveBeenCalledWith({ page: "penalty", id: "p-1", initial: PENALTY }));
  });

  it("refuses an amount with more than two decimals before sending, and requires the decision's facts", async () => {
    const { invoke, api } = fakeInvoke({ penalty_register: () => PENALTY });
    renderPenalty(<RegisterPenaltyScreen />, api);
    fill("pen-repay", "12.345");
    fireEvent.click(screen.getByTestId("pen-save"));
    expect(await screen.findByText("以元为单位，最多两位小数，如 3500 或 1200.50")).toBeInTheDocument();
    expect(screen.getByText("请填写处分决定文号")).toBeInTheDocument();
    expect(screen.getByText("请选择决定日期")).toBeInTheDocument();
    expect(callsOf(invoke, "penalty_register")).toHaveLength(0);
  });
});

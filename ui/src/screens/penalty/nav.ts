// Navigation to the penalty-execution and rectification screens, beside the complaint routes.
import { createContext, useContext } from "react";
import type { ChecklistDetail, PenaltyDetail } from "../../bindings";
import type { Route } from "../complaints/nav";

export type PenaltyRoute =
  | { page: "penalty-board" }
  | { page: "penalty-register" }
  | { page: "penalty-queue" }
  | { page: "penalty-stats" }
  | { page: "penalty-flags" }
  | { page: "rectifications" }
  // Notices (文书): the register of issued documents and the templates.
  | { page: "notice-register" }
  | { page: "notice-templates" }
  /** `initial` saves a round trip when the page was just returned by a command. */
  | { page: "penalty"; id: string; initial?: PenaltyDetail }
  | { page: "rectification"; id: string; initial?: ChecklistDetail };

export type AnyRoute = Route | PenaltyRoute;

/** Pages of one record: they never become the highlighted menu entry themselves. */
export const DETAIL_PAGES = new Set<AnyRoute["page"]>(["complaint", "penalty", "rectification"]);

export type PenaltyNav = {
  go: (route: AnyRoute) => void;
  back: () => void;
  /** The user's posts in this office: pages offer the steps those posts may take. */
  roles: string[];
};

export const PenaltyNavContext = createContext<PenaltyNav>({ go: () => {}, back: () => {}, roles: [] });

export function usePenaltyNav(): PenaltyNav {
  return useContext(PenaltyNavContext);
}

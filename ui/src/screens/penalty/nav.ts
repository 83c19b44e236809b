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
  | { page: "rectification-register" }
  /** A penalised person (受处分人), by name and unit as the decisions record them. */
  | { page: "person"; name: string; unit: string }
  // Notices (文书): the register of issued documents and the templates.
  | { page: "notice-register" }
  | { page: "notice-templates" }
  /** `initial` saves a round trip when the page was just returned by a command. */
  | { page: "penalty"; id: string; initial?: PenaltyDetail }
  | { page: "rectification"; id: string; initial?: ChecklistDetail };

/** 资料袋, the reference library. */
export type LibraryRoute = { page: "library" };

/** 备份与恢复 (the administrator's). */
export type RecoveryRoute = { page: "backup" };

/** 账号管理, the administrator's accounts. */
export type AdminRoute = { page: "accounts" };

/** 廉政档案: integrity opinions, cadres' files and the unit profile. */
export type IntegrityRoute = { page: "integrity" };

/** 监督建议: supervision letters, their feedback, circulars and statistics. */
export type SupervisionRoute = { page: "letters"; id?: string };

/** 数据迁移: importing an older platform's records. */
export type MigrationRoute = { page: "migration" };
/** 综合分析: the analysis report of a period. */
export type AnalysisRoute = { page: "analysis" };

export type AnyRoute =
  | Route
  | PenaltyRoute
  | LibraryRoute
  | RecoveryRoute
  | AdminRoute
  | IntegrityRoute
  | SupervisionRoute
  | MigrationRoute
  | AnalysisRoute;

/** Pages of one record, and forms reached from a list rather than the menu: they never become the
 * highlighted menu entry themselves (the list they came from stays highlighted). */
export const DETAIL_PAGES = new Set<AnyRoute["page"]>(["complaint", "penalty", "rectification", "rectification-register", "person"]);

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

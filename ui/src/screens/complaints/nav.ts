// In-app navigation: a route in state, no router (the window has no address bar).
import { createContext, useContext } from "react";
import type { ComplaintDetail } from "../../bindings";

export type Route =
  | { page: "inbox" }
  | { page: "complaints" }
  | { page: "register" }
  | { page: "dashboard" }
  | { page: "stats" }
  | { page: "sync" }
  /** `initial` saves a round trip when the page was just returned by a command. */
  | { page: "complaint"; id: string; initial?: ComplaintDetail };

export type Nav = {
  go: (route: Route) => void;
  /** Back to where the person came from (the inbox when there is nothing to go back to). */
  back: () => void;
};

export const NavContext = createContext<Nav>({ go: () => {}, back: () => {} });

export function useNav(): Nav {
  return useContext(NavContext);
}

// An article's text with the matched pieces marked, drawn from the core's segments (never HTML).
import type { Segment } from "../../bindings";

export function Highlighted({ segments }: { segments: Segment[] }) {
  return (
    <p className="qf-lib-text" data-testid="hit-text">
      {segments.map((s, i) =>
        s.hit ? (
          <mark key={i} className="qf-hit" data-testid="hit-mark">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </p>
  );
}

export const STATUS_LABELS: Record<string, string> = { in_force: "现行有效", amended: "已修订", repealed: "已废止" };
export const STATUS_COLORS: Record<string, string> = { in_force: "green", amended: "default", repealed: "red" };

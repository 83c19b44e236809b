// Search-as-you-type choice of another complaint (for 重复举报).
import { Select, Spin } from "antd";
import { useEffect, useRef, useState } from "react";
import { emptyFilter, useApi } from "../../api";
import { testOption, textOrNull } from "./common";

const SEARCH_DELAY_MS = 250;
const MAX_OPTIONS = 20;

type Opt = { value: string; label: string };

export function ComplaintPicker({
  value,
  onChange,
  excludeId,
  testId,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  /** The complaint being screened: it cannot repeat itself. */
  excludeId?: string;
  testId?: string;
  id?: string;
}) {
  const api = useApi();
  const [options, setOptions] = useState<Opt[]>([]);
  const [loading, setLoading] = useState(false);
  const [searched, setSearched] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);

  useEffect(
    () => () => {
      seq.current += 1;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function run(text: string) {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const rows = await api.complaintList({ ...emptyFilter(), text: textOrNull(text), limit: MAX_OPTIONS });
      if (mine !== seq.current) return;
      setOptions(
        rows.filter((c) => c.id !== excludeId).map((c) => ({ value: c.id, label: `${c.number}　${c.summary}` })),
      );
    } catch {
      if (mine === seq.current) setOptions([]);
    } finally {
      if (mine === seq.current) {
        setLoading(false);
        setSearched(true);
      }
    }
  }

  function search(text: string) {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void run(text), SEARCH_DELAY_MS);
  }

  return (
    <Select
      id={id}
      data-testid={testId}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      showSearch
      allowClear
      filterOption={false}
      onSearch={search}
      onFocus={() => {
        if (!searched && !loading) void run("");
      }}
      options={options}
      optionRender={testOption}
      placeholder="输入人名、单位或事项查找此前的检举控告"
      notFoundContent={loading ? <Spin size="small" /> : searched ? "没有找到" : null}
    />
  );
}

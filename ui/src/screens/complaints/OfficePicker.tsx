// The hand-over dialogs' destination picker: the offices the route rule allows for this hand-over
// (the core's answer in `handover_targets`), by name, grouped by level, searchable by name or
// short name. It never offers an office the core would refuse, and never asks for a typed code.
import { Select } from "antd";
import type { DirectoryOffice } from "../../bindings";
import { testOption } from "./common";

type Props = {
  offices: DirectoryOffice[];
  testId: string;
  placeholder: string;
  value?: string;
  onChange?: (code: string) => void;
};

/** The offices as antd's grouped options: one group per level, in the order the core gives. */
function grouped(offices: DirectoryOffice[]) {
  const groups: { label: string; title: string; options: { value: string; label: string; search: string }[] }[] = [];
  for (const o of offices) {
    let group = groups.find((g) => g.title === o.level_label);
    if (!group) {
      group = { label: o.level_label, title: o.level_label, options: [] };
      groups.push(group);
    }
    const under = o.unit === "resident_group" && o.parent_name ? `（${o.parent_name}）` : "";
    group.options.push({ value: o.code, label: `${o.name}${under}`, search: `${o.name} ${o.short_name ?? ""}` });
  }
  return groups;
}

export function OfficePicker({ offices, testId, placeholder, value, onChange }: Props) {
  return (
    <Select
      data-testid={testId}
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      options={grouped(offices)}
      optionRender={testOption}
      showSearch
      optionFilterProp="search"
      notFoundContent="没有符合的机关"
    />
  );
}

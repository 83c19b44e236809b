// 数据迁移: an officer brings the older platform's records over — 信访室 its complaint register,
// case management or trial its penalty decisions with their execution items, supervision or case
// management its rectification lists. The file is chosen in the
// platform's open dialog; its headers are matched to the fields (guessed from the names older
// platforms use, or a saved mapping), the mapping can be adjusted and saved by name; a dry run
// checks every row and lists each bad one by its row number; the import then enters every new
// record at once (or none), with a progress bar, and a second import of the same file adds nothing.
import { Alert, Button, Card, Input, Progress as Bar, Radio, Select, Space, Table, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { BatchView, Mapping, MigrationFile, MigrationKind, MigrationProgress, MigrationReport } from "../../bindings";
import { subscribe } from "../../events";
import { PageHead } from "../complaints/common";

const OUTCOME: Record<MigrationReport["outcome"], string> = {
  dry_run: "试运行完成（未写入任何记录）",
  imported: "导入完成",
  nothing_new: "没有新记录：文件中的记录都已导入过，未写入任何记录",
  refused: "未导入：文件中有问题的行，一条记录也没有写入",
};

/** What can be imported, the posts that enter such records by hand, and what the file holds. */
const KINDS: Array<{ kind: MigrationKind; label: string; roles: string[]; about: string }> = [
  { kind: "complaints", label: "检举控告", roles: ["petitions"], about: "历史检举控告及其办理状态" },
  {
    kind: "penalties",
    label: "处分决定",
    roles: ["case_management", "trial"],
    about: "处分决定及各执行事项的办理情况（每个决定一行，事项格中填“已完成 日期”“待审核 日期”“未完成”或“不适用”）",
  },
  {
    kind: "rectifications",
    label: "整改清单",
    roles: ["supervision", "case_management"],
    about: "整改清单及各问题的整改情况（每个问题一行，同一清单的各行编号相同、连在一起）",
  },
];

const KIND_LABEL: Record<MigrationKind, string> = Object.fromEntries(KINDS.map((k) => [k.kind, k.label])) as Record<
  MigrationKind,
  string
>;

/** The file's name as shown: the last part of the path the dialog answered. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function percent(p: MigrationProgress): number {
  return p.total > 0 ? Math.min(100, Math.round((p.done * 100) / p.total)) : 0;
}

function ReportView({ report }: { report: MigrationReport }) {
  const ok = report.outcome === "imported" || (report.outcome === "dry_run" && report.problem_count === 0);
  const type = report.outcome === "refused" || report.problem_count > 0 ? "error" : ok ? "success" : "info";
  const changed = report.changed_since > 0 ? `（其中 ${report.changed_since} 条与上次导入时不同，保持原样）` : "";
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Alert
        type={type}
        showIcon
        data-testid="migration-result"
        message={OUTCOME[report.outcome]}
        description={`文件“${report.file_name}”共 ${report.rows} 行数据：新记录 ${report.new_records} 条，已导入过 ${report.already_imported} 条${changed}，有问题的行 ${report.problem_count} 行。`}
      />
      {report.problems.length > 0 && (
        <Table
          size="small"
          rowKey={(p) => `${p.row}-${p.column ?? ""}-${p.reason}`}
          dataSource={report.problems}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          onRow={() => ({ "data-testid": "migration-problem" }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: "行号", dataIndex: "row", width: 80, render: (r: number) => `第 ${r} 行` },
            { title: "列", dataIndex: "column", width: 140, render: (c: string | null) => c ?? "" },
            { title: "问题", dataIndex: "reason" },
          ]}
        />
      )}
    </Space>
  );
}

export function MigrationScreen({ roles }: { roles: string[] }) {
  const api = useApi();
  const kinds = KINDS.filter((k) => k.roles.some((r) => roles.includes(r)));
  const [kind, setKind] = useState<MigrationKind>(kinds[0]?.kind ?? "complaints");
  const about = KINDS.find((k) => k.kind === kind)?.about ?? "";
  const [file, setFile] = useState<MigrationFile | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [saved, setSaved] = useState<Mapping[]>([]);
  const [name, setName] = useState("");
  const [report, setReport] = useState<MigrationReport | null>(null);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState<"dry" | "import" | null>(null);
  const [progress, setProgress] = useState<MigrationProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [batches, setBatches] = useState<BatchView[]>([]);

  const result = useRef<HTMLDivElement | null>(null);
  useEffect(() => subscribe<MigrationProgress>("migration-progress", (e) => setProgress(e.payload)), []);
  // A report appears under the buttons; on a small screen it is brought into view (jsdom has no
  // scrolling).
  useEffect(() => {
    if (report) result.current?.scrollIntoView?.({ block: "nearest" });
  }, [report]);
  useEffect(() => {
    api.migrationBatches().then(setBatches, (e) => setError(errorMessage(e)));
  }, [api]);

  function changed(next: Mapping) {
    setMapping(next);
    setReport(null);
    setChecked(false);
  }

  async function pick() {
    setError(null);
    setNotice(null);
    try {
      const path = await api.migrationPickFile();
      if (!path) return;
      const f = await api.migrationPreview(kind, path);
      setFile(f);
      setSaved(f.saved);
      setName(f.preview.suggested.name);
      changed(f.preview.suggested);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  function setColumn(field: string, header: string | undefined) {
    if (!mapping) return;
    const columns = mapping.columns.filter((c) => c.field !== field);
    if (header) columns.push({ field, header });
    changed({ ...mapping, columns });
  }

  async function save() {
    if (!mapping) return;
    setError(null);
    try {
      const list = await api.migrationSaveMapping({ ...mapping, name: name.trim() });
      setSaved(list);
      setMapping({ ...mapping, name: name.trim() });
      setNotice(`已保存列对应关系“${name.trim()}”，以后导入同一平台的文件时可直接选用。`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function run(kind: "dry" | "import") {
    if (!file || !mapping) return;
    setError(null);
    setNotice(null);
    setBusy(kind);
    setProgress(null);
    try {
      const r = kind === "dry" ? await api.migrationDryRun(file.path, mapping) : await api.migrationImport(file.path, mapping);
      setReport(r);
      setChecked(kind === "dry" && r.problem_count === 0 && r.new_records > 0);
      if (kind === "import") setBatches(await api.migrationBatches());
    } catch (e) {
      setReport(null);
      setChecked(false);
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const headerOptions = (file?.preview.headers ?? []).filter((h) => h.trim() !== "").map((h) => ({ value: h, label: h }));
  const header = (field: string) => mapping?.columns.find((c) => c.field === field)?.header;

  return (
    <div className="qf-page" data-testid="page-migration">
      <PageHead
        title="数据迁移"
        sub="从原平台导出的 Excel（.xlsx）或 CSV 文件导入历史记录。先试运行检查每一行，再一次导入全部新记录；同一文件再次导入不会产生重复记录。"
      />
      {error && <Alert type="error" showIcon className="qf-home-alert" message={error} data-testid="migration-error" />}
      {notice && <Alert type="success" showIcon className="qf-home-alert" message={notice} data-testid="migration-notice" />}
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Card title="第一步：选择类别和文件" size="small">
          {kinds.length > 1 && (
            <Radio.Group
              style={{ marginBottom: 12 }}
              value={kind}
              disabled={busy !== null}
              data-testid="migration-kind"
              optionType="button"
              options={kinds.map((k) => ({ value: k.kind, label: k.label }))}
              onChange={(e) => {
                setKind(e.target.value as MigrationKind);
                setFile(null);
                setMapping(null);
                setReport(null);
                setChecked(false);
              }}
            />
          )}
          <Typography.Paragraph type="secondary" data-testid="migration-about">
            导入{about}。
          </Typography.Paragraph>
          <Space wrap>
            <Button type="primary" onClick={() => void pick()} data-testid="migration-pick" disabled={busy !== null}>
              选择文件…
            </Button>
            {file ? (
              <Typography.Text data-testid="migration-file">
                {fileName(file.path)}（第 {file.preview.header_row} 行为表头，共 {file.preview.headers.filter((h) => h).length} 列）
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">尚未选择文件</Typography.Text>
            )}
          </Space>
        </Card>

        {file && mapping && (
          <Card title="第二步：核对列对应关系" size="small">
            <Space wrap style={{ marginBottom: 12 }}>
              <Typography.Text>使用已保存的对应关系：</Typography.Text>
              <Select
                style={{ minWidth: 220 }}
                placeholder={saved.length ? "选择" : "尚未保存过"}
                disabled={!saved.length}
                data-testid="migration-saved"
                value={saved.some((m) => m.name === mapping.name) ? mapping.name : undefined}
                options={saved.map((m) => ({ value: m.name, label: m.name }))}
                onChange={(v: string) => {
                  const m = saved.find((s) => s.name === v);
                  if (m) {
                    setName(m.name);
                    changed(m);
                  }
                }}
              />
            </Space>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={file.preview.fields}
              onRow={(f) => ({ "data-testid": `migration-field-${f.key}` }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                {
                  title: "字段",
                  dataIndex: "label",
                  width: 140,
                  render: (label: string, f) => (
                    <span>
                      {label}
                      {f.required && <Tag color="red" style={{ marginLeft: 6 }}>必填</Tag>}
                    </span>
                  ),
                },
                {
                  title: "文件中的列",
                  width: 240,
                  render: (_: unknown, f) => (
                    <Select
                      allowClear
                      style={{ width: "100%" }}
                      placeholder="不导入"
                      value={header(f.key)}
                      options={headerOptions}
                      onChange={(v: string | undefined) => setColumn(f.key, v)}
                      data-testid={`migration-column-${f.key}`}
                    />
                  ),
                },
                { title: "说明", dataIndex: "hint" },
              ]}
            />
            <Space wrap style={{ marginTop: 12 }}>
              <Input
                style={{ width: 240 }}
                value={name}
                maxLength={50}
                onChange={(e) => setName(e.target.value)}
                placeholder="对应关系的名称，如 原信访平台导出表"
                data-testid="migration-mapping-name"
              />
              <Button onClick={() => void save()} disabled={!name.trim()} data-testid="migration-save-mapping">
                保存对应关系
              </Button>
            </Space>
          </Card>
        )}

        {file && mapping && (
          <Card title="第三步：试运行并导入" size="small">
            <Space wrap>
              <Button onClick={() => void run("dry")} loading={busy === "dry"} disabled={busy !== null} data-testid="migration-dry-run">
                试运行（只检查，不写入）
              </Button>
              <Button
                type="primary"
                onClick={() => void run("import")}
                loading={busy === "import"}
                disabled={!checked || busy !== null}
                data-testid="migration-import"
              >
                导入
              </Button>
              {!checked && !busy && report?.outcome !== "imported" && (
                <Typography.Text type="secondary">试运行没有发现问题后才能导入。</Typography.Text>
              )}
            </Space>
            {busy && (
              <div data-testid="migration-progress" style={{ marginTop: 12 }}>
                <Typography.Text>
                  {progress?.phase === "writing" ? "正在写入记录…" : "正在逐行检查…"}
                </Typography.Text>
                <Bar percent={progress ? percent(progress) : 0} size="small" status="active" />
              </div>
            )}
            {report && (
              <div style={{ marginTop: 12 }} ref={result}>
                <ReportView report={report} />
              </div>
            )}
          </Card>
        )}

        <Card title="导入记录" size="small">
          <Table
            size="small"
            rowKey="batch_id"
            dataSource={batches}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: "尚未导入过" }}
            onRow={() => ({ "data-testid": "migration-batch" }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: "日期", dataIndex: "date", width: 120 },
              { title: "类别", dataIndex: "kind", width: 100, render: (k: MigrationKind) => KIND_LABEL[k] ?? "" },
              { title: "文件", dataIndex: "file_name" },
              { title: "列对应关系", dataIndex: "mapping_name", width: 200 },
              { title: "数据行", dataIndex: "rows", width: 90 },
              { title: "新导入", dataIndex: "imported", width: 90 },
              { title: "已有而跳过", dataIndex: "skipped", width: 110 },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}

// 发文登记: the register of issued notices (number, kind, record, date, officer), filtered by
// year and kind, with 重新打印 / 另存为PDF of the stored copy.
import { Alert, Button, Card, Empty, Modal, Select, Space, Table, Tag, Tooltip } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { IssuedDocument } from "../../bindings";
import { PageHead } from "../complaints/common";
import { NOTICE_KINDS } from "./kinds";
import { PrintPanel } from "./PrintPanel";

export function NoticeRegisterScreen({ thisYear }: { thisYear?: number }) {
  const api = useApi();
  const current = thisYear ?? new Date().getFullYear();
  const [year, setYear] = useState<number | null>(current);
  const [kind, setKind] = useState<string | null>(null);
  const [docs, setDocs] = useState<IssuedDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reprint, setReprint] = useState<IssuedDocument | null>(null);

  const load = useCallback(() => {
    setError(null);
    api.noticeRegister({ year, kind, aggregate: null }).then(setDocs, (e: unknown) => setError(errorMessage(e)));
  }, [api, year, kind]);

  useEffect(() => {
    load();
  }, [load]);

  const years = [current, current - 1, current - 2];
  return (
    <div className="qf-page" data-testid="page-notice-register">
      <PageHead title="发文登记" />
      <Card size="small" className="qf-card">
        <Space wrap>
          <Select
            data-testid="register-year"
            style={{ width: 120 }}
            value={year ?? 0}
            onChange={(v: number) => setYear(v === 0 ? null : v)}
            options={[...years.map((y) => ({ value: y, label: `${y}年` })), { value: 0, label: "全部年份" }]}
          />
          <Select
            data-testid="register-kind"
            style={{ width: 180 }}
            value={kind ?? ""}
            onChange={(v: string) => setKind(v === "" ? null : v)}
            options={[{ value: "", label: "全部种类" }, ...NOTICE_KINDS.map((k) => ({ value: k.kind, label: k.label }))]}
          />
        </Space>
      </Card>
      {error && <Alert type="error" showIcon className="qf-block-alert" data-testid="register-error" message={error} />}
      <Card size="small" className="qf-card">
        <Table<IssuedDocument>
          rowKey="id"
          size="small"
          loading={docs === null && !error}
          dataSource={docs ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="没有已签发的文书" /> }}
          onRow={() => ({ "data-testid": "register-row" }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: "文号",
              dataIndex: "number",
              key: "number",
              render: (number: string, d: IssuedDocument) =>
                d.duplicate_number ? (
                  <Space size={4}>
                    {number}
                    <Tooltip title="本单位两台设备离线时各自签发了这个文号。请核对后作废其中一份，重新签发。">
                      <Tag color="red" data-testid="register-duplicate">
                        文号重复
                      </Tag>
                    </Tooltip>
                  </Space>
                ) : (
                  number
                ),
            },
            { title: "种类", dataIndex: "title", key: "title" },
            { title: "记录", dataIndex: "record_label", key: "record" },
            { title: "签发日期", dataIndex: "issue_date", key: "date" },
            { title: "签发人", dataIndex: "issued_by", key: "by" },
            {
              title: "操作",
              key: "actions",
              render: (_: unknown, d: IssuedDocument) => (
                <Button size="small" data-testid="register-reprint" onClick={() => setReprint(d)}>
                  重新打印
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={reprint !== null}
        title={reprint ? `重新打印 ${reprint.number}` : ""}
        footer={
          <Button data-testid="reprint-close" onClick={() => setReprint(null)}>
            关闭
          </Button>
        }
        onCancel={() => setReprint(null)}
        destroyOnHidden
      >
        {reprint && (
          <>
            <p>打印的是签发时存档的文书，与原件完全相同（SHA-256 {reprint.pdf_sha256.slice(0, 16)}…）。</p>
            <PrintPanel doc={reprint} />
          </>
        )}
      </Modal>
    </div>
  );
}

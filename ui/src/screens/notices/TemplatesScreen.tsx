// 文书模板: every version of every notice template; an administrator edits a version's TOML and
// saves it as a new version, and a refusal (an undeclared field, a syntax error) is shown in the
// parser's Chinese words.
import { Alert, Button, Card, Col, Input, Row, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { TemplateView } from "../../bindings";
import { PageHead } from "../complaints/common";

export function TemplatesScreen({ canEdit }: { canEdit: boolean }) {
  const api = useApi();
  const [list, setList] = useState<TemplateView[] | null>(null);
  const [selected, setSelected] = useState<TemplateView | null>(null);
  const [source, setSource] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    api.noticeTemplates().then(setList, (e: unknown) => setError(errorMessage(e)));
  }, [api]);

  useEffect(() => {
    load();
  }, [load]);

  function choose(t: TemplateView) {
    setSelected(t);
    setSource(t.source);
    setError(null);
    setSaved(null);
  }

  async function save() {
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const t = await api.noticeTemplateSave(source);
      setSaved(`已保存“${t.kind_name}”第 ${t.version} 版，新签发的文书将使用此版本。`);
      setSelected(t);
      load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="qf-page" data-testid="page-notice-templates">
      <PageHead title="文书模板" />
      <Row gutter={16}>
        <Col span={10}>
          <Card size="small" className="qf-card">
            <Table<TemplateView>
              rowKey={(t) => `${t.kind}:${t.version}:${t.builtin}:${t.sha256}`}
              size="small"
              pagination={false}
              loading={list === null && !error}
              dataSource={list ?? []}
              onRow={(t) => ({ onClick: () => choose(t), "data-testid": "template-row" }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { title: "文书", dataIndex: "kind_name", key: "kind" },
                { title: "版本", dataIndex: "version", key: "version", render: (v: number) => `第${v}版` },
                {
                  title: "状态",
                  key: "state",
                  render: (_: unknown, t: TemplateView) => (
                    <Space size={4}>
                      {t.active && <Tag color="green">使用中</Tag>}
                      {t.builtin ? <Tag>内置</Tag> : <Tag color="blue">{t.saved_by}</Tag>}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={14}>
          <Card size="small" className="qf-card" title={selected ? `${selected.kind_name} 第${selected.version}版` : "选择左侧的模板"}>
            {error && <Alert type="error" showIcon className="qf-block-alert" data-testid="template-error" message={error} />}
            {saved && <Alert type="success" showIcon className="qf-block-alert" data-testid="template-saved" message={saved} />}
            {selected ? (
              <>
                <Input.TextArea
                  data-testid="template-source"
                  value={source}
                  readOnly={!canEdit}
                  autoSize={{ minRows: 16, maxRows: 32 }}
                  style={{ fontFamily: "monospace" }}
                  onChange={(e) => setSource(e.target.value)}
                />
                {canEdit ? (
                  <Space style={{ marginTop: 12 }}>
                    <Typography.Text type="secondary">保存为新版本时，请把 version 改为大于现有各版本的数字。</Typography.Text>
                    <Button type="primary" data-testid="template-save" loading={saving} onClick={save}>
                      保存为新版本
                    </Button>
                  </Space>
                ) : (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                    只有系统管理员可以修改文书模板。
                  </Typography.Paragraph>
                )}
              </>
            ) : (
              <Typography.Text type="secondary">模板决定文书的标题、正文和需要填写的字段。</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

// 引用条款: a record's cited articles (a complaint, a penalty decision's execution item or a
// rectification item) and the small modal that searches the library and cites one.
import { Alert, App, Button, Card, Empty, Input, List, Modal, Popconfirm, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { CitationView, SearchHit } from "../../bindings";
import { CASE_ROLES } from "../../labels";
import { usePenaltyNav } from "../penalty/nav";
import { Highlighted } from "./Highlighted";
import "./library.css";

type ModalProps = {
  open: boolean;
  record: string;
  item: number | null;
  onClose: () => void;
  /** Receives the record's citations after a successful citation. */
  onCited: (list: CitationView[]) => void;
};

/** Searches articles in force and cites the chosen one, with an optional note. */
export function CiteModal({ open, record, item, onClose, onCited }: ModalProps) {
  const api = useApi();
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function search(q: string) {
    if (!q.trim()) {
      setError("请输入条文中的文字再查找，例如“影响期”。");
      return;
    }
    setError(null);
    try {
      const r = await api.librarySearch({ text: q, document: null, status: "in_force", limit: 20, offset: 0 });
      setHits(r.hits);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function cite(h: SearchHit) {
    const key = `${h.document_id}:${h.article}`;
    setBusy(key);
    setError(null);
    try {
      const list = await api.libraryCite({
        record,
        item,
        document_id: h.document_id,
        version: h.version,
        article: h.article,
        note: note.trim() || null,
      });
      onCited(list);
      setNote("");
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Modal open={open} title="引用条款" onCancel={onClose} footer={null} width={720} destroyOnHidden>
      <div data-testid="cite-modal">
        {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="cite-error" />}
        <Input.Search
          data-testid="cite-search"
          placeholder="在现行有效的法规中查找，如“政务处分的期间”"
          enterButton="查找"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => void search(v)}
        />
        <Input
          data-testid="cite-note"
          placeholder="引用说明（可不填），如“拟给予记过处分”"
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ marginTop: 8 }}
        />
        {hits &&
          (hits.length === 0 ? (
            <Empty description="没有找到。可换一个说法再查。" />
          ) : (
            <List
              dataSource={hits}
              renderItem={(h) => (
                <List.Item
                  data-testid="cite-hit"
                  actions={[
                    <Button
                      key="cite"
                      type="primary"
                      size="small"
                      data-testid="cite-choose"
                      loading={busy === `${h.document_id}:${h.article}`}
                      onClick={() => void cite(h)}
                    >
                      引用
                    </Button>,
                  ]}
                >
                  <div>
                    <Typography.Text strong>
                      《{h.document_title}》{h.article_label}
                    </Typography.Text>
                    <Highlighted segments={h.segments} />
                  </div>
                </List.Item>
              )}
            />
          ))}
      </div>
    </Modal>
  );
}

/** The citations of a record (or of one item of it), with 引用条款 and 撤销 for citing posts. */
export function CitationsCard({ record, item = null }: { record: string; item?: number | null }) {
  const api = useApi();
  const { message } = App.useApp();
  const { roles } = usePenaltyNav();
  // Posts that read records may cite (the administrator reads no case).
  const mayCite = roles.some((r) => CASE_ROLES.has(r));
  const [list, setList] = useState<CitationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let live = true;
    api.libraryCitations(record).then(
      (l) => live && setList(l),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, record]);

  async function uncite(id: string) {
    try {
      setList(await api.libraryUncite(record, id));
      message.success("已撤销引用。");
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  const shown = (list ?? []).filter((c) => item === null || c.item === item);
  return (
    <Card
      size="small"
      className="qf-card qf-section"
      title="引用条款"
      data-testid="citations-card"
      extra={
        mayCite && (
          <Button size="small" data-testid="cite-open" onClick={() => setOpen(true)}>
            引用条款
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon message={error} />}
      {shown.length === 0 ? (
        <Typography.Text type="secondary">尚未引用条款。</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={shown}
          renderItem={(c) => (
            <List.Item
              data-testid="citation"
              actions={
                mayCite
                  ? [
                      <Popconfirm key="x" title="撤销这条引用？" okText="撤销" cancelText="取消" onConfirm={() => void uncite(c.id)}>
                        <Button size="small" type="link" data-testid="citation-remove">
                          撤销
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <div>
                <Space>
                  <Typography.Text strong data-testid="citation-title">
                    《{c.document_title}》{c.article_label}
                  </Typography.Text>
                  <Tag>版本 {c.version}</Tag>
                  {c.item !== null && item === null && <Tag>第 {c.item} 项</Tag>}
                </Space>
                {c.note && <div data-testid="citation-note">说明：{c.note}</div>}
                {c.text && <p className="qf-lib-text">{c.text}</p>}
                <Typography.Text type="secondary">
                  {c.added_by} {c.added_at}
                </Typography.Text>
              </div>
            </List.Item>
          )}
        />
      )}
      <CiteModal open={open} record={record} item={item} onClose={() => setOpen(false)} onCited={setList} />
    </Card>
  );
}


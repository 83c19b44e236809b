// The field where the recovery code is typed (or scanned with a USB scanner, which types it).
import { Input } from "antd";

export function CodeInput(props: { value?: string; onChange?: (v: string) => void; testId: string }) {
  return (
    <Input.TextArea
      className="qf-code-input"
      data-testid={props.testId}
      value={props.value}
      onChange={(e) => props.onChange?.(e.target.value)}
      autoSize={{ minRows: 2, maxRows: 3 }}
      autoComplete="off"
      spellCheck={false}
      placeholder="恢复页上的九组数字，每组六位，如 123456 234567 …（空格、横线可输可不输）"
    />
  );
}

/** A quick check before asking the backend, which checks each group properly. */
export function digitsIn(code: string): number {
  return Array.from(code).filter((c) => /[0-9０-９]/.test(c)).length;
}

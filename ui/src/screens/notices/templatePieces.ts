// How the template editor shows a line of a template: literal words, with each field written as
// its Chinese label in 【】 (【检举控告人】), never as its internal name. The form keeps pieces
// (text or a field by name); these turn pieces into the text box's words and back.
import type { FieldRef, FormField, Piece } from "../../bindings";

/** The label to show for a field reference: the field's current label, else the one it had. */
export function labelOf(ref: FieldRef, fields: FormField[]): string {
  return fields.find((f) => f.name === ref.name)?.label ?? ref.label;
}

/** The words a text box shows for `pieces`. */
export function piecesToText(pieces: Piece[], fields: FormField[]): string {
  return pieces.map((p) => (p.type === "text" ? p.text : `【${labelOf(p, fields)}】`)).join("");
}

/**
 * The pieces of words typed in a text box. A 【label】 of a current field becomes that field; a
 * 【label】 that a field no longer in the list had (kept in `before`) stays a reference to it, so
 * saving is refused with that label rather than the field silently turning into words. Anything
 * else in 【】 is words.
 */
export function textToPieces(text: string, fields: FormField[], before: Piece[]): Piece[] {
  const gone = new Map<string, FieldRef>();
  for (const p of before) {
    if (p.type === "field" && !fields.some((f) => f.name === p.name)) gone.set(p.label, { name: p.name, label: p.label });
  }
  const out: Piece[] = [];
  const push = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last && last.type === "text") last.text += t;
    else out.push({ type: "text", text: t });
  };
  let rest = text;
  for (;;) {
    const open = rest.indexOf("【");
    const close = open < 0 ? -1 : rest.indexOf("】", open);
    if (open < 0 || close < 0) break;
    const label = rest.slice(open + 1, close);
    const field = fields.find((f) => f.label === label);
    const ref = field ? { name: field.name, label: field.label } : gone.get(label);
    push(rest.slice(0, open));
    if (ref) out.push({ type: "field", ...ref });
    else push(rest.slice(open, close + 1));
    rest = rest.slice(close + 1);
  }
  push(rest);
  return out;
}

/** A new internal name for a field added in the editor, unlike any in `fields`. */
export function newFieldName(fields: FormField[]): string {
  for (let n = 1; ; n++) {
    const name = `field_${n}`;
    if (!fields.some((f) => f.name === name)) return name;
  }
}

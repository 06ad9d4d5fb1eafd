/**
 * Finds where a field sits in `exhibit.yaml`, so every problem can name the
 * line and column staff should look at.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from 'yaml';

/** A parsed exhibit document with the means to turn field paths into positions. */
export interface LocatedDocument {
  doc: Document;
  /** The data as plain JavaScript (undefined if the YAML cannot be read). */
  data: unknown;
  /** Line and column (1-based) of the field, or of its nearest existing parent. */
  locate(path: readonly (string | number)[], opts?: { key?: boolean }): { line: number; column: number };
}

/** Parses YAML text, keeping the positions of every node. */
export function locatedDocument(text: string): LocatedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const data = doc.errors.length === 0 ? doc.toJS() : undefined;
  const locate = (path: readonly (string | number)[], opts: { key?: boolean } = {}) => {
    let node: YamlNode | null | undefined = doc.contents;
    let at: number = doc.contents?.range?.[0] ?? 0;
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as YamlNode | null;
        const valueNode = pair.value as YamlNode | null;
        const pick = last && opts.key ? keyNode : (valueNode ?? keyNode);
        if (pick?.range) at = pick.range[0];
        node = valueNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as YamlNode | null | undefined;
        if (!item) break;
        if (item.range) at = item.range[0];
        node = item;
      } else break;
    }
    const pos = lineCounter.linePos(at);
    return { line: pos.line, column: pos.col };
  };
  return { doc, data, locate };
}

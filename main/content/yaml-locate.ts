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
  visit,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from 'yaml';

/** A parsed exhibit document with the means to turn field paths into positions. */
export interface LocatedDocument {
  doc: Document;
  /** The data as plain JavaScript (undefined if the YAML cannot be read). */
  data: unknown;
  /** Line and column (1-based) of the field, or of its nearest existing parent. */
  locate(path: readonly (string | number)[], opts?: { key?: boolean }): { line: number; column: number };
}

/**
 * Parses exhibit YAML the one way every reader does: duplicate keys are
 * errors, errors keep their raw offsets, and `lineCounter` turns an offset
 * into a line and column.
 */
export function parseExhibitYaml(text: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return { doc, lineCounter };
}

/** Parses YAML text, keeping the positions of every node. */
export function locatedDocument(text: string): LocatedDocument {
  const { doc, lineCounter } = parseExhibitYaml(text);
  const read = doc.errors.length === 0 ? readYamlData(doc, lineCounter) : undefined;
  const data = read?.ok ? read.data : undefined;
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

/** What staff need to fix the first YAML mistake: a message and a hint in their words. */
export interface YamlMistake {
  line: number;
  column: number;
  message: string;
  hint: string;
}

const AFTER = 'Fix this first: the lines after it may well be fine.';

/**
 * A parsed document's data as plain JavaScript, or the mistake that keeps it
 * from being read. The YAML library refuses to expand a document whose
 * aliases (`*name`) would repeat their anchors (`&name`) more than 100 times
 * over (it throws, to stop a file that explodes into gigabytes); that is
 * reported here at the first alias, in staff's words, instead of thrown.
 */
export function readYamlData(
  doc: Document,
  lines: LineCounter,
  file = 'exhibit.yaml',
): { ok: true; data: unknown } | { ok: false; mistake: YamlMistake } {
  try {
    return { ok: true, data: doc.toJS() };
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    let count = 0;
    let first: number | undefined;
    let unresolved: { name: string; at?: number } | undefined;
    visit(doc, {
      Alias(_, node) {
        count++;
        first ??= node.range?.[0];
        if (!unresolved && err.message.endsWith(`: ${node.source}`) && err.message.startsWith('Unresolved'))
          unresolved = { name: node.source, at: node.range?.[0] };
      },
    });
    const where = (offset: number | undefined) => {
      const { line, col: column } = lines.linePos(offset ?? 0);
      return { line, column };
    };
    if (unresolved) {
      return {
        ok: false,
        mistake: {
          ...where(unresolved.at),
          message: `*${unresolved.name} refers to an anchor &${unresolved.name} that is not set before it`,
          hint: `write the text out instead of using & and *, or put &${unresolved.name} on the text it stands for, above this line`,
        },
      };
    }
    return {
      ok: false,
      mistake: {
        ...where(first),
        message: `${file} repeats anchors (*name) too often: ${count} aliases, which would expand to more than the 100 repeats allowed`,
        hint: 'write the text out instead of using & and * (copy it where it is needed)',
      },
    };
  }
}

/**
 * Explains the first of the YAML parser's errors in words staff can act on.
 * Only the first is explained: one slip (a tab, a stray colon) makes the
 * parser report knock-on errors on many lines after it that are not mistakes.
 */
export function explainYamlError(
  text: string,
  errors: readonly YAMLError[],
  lines: LineCounter,
): YamlMistake {
  const first = errors[0]!;
  const { line, col: column } = lines.linePos(first.pos[0]);
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  const say = (message: string, hint: string) => ({ line, column, message, hint: `${hint}. ${AFTER}` });
  // `  en: Order No. 1: the offensive begins`: the value, when this is a `key: value` line.
  const value = /^\s*(?:-\s+)?[^\s:#'"][^:#]*:\s+(.*)$/.exec(lineText)?.[1]?.trimEnd();
  const key = /^\s*(?:-\s+)?([^:]+):/.exec(lineText)?.[1]?.trim();
  switch (first.code) {
    case 'TAB_AS_INDENT':
      return say(
        `line ${line} is indented with a tab`,
        'replace the tab with spaces, lined up with the lines around it (indents in this file are spaces only)',
      );
    case 'DUPLICATE_KEY': {
      const earlier = text
        .split(/\r?\n/)
        .slice(0, line - 1)
        .map((l, i) => ({ l, i }))
        .reverse()
        .find(({ l }) => key !== undefined && new RegExp(`^\\s*(?:-\\s+)?${escape(key)}\\s*:`).test(l));
      return say(
        `"${key ?? '?'}" appears twice in the same group${earlier ? ` (first on line ${earlier.i + 1})` : ''}`,
        'keep one of the two lines and delete the other',
      );
    }
    case 'MISSING_CHAR':
      if (/quote/i.test(first.message)) {
        return say(
          'a quote mark opened here is never closed',
          'add the closing quote mark at the end of the text, the same kind (" or \') as the opening one',
        );
      }
      break;
  }
  if (value !== undefined && !/^["']/.test(value) && /:\s/.test(value)) {
    return say(
      `line ${line}: this text contains ": " (a colon and a space), which the file reads as the start of a new field`,
      `put the whole text in quotes: ${key}: "${value.replace(/"/g, '\\"')}"`,
    );
  }
  if (value !== undefined && /^(["']).*\1\s*\S/.test(value)) {
    const other = value.startsWith('"') ? "'" : '"';
    return say(
      `line ${line}: this text starts with a quote mark, so the file expects it to end at the closing one`,
      `put the whole text in the other kind of quotes: ${key}: ${other}${value}${other}`,
    );
  }
  return say(
    `the file cannot be read from line ${line} (${first.message.split('\n')[0]})`,
    'check the indentation (spaces, lined up with the lines around it), the colons and the quotes on this line',
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The content folder as a source of new versions: it notices when staff have
 * changed the folder (and stopped changing it), validates it by installing it
 * into the store, and says what came of it. An invalid folder never changes
 * the store.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../common/atomic-write.js';
import type { Problem } from '../contract/problems.js';
import { ContentError } from './errors.js';
import { applyContent, RejectedContent } from './store.js';

/** The small memo kept in the store: what was last taken from the content folder. */
const MEMO_FILE = 'live.json';

/** What one look at the folder came to. */
export type FolderCandidate =
  | {
      ok: true;
      /** `folder <dir>`, as the history and the staff panel name it. */
      source: string;
      version: string;
      /** False when this version was already current. */
      changed: boolean;
      warnings: Problem[];
    }
  | { ok: false; source: string; message: string; problems: Problem[] };

/** Options for {@link createFolderFeed}. */
export interface FolderFeedOptions {
  contentDir: string;
  store: string;
  now?: () => number;
}

/** A watched content folder. */
export interface FolderFeed {
  readonly dir: string;
  /**
   * Looks at the folder once and installs it when it changed since it was
   * last taken and has held still since the previous look (or at once when
   * `settled`). Undefined when there is nothing new, or another update holds
   * the store (then the next look tries again).
   */
  check(settled: boolean): Promise<FolderCandidate | undefined>;
}

/** A cheap fingerprint of a folder: every file's path, size and modification time. */
async function folderSignature(root: string): Promise<string | undefined> {
  const parts: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(childRel);
      else {
        const info = await lstat(path.join(root, childRel)).catch(() => undefined);
        if (info) parts.push(`${childRel}\u0000${info.size}\u0000${Math.round(info.mtimeMs)}`);
      }
    }
  };
  try {
    await lstat(path.join(root, 'exhibit.yaml'));
  } catch {
    return undefined;
  }
  await walk('');
  return parts.sort().join('\n');
}

/** Starts watching `contentDir` for versions to install into `store`. */
export function createFolderFeed(opts: FolderFeedOptions): FolderFeed {
  const contentDir = path.resolve(opts.contentDir);
  const store = path.resolve(opts.store);
  const now = opts.now ?? Date.now;
  const source = `folder ${contentDir}`;
  /** The fingerprint at the previous look: a change is taken only once it has stopped. */
  let lastSeen: string | undefined;

  const readMemo = async (): Promise<{ folder?: string; signature?: string }> => {
    try {
      return JSON.parse(await readFile(path.join(store, MEMO_FILE), 'utf8')) as {
        folder?: string;
        signature?: string;
      };
    } catch {
      return {};
    }
  };

  return {
    dir: contentDir,
    async check(settled) {
      const signature = await folderSignature(contentDir);
      if (signature === undefined) return undefined;
      const memo = await readMemo();
      if (memo.folder === contentDir && memo.signature === signature) return undefined;
      // Files still being copied or saved change between two looks; wait until they hold still.
      const still = signature === lastSeen;
      lastSeen = signature;
      if (!settled && !still) return undefined;
      let candidate: FolderCandidate;
      try {
        // The folder is this kiosk's own content: staff editing it may lower its version or change its id.
        const result = await applyContent(contentDir, store, {
          source,
          now: () => new Date(now()),
          allowOlder: true,
          force: true,
        });
        candidate = {
          ok: true,
          source,
          version: result.version,
          changed: result.changed,
          warnings: result.warnings,
        };
      } catch (err) {
        if (err instanceof RejectedContent) {
          candidate = { ok: false, source, message: err.message, problems: err.problems };
        } else if (err instanceof ContentError) {
          // Another update is running (the CLI): try again at the next look.
          return undefined;
        } else {
          // Anything else is reported as this folder's problem, once, not thrown at every look.
          candidate = {
            ok: false,
            source,
            message: `${contentDir} could not be checked: ${err instanceof Error ? err.message : String(err)}`,
            problems: [],
          };
        }
      }
      // Remembered either way: a refused folder is not tried again until it changes.
      await writeFileAtomic(
        path.join(store, MEMO_FILE),
        `${JSON.stringify({ folder: contentDir, signature })}\n`,
      ).catch(() => undefined);
      return candidate;
    },
  };
}

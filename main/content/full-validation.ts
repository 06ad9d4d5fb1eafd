/**
 * For the editors' preview: a content source whose `problems()` is the full
 * archive-aware check of the folder, not only the schema check of the last load.
 */
import type { Problem } from '../contract/problems.js';
import type { ContentSource } from './source.js';
import { validateContent } from './validate.js';

/**
 * The same source, but `problems()` is the full check (`validateContent`:
 * missing files, fake JPEGs, credits, alt text, caption length...) of the
 * folder as it is now, refreshed every `intervalMs`.
 */
export function withFullValidation(source: ContentSource, intervalMs = 1500): ContentSource {
  let problems: Problem[] = source.problems();
  let running = false;
  let closed = false;
  const check = async () => {
    if (running || closed) return;
    running = true;
    try {
      problems = (await validateContent(source.dir)).problems;
    } catch {
      problems = source.problems();
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref?.();
  return {
    get dir() {
      return source.dir;
    },
    current: () => source.current(),
    problems: () => problems,
    subscribe: (fn) => source.subscribe(fn),
    reload: async () => {
      await source.reload();
      await check();
    },
    close() {
      closed = true;
      clearInterval(timer);
      source.close();
    },
  };
}

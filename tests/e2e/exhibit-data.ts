/** Reads the exhibit the host serves, so specs assert against real content rather than copies of it. */
import type { Exhibit } from '../../main/content/schema.js';

/** The served exhibit. */
export async function servedExhibit(url: string): Promise<Exhibit> {
  const res = await fetch(new URL('api/exhibit', url));
  if (!res.ok) throw new Error(`api/exhibit answered ${res.status}`);
  return ((await res.json()) as { exhibit: Exhibit }).exhibit;
}

/** Index of the first chapter with at least one image. */
export function firstIllustrated(exhibit: Exhibit): number {
  const i = exhibit.chapters.findIndex((c) => c.images.length > 0);
  if (i < 0) throw new Error('the exhibit has no illustrated chapter');
  return i;
}

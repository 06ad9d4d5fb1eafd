import { describe, expect, it } from 'vitest';
import { fetchExhibit } from '../../src/lib/api.js';
import { loadExhibit } from '../../main/content/load.js';
import path from 'node:path';

const bundled = path.resolve(import.meta.dirname, '../../assets/exhibit');

function answer(body: unknown, status = 200): typeof fetch {
  return async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
}

describe('fetchExhibit (the page reads what the host serves)', () => {
  it('takes the bundled exhibit as the host serves it', async () => {
    const loaded = await loadExhibit(bundled);
    if (!loaded.ok) throw new Error('the bundled exhibit does not load');
    const result = await fetchExhibit(answer({ version: 'v7', exhibit: loaded.exhibit, problems: [] }));
    expect(result.ok && result.value.version).toBe('v7');
    expect(result.ok && result.value.exhibit.chapters.length).toBe(loaded.exhibit.chapters.length);
  });

  it.each([
    ['not JSON', 'not json at all', /not JSON/],
    ['no version', { exhibit: { settings: {}, title: {}, chapters: [{}] } }, /no content version/],
    [
      'no chapters',
      { version: 'v1', exhibit: { settings: {}, title: {}, chapters: [] } },
      /without chapters/,
    ],
    ['a bare array', [], /no content version/],
  ])('refuses %s with a reason the log can show', async (_name, body, reason) => {
    const result = await fetchExhibit(answer(body));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('says which status the host answered when it has no valid content', async () => {
    const result = await fetchExhibit(answer({ problems: [] }, 503));
    expect(!result.ok && result.reason).toMatch(/503/);
  });
});

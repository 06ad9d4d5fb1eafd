/**
 * The page learns from the exhibit payload which optional routes its host serves (the staff
 * panel's, the editors' preview's), so it never probes for them and logs no 404s where a host
 * lacks them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler, type HandlerOptions } from '../../main/handler/handler.js';
import { fetchExhibit } from '../../src/lib/api.js';
import { makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;

beforeEach(async () => {
  fx = await makeFixture();
  source = await createContentSource(fx.contentDir, { watch: false });
});
afterEach(async () => {
  await source.close();
  await fx.cleanup();
});

/** What the page reads from `/api/exhibit` of a host built with `extra`. */
async function pageReads(extra: Partial<HandlerOptions>) {
  const handle = createHandler({ rendererDir: fx.rendererDir, content: source, ...extra });
  const asked: string[] = [];
  const result = await fetchExhibit(async (input) => {
    asked.push(String(input));
    return handle(new Request(`http://127.0.0.1/${String(input)}`));
  });
  expect(asked).toEqual(['api/exhibit']);
  if (!result.ok) throw new Error(result.reason);
  return result.value.host;
}

describe('host features', () => {
  it('a plain host serves neither staff nor preview routes, and says so', async () => {
    const handle = createHandler({ rendererDir: fx.rendererDir, content: source });
    expect((await handle(new Request('http://127.0.0.1/api/preview/status'))).status).toBe(404);
    expect((await handle(new Request('http://127.0.0.1/api/staff/rendered'))).status).toBe(404);
    expect(await pageReads({})).toEqual({ staff: false, editorPreview: false });
  });

  it('the editors preview and the kiosk with its staff panel say what they add', async () => {
    expect(await pageReads({ preview: true })).toEqual({ staff: false, editorPreview: true });
    const staff = async () => new Response(null, { status: 204 });
    expect(await pageReads({ staff })).toEqual({ staff: true, editorPreview: false });
  });

  it('a host that does not say is taken to serve none', async () => {
    const loaded = source.current()!;
    const body = JSON.stringify({ version: loaded.version, exhibit: loaded.exhibit, problems: [] });
    const result = await fetchExhibit(async () => new Response(body, { status: 200 }));
    expect(result.ok && result.value.host).toEqual({ staff: false, editorPreview: false });
  });
});

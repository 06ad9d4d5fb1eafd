import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentVersion, createContentSource, type ContentSnapshot } from '../../main/content/source.js';
import { exhibitYaml, makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture({ renderer: false });
});
afterEach(async () => {
  await fx.cleanup();
});

const write = (text: string) => writeFile(path.join(fx.contentDir, 'exhibit.yaml'), text);

describe('createContentSource', () => {
  it('loads a valid folder with a short version of its text', async () => {
    const source = await createContentSource(fx.contentDir);
    const snap = source.current();
    expect(snap?.exhibit.title.en).toBe('Test exhibit');
    expect(snap?.dir).toBe(fx.contentDir);
    expect(snap?.version).toBe(contentVersion(exhibitYaml()));
    expect(snap?.version).toMatch(/^[0-9a-f]{12}$/);
    expect(source.problems()).toEqual([]);
    source.close();
  });

  it('reports problems and has no snapshot when there never was valid content', async () => {
    await write('schemaVersion: 1\nid: Not A Slug\n');
    const source = await createContentSource(fx.contentDir);
    expect(source.current()).toBeUndefined();
    expect(source.problems().length).toBeGreaterThan(0);
    expect(source.problems().some((p) => p.field === 'id')).toBe(true);
    source.close();
  });

  it('keeps the last good version when a reload fails, and recovers after', async () => {
    const source = await createContentSource(fx.contentDir);
    const good = source.current();
    const seen: ContentSnapshot[] = [];
    source.subscribe((s) => seen.push(s));

    await write('title: [unclosed');
    await source.reload();
    expect(source.current()).toBe(good);
    expect(source.problems()[0]?.message).toMatch(/the file cannot be read from line/);
    expect(seen).toEqual([]);

    await write(exhibitYaml('Fixed'));
    await source.reload();
    expect(source.current()?.exhibit.title.en).toBe('Fixed');
    expect(source.problems()).toEqual([]);
    expect(seen.map((s) => s.exhibit.title.en)).toEqual(['Fixed']);
    source.close();
  });

  it('does not notify when the text did not change, and stops after unsubscribe', async () => {
    const source = await createContentSource(fx.contentDir);
    let calls = 0;
    const off = source.subscribe(() => calls++);
    await source.reload();
    expect(calls).toBe(0);
    await write(exhibitYaml('Second'));
    await source.reload();
    expect(calls).toBe(1);
    off();
    await write(exhibitYaml('Third'));
    await source.reload();
    expect(calls).toBe(1);
    expect(source.current()?.exhibit.title.en).toBe('Third');
    source.close();
  });

  it('with watch, picks up a saved edit by itself', async () => {
    const source = await createContentSource(fx.contentDir, { watch: true, debounceMs: 20 });
    const next = new Promise<ContentSnapshot>((resolve) => source.subscribe(resolve));
    await write(exhibitYaml('Edited on disk'));
    const snap = await next;
    expect(snap.exhibit.title.en).toBe('Edited on disk');
    expect(source.current()).toBe(snap);
    source.close();
  });
});

/**
 * The staff journey end to end, as docs/staff-guide.md tells it: start a
 * content folder, replace a placeholder plate with a scan, check, package,
 * drop the package in the kiosk's inbox, and see it shown at the next idle
 * reset — with the kiosk keeping its version until then.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runContentCli } from '../../main/cli/content.js';
import { createLiveStore } from '../../main/content/live-store.js';
import { captureOut, cleanup, tempDir } from './content-fixtures.js';

let work: string;
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => cleanup(work));

describe('staff replace a placeholder with a scan and publish it', () => {
  // Many real file steps over the whole bundled exhibit: allowed more than the default 5 s.
  it('reaches the kiosk at the next idle reset', async () => {
    const folder = path.join(work, 'exhibit');
    const store = path.join(work, 'store');
    const inbox = path.join(work, 'usb');
    await mkdir(inbox);
    const run = async (...args: string[]) => {
      const io = captureOut();
      const code = await runContentCli(args, io.out);
      return { code, ...io };
    };

    expect((await run('init', folder)).code).toBe(0);
    expect((await run('apply', folder, '--store', store)).code).toBe(0);
    const live = await createLiveStore({ store, inbox, pollMs: 0, stableMs: 0 });
    const before = live.shown()!;

    // The first placeholder plate gets the museum's scan.
    const yamlPath = path.join(folder, 'exhibit.yaml');
    const yaml = await readFile(yamlPath, 'utf8');
    const firstImage = parse(yaml).chapters.flatMap((c: { images?: { src: string }[] }) => c.images ?? [])[0];
    await mkdir(path.join(folder, 'media', 'scans'));
    await sharp({ create: { width: 2600, height: 1800, channels: 3, background: '#8a7a60' } })
      .jpeg()
      .toFile(path.join(folder, 'media', 'scans', 'yalta.jpg'));
    const edited = yaml
      .replace(`src: ${firstImage.src}`, 'src: media/scans/yalta.jpg')
      .replace(/(src: media\/scans\/yalta\.jpg\n\s+placeholder:) true/, '$1 false');
    expect(edited).not.toBe(yaml);
    await writeFile(yamlPath, edited.replace("version: '1'", "version: '2'"));

    const checked = await run('validate', folder);
    expect(checked.code).toBe(0);
    expect(checked.stdout.join('\n')).toMatch(/ready to publish/);
    expect((await run('build', folder)).code).toBe(0);
    const packed = await run('pack', folder, path.join(work, 'out') + path.sep);
    expect(packed.code).toBe(0);
    const pkg = /to (.*\.vitrine\.zip)$/.exec(packed.stdout.at(-1) ?? '')?.[1];
    expect(pkg).toBeDefined();
    await writeFile(path.join(inbox, path.basename(pkg!)), await readFile(pkg!));

    await live.poll(); // the copy has just landed: wait
    await live.poll(); // still the same: take it
    expect(live.pending()?.version).toMatch(/^2-/);
    expect(live.shown()).toEqual(before); // a visitor mid-visit still sees the old version

    const shown = live.commitAtIdle()!;
    const exhibit = parse(await readFile(path.join(shown.dir, 'exhibit.yaml'), 'utf8'));
    const image = exhibit.chapters.flatMap((c: { images?: unknown[] }) => c.images ?? [])[0];
    expect(image).toMatchObject({
      src: 'media/scans/yalta.jpg',
      placeholder: false,
      width: 2600,
      height: 1800,
    });
    expect(await readFile(path.join(shown.dir, 'media', 'scans', 'yalta.jpg'))).toEqual(
      await readFile(path.join(folder, 'media', 'scans', 'yalta.jpg')),
    );
    expect(await readFile(path.join(shown.dir, 'media', '_screen', 'scans', 'yalta.1920.webp'))).toBeTruthy();
    live.close();
  }, 60_000);
});

/**
 * The staff journey end to end, as docs/staff-guide.md tells it: start a
 * content folder, replace a placeholder plate with a scan, check, package,
 * drop the package in the kiosk's inbox, and see it offered for the next idle
 * reset and confirmed once the screen has drawn it. The kiosk side is
 * assembled by the composition root every kiosk host runs (`assembleKiosk`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { assembleKiosk, type KioskAssembly } from '../../main/kiosk/assemble.js';
import { captureOut, cleanup, tempDir } from './content-fixtures.js';

let work: string;
let kiosk: KioskAssembly | undefined;
beforeEach(async () => {
  work = await tempDir();
});
afterEach(async () => {
  kiosk?.close();
  kiosk = undefined;
  await cleanup(work);
});

interface ApiImage {
  src: string;
  placeholder?: boolean;
  variants?: { src: string }[];
}
const images = (body: { exhibit: { chapters: { images?: ApiImage[] }[] } }) =>
  body.exhibit.chapters.flatMap((c) => c.images ?? []);

describe('staff replace a placeholder with a scan and publish it', () => {
  // Many real file steps over the whole bundled exhibit: allowed more than the default 5 s.
  it('reaches the kiosk for the next idle reset and is kept once drawn', async () => {
    const folder = path.join(work, 'exhibit');
    const store = path.join(work, 'store');
    const inbox = path.join(work, 'usb');
    await mkdir(inbox);
    const run = async (...args: string[]) => {
      const io = captureOut();
      const code = await runContentCli(args, io.out);
      return { code, ...io };
    };

    // The kiosk: its store seeded from the folder once, then fed only by the inbox.
    expect((await run('init', folder)).code).toBe(0);
    const assembled = await assembleKiosk({
      contentDir: folder,
      rendererDir: path.join(work, 'no-renderer'),
      live: {
        userData: path.join(work, 'user'),
        env: { VITRINE_CONTENT_STORE: store },
        inboxFlag: inbox,
        seedOnly: true,
        tuning: { pollMs: 0, stableMs: 0 },
      },
      log: () => {},
    });
    kiosk = assembled;
    const { handler } = assembled;
    const live = assembled.services.live;
    const api = async () =>
      (await (await handler(new Request('http://127.0.0.1/api/exhibit'))).json()) as Parameters<
        typeof images
      >[0];
    const before = live.source.current()!.version;
    live.rendererRendered(before);
    const firstImage = images(await api())[0]!;
    expect(firstImage.placeholder).toBe(true);

    // The first placeholder plate gets the museum's scan.
    const yamlPath = path.join(folder, 'exhibit.yaml');
    const yaml = await readFile(yamlPath, 'utf8');
    expect(parse(yaml).chapters.flatMap((c: { images?: ApiImage[] }) => c.images ?? [])[0].src).toBe(
      firstImage.src,
    );
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
    expect(checked.code, checked.stdout.join('\n')).toBe(0);
    expect(checked.stdout.join('\n')).toMatch(/ready to publish/);
    expect((await run('build', folder)).code).toBe(0);
    const packed = await run('pack', folder, path.join(work, 'out') + path.sep);
    expect(packed.code).toBe(0);
    const pkg = /to (.*\.vitrine\.zip)$/.exec(packed.stdout.at(-1) ?? '')?.[1];
    expect(pkg).toBeDefined();
    await writeFile(path.join(inbox, path.basename(pkg!)), await readFile(pkg!));

    // The kiosk's folder changed too, but it only seeds the store: nothing is taken from it.
    await live.poll(); // the copy has just landed: wait
    expect(live.source.current()?.version).toBe(before);
    expect(live.status().inbox?.waiting).toEqual([path.basename(pkg!)]);
    await live.poll(); // still the same: take it

    const status = live.status();
    expect(status.version).toMatch(/^2-/);
    expect(status.previous).toBe(before);
    // Announced, not yet on screen: the renderer takes it at its next idle reset.
    expect(status.pending).toMatchObject({ version: status.version, state: 'waiting' });
    expect(status.confirmed).toBe(false);
    expect(status.installedFrom).toContain(path.basename(pkg!));

    const image = images(await api())[0]!;
    // The original's size and its screen copies come from build's copy index in the package.
    expect(image).toMatchObject({
      src: 'media/scans/yalta.jpg',
      placeholder: false,
      width: 2600,
      height: 1800,
    });
    expect(image.variants?.map((v) => v.src)).toContain('media/_screen/scans/yalta.1920.webp');
    const scan = await handler(new Request('http://127.0.0.1/media/scans/yalta.jpg'));
    expect(scan.status).toBe(200);
    expect(Buffer.from(await scan.arrayBuffer())).toEqual(
      await readFile(path.join(folder, 'media', 'scans', 'yalta.jpg')),
    );
    const copy = await handler(new Request('http://127.0.0.1/media/_screen/scans/yalta.1920.webp'));
    expect(copy.status).toBe(200);

    // The screen draws it at the idle reset and says so: the kiosk keeps it.
    live.rendererApplying(status.version!);
    expect(live.status().pending?.state).toBe('applying');
    live.rendererRendered(status.version!);
    expect(live.status()).toMatchObject({ version: status.version, confirmed: true, pending: undefined });
    expect(await live.rendererFailed('a later, unrelated error')).toBe(false);
    expect(live.source.current()?.version).toBe(status.version);
  }, 60_000);
});

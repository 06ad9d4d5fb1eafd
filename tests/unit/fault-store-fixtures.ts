/**
 * Helpers for the store and inbox fault tests: a kiosk's live content started
 * the way the kiosk starts it, and packages made byte by byte so a test can
 * put anything in them (an alias bomb, a newer format, another exhibit).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createLiveContent, type LiveContent, type LiveOptions } from '../../main/content/live.js';
import { OGG, png, rawZip, VTT, exhibitYaml } from './content-fixtures.js';

/** The files of a valid content folder, as a package holds them. */
export async function contentFiles(
  opts: Parameters<typeof exhibitYaml>[0] = {},
): Promise<Record<string, Buffer>> {
  return {
    'exhibit.yaml': Buffer.from(exhibitYaml(opts)),
    'media/photo.png': await png(40, 30),
    'media/voice.ogg': OGG,
    'media/voice.vtt': Buffer.from(VTT),
  };
}

/** A package of `files` with an honest manifest; `manifest` overrides its fields. */
export function packageOf(files: Record<string, Buffer>, manifest: Record<string, unknown> = {}): Buffer {
  const listed = Object.fromEntries(
    Object.entries(files).map(([name, data]) => [
      name,
      { size: data.length, sha256: createHash('sha256').update(data).digest('hex') },
    ]),
  );
  const m = {
    format: 'vitrine-content',
    formatVersion: 1,
    exhibitId: 'test-exhibit',
    contentVersion: '1',
    createdAt: '2026-01-01T00:00:00.000Z',
    files: listed,
    ...manifest,
  };
  return rawZip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(m)) },
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
  ]);
}

/** An exhibit.yaml that makes the YAML parser give up: more than 100 aliases of one anchor. */
export const ALIAS_BOMB = `a: &a [x, x, x]\nb: [${Array(300).fill('*a').join(', ')}]\n`;

/** Starts live content with test defaults; errors go to `errors`. */
export async function startLive(
  opts: Partial<LiveOptions> & Pick<LiveOptions, 'contentDir' | 'store'>,
  errors: string[] = [],
): Promise<LiveContent> {
  return createLiveContent({
    pollMs: 0,
    stableMs: 0,
    log: () => {},
    onError: (source, message) => errors.push(`${source}: ${message}`),
    ...opts,
  });
}

/** The names in a folder, or [] when it does not exist. */
export async function list(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** The caption visitors see on the first picture. */
export const caption = (l: LiveContent) => l.source.current()?.exhibit.chapters[0]?.images[0]?.caption.en;

/** Reads a JSON file. */
export const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as unknown;

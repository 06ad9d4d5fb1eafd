/**
 * Temporary content folders, packages and images for the content tests.
 * Everything is made on the fly under the OS temp folder.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';

/** A fresh temp folder; remove it with {@link cleanup}. */
export async function tempDir(prefix = 'vitrine-content-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Removes temp folders made by the tests. */
export async function cleanup(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/** A small, valid two-language exhibit. `image` replaces fields of the one image. */
export function exhibitYaml(
  opts: { src?: string; imageExtra?: string; caption?: string; version?: string } = {},
) {
  return `# A test exhibit
schemaVersion: 1
id: test-exhibit
version: '${opts.version ?? '1'}'
title: { en: Test, ru: Тест }
subtitle: { en: A test, ru: Проверка }
source:
  name: { en: Museum, ru: Музей }
  title: { en: Article, ru: Статья }
settings:
  idleSeconds: 60
  defaultLanguage: en
  languages: [en, ru]
chapters:
  - id: first
    title: { en: First, ru: Первая }
    dateLabel: { en: 9 August 1945, ru: 9 августа 1945 }
    date: '1945-08-09'
    summary: { en: Summary, ru: Кратко }
    body:
      - en: Body text.
        ru: Текст.
    images:
      - id: photo
        src: ${opts.src ?? 'media/photo.png'}
        caption:
          en: ${opts.caption ?? 'A photo'}
          ru: Фото
        credit: { en: Archive, ru: Архив }
        alt: { en: A grey square, ru: Серый квадрат }${opts.imageExtra ?? ''}
    narration:
      en:
        audio: media/voice.ogg
        captions: media/voice.vtt
`;
}

/** A real PNG of the given size. */
export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#777777' } })
    .png()
    .toBuffer();
}

/**
 * A PNG that has only its signature, header and end chunks: enough for any
 * reader to learn its size, without allocating its pixels.
 */
export function headerOnlyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Bytes that start like an Ogg stream; enough for the content checks. */
export const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)]);
/** A one-cue WebVTT file. */
export const VTT = 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n';

/** Writes a valid content folder into `dir` (created if needed) and returns it. */
export async function makeContent(
  dir: string,
  opts: Parameters<typeof exhibitYaml>[0] = {},
): Promise<string> {
  await mkdir(path.join(dir, 'media'), { recursive: true });
  await writeFile(path.join(dir, 'exhibit.yaml'), exhibitYaml(opts));
  await writeFile(path.join(dir, 'media', 'photo.png'), await png(40, 30));
  await writeFile(path.join(dir, 'media', 'voice.ogg'), OGG);
  await writeFile(path.join(dir, 'media', 'voice.vtt'), VTT);
  return dir;
}

/** One entry of a hand-made zip. */
export interface RawEntry {
  name: string;
  data?: Buffer;
  /** Unix mode, e.g. 0o120777 for a symbolic link. */
  mode?: number;
}

/**
 * A zip written byte by byte (stored, no compression), so tests can make the
 * hostile entries that zip libraries refuse to write: `../`, absolute paths,
 * symbolic links.
 */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = e.data ?? Buffer.alloc(0);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Captures what the CLI prints. */
export function captureOut() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: {
      log: (l: string) => stdout.push(...l.split('\n')),
      err: (l: string) => stderr.push(...l.split('\n')),
    },
    stdout,
    stderr,
  };
}

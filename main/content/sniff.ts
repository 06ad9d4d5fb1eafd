/**
 * Tells what a media file really is from its first bytes ("magic numbers"),
 * so a renamed or broken file is caught before a visitor sees a blank frame.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';

/** The media kinds a content folder may hold. */
export type MediaKind = 'jpeg' | 'png' | 'webp' | 'svg' | 'ogg' | 'mp3' | 'vtt';

/** What each kind is used for, to check a file sits in the right field. */
export const KIND_ROLE: Record<MediaKind, 'image' | 'audio' | 'captions'> = {
  jpeg: 'image',
  png: 'image',
  webp: 'image',
  svg: 'image',
  ogg: 'audio',
  mp3: 'audio',
  vtt: 'captions',
};

const EXTENSIONS: Record<string, MediaKind> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.webp': 'webp',
  '.svg': 'svg',
  '.ogg': 'ogg',
  '.oga': 'ogg',
  '.opus': 'ogg',
  '.mp3': 'mp3',
  '.vtt': 'vtt',
};

/** Human names used in messages. */
export const KIND_NAME: Record<MediaKind, string> = {
  jpeg: 'JPEG image',
  png: 'PNG image',
  webp: 'WebP image',
  svg: 'SVG drawing',
  ogg: 'Ogg audio',
  mp3: 'MP3 audio',
  vtt: 'WebVTT captions file',
};

/** The extensions accepted for each role, for hints. */
export function extensionsFor(role: 'image' | 'audio' | 'captions'): string[] {
  return Object.entries(EXTENSIONS)
    .filter(([, kind]) => KIND_ROLE[kind] === role)
    .map(([ext]) => ext);
}

/** The kind a file name promises, or undefined for an extension we do not show. */
export function kindFromExtension(file: string): MediaKind | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

const startsWith = (buf: Uint8Array, bytes: number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

/**
 * The kind the bytes show, or undefined if they match none we know. Pure, so
 * tests can feed it buffers.
 */
export function kindFromBytes(head: Uint8Array): MediaKind | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) {
    return 'webp';
  }
  if (startsWith(head, [0x4f, 0x67, 0x67, 0x53])) return 'ogg';
  // An ID3 tag, or a bare MPEG audio frame sync (11 set bits).
  if (startsWith(head, [0x49, 0x44, 0x33])) return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0) return 'mp3';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '');
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(text)) return 'vtt';
  // An SVG may open with an XML declaration, comments or a doctype before <svg.
  const trimmed = text.trimStart();
  if (
    /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(
      trimmed,
    )
  ) {
    return 'svg';
  }
  return undefined;
}

/** Reads the first bytes of a file and tells its kind. */
export async function sniffFile(file: string, bytes = 4096): Promise<MediaKind | undefined> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return kindFromBytes(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * A small, valid content folder and renderer build in a temp dir, written for
 * the handler, host and content-source tests (independent of the bundled exhibit).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A valid exhibit.yaml; `title` lets a test make a new version. */
export function exhibitYaml(title = 'Test exhibit', idleSeconds = 90): string {
  return `schemaVersion: 1
id: test-exhibit
title: { en: "${title}" }
subtitle: { en: "A fixture" }
source:
  name: { en: "Russian MFA" }
  title: { en: "An article" }
settings:
  idleSeconds: ${idleSeconds}
  countdownSeconds: 15
  attractSecondsPerSlide: 8
chapters:
  - id: first
    title: { en: "The first chapter" }
    dateLabel: { en: "9 August 1945" }
    date: "1945-08-09"
    summary: { en: "It begins." }
    body:
      - { en: "A paragraph." }
    images:
      - id: plate
        src: media/plates/plate.svg
        placeholder: true
        caption: { en: "A caption" }
        credit: { en: "A credit" }
        alt: { en: "A plate" }
`;
}

/** Paths of a fixture tree. */
export interface Fixture {
  root: string;
  contentDir: string;
  mediaDir: string;
  rendererDir: string;
  /** A file outside every served root, which no request may reach. */
  secretFile: string;
  cleanup(): Promise<void>;
}

/** The bytes of the fixture's 1000-byte file `media/data.ogg` (byte i = i % 251; named as audio because /media/ serves only media kinds). */
export const BIN = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

/** Writes the fixture tree; `renderer: false` leaves the renderer unbuilt. */
export async function makeFixture(opts: { renderer?: boolean } = {}): Promise<Fixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'vitrine-test-'));
  const contentDir = path.join(root, 'content');
  const mediaDir = path.join(contentDir, 'media');
  const rendererDir = path.join(root, 'renderer');
  const secretFile = path.join(root, 'secret.txt');
  await mkdir(path.join(mediaDir, 'plates'), { recursive: true });
  await writeFile(path.join(contentDir, 'exhibit.yaml'), exhibitYaml());
  await writeFile(path.join(contentDir, 'private.txt'), 'content-folder secret');
  await writeFile(secretFile, 'TOP SECRET');
  await writeFile(
    path.join(mediaDir, 'plates', 'plate.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>',
  );
  await writeFile(path.join(mediaDir, 'data.ogg'), BIN);
  if (opts.renderer !== false) {
    await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vitrine</title>');
    await writeFile(path.join(rendererDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    await writeFile(path.join(rendererDir, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(path.join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  }
  return {
    root,
    contentDir,
    mediaDir,
    rendererDir,
    secretFile,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

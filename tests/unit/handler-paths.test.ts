import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler, type Handler } from '../../main/handler/handler.js';
import { resolveRequestPath, safeSegments } from '../../main/handler/safe-path.js';
import { makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;
let handle: Handler;

beforeAll(async () => {
  fx = await makeFixture();
  // Links that lead out of the media root, and one that stays inside it.
  await symlink(fx.secretFile, path.join(fx.mediaDir, 'escape.txt'));
  await symlink(fx.root, path.join(fx.mediaDir, 'escape-dir'));
  await symlink(fx.secretFile, path.join(fx.rendererDir, 'escape.txt'));
  await symlink(path.join(fx.mediaDir, 'plates', 'plate.svg'), path.join(fx.mediaDir, 'alias.svg'));
  await writeFile(path.join(fx.mediaDir, 'plates', 'a b.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  source = await createContentSource(fx.contentDir);
  handle = createHandler({ rendererDir: fx.rendererDir, content: source });
});
afterAll(async () => {
  source.close();
  await fx.cleanup();
});

const get = (p: string) => handle(new Request(`http://127.0.0.1${p}`));

describe('path traversal', () => {
  const attempts = [
    '/media/../secret.txt',
    '/media/../../secret.txt',
    '/media/..%2fprivate.txt',
    '/media/..%2f..%2fsecret.txt',
    '/media/..%2F..%2Fsecret.txt',
    '/media/%2e%2e/private.txt',
    '/media/%2e%2e/%2e%2e/secret.txt',
    '/media/%2E%2E%2F%2E%2E%2Fsecret.txt',
    '/media/.%2e/.%2e/secret.txt',
    '/media/%252e%252e/%252e%252e/secret.txt',
    '/media/%252e%252e%252f%252e%252e%252fsecret.txt',
    '/media/..%252f..%252fsecret.txt',
    '/media/%25252e%25252e/secret.txt',
    '/media/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt',
    '/media/..%c0%af..%c0%afsecret.txt',
    '/media/%e0%80%ae%e0%80%ae/secret.txt',
    '/media/%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/secret.txt',
    '/media/..%5c..%5csecret.txt',
    '/media/..\\..\\secret.txt',
    '/media/%5c..%5c..%5csecret.txt',
    '/media/plates/plate.svg%00.txt',
    '/media/plates/plate.svg%00',
    '/media/%00/../secret.txt',
    '/media//etc/passwd',
    '/media/%2fetc%2fpasswd',
    `/media/${encodeURIComponent('/etc/passwd')}`,
    '/media/C:%5cWindows%5cwin.ini',
    '/media/file:%2f%2f%2fetc%2fpasswd',
    '/media/escape.txt',
    '/media/escape-dir/secret.txt',
    '/media/escape-dir/content/private.txt',
    '/escape.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/%252e%252e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%2fcontent%2fexhibit.yaml',
  ];

  it.each(attempts)('%s -> 404 with nothing from outside the roots', async (p) => {
    const res = await get(p);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('TOP SECRET');
    expect(text).not.toContain('content-folder secret');
    expect(text).not.toContain('root:');
    expect(JSON.parse(text)).toHaveProperty('error');
  });

  it('still serves ordinary names, encoded spaces and symlinks that stay inside', async () => {
    expect((await get('/media/plates/plate.svg')).status).toBe(200);
    expect((await get('/media/plates/a%20b.svg')).status).toBe(200);
    expect((await get('/media/alias.svg')).status).toBe(200);
  });

  it.each([
    '../secret.txt',
    'a/../../secret.txt',
    '%2e%2e/secret.txt',
    '.%2E/secret.txt',
    '%252e%252e/secret.txt',
    '..%2fsecret.txt',
    '%c0%ae%c0%ae/secret.txt',
    '%ff',
    '%',
    '/etc/passwd',
    '%2fetc/passwd',
    'a//b',
    'a/./b',
    './a',
    '...',
    'a\\b',
    'C:/x',
    'a%00b',
    '',
  ])('safeSegments refuses the raw path %j', (raw) => {
    expect(safeSegments(raw)).toBeUndefined();
  });

  it('safeSegments decodes ordinary paths exactly once', () => {
    expect(safeSegments('plates/a%20b.svg')).toEqual(['plates', 'a b.svg']);
    expect(safeSegments('plates/%D0%BA%D0%B0%D1%80%D1%82%D0%B0.svg')).toEqual(['plates', 'карта.svg']);
  });

  it('resolveRequestPath follows symlinks only while they stay inside the root', async () => {
    expect(await resolveRequestPath(fx.mediaDir, 'escape.txt')).toBeUndefined();
    expect(await resolveRequestPath(fx.mediaDir, 'escape-dir/secret.txt')).toBeUndefined();
    expect((await resolveRequestPath(fx.mediaDir, 'alias.svg'))?.path).toBe(
      path.join(fx.mediaDir, 'plates', 'plate.svg'),
    );
    expect(await resolveRequestPath(path.join(fx.root, 'no-such-root'), 'x.svg')).toBeUndefined();
  });
});

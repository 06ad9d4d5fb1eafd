/**
 * A content folder holding a link to something outside it: the package and
 * the kiosk refuse such a folder, so every place staff look (validate, the
 * editors' preview panel, the kiosk's log) must name the link.
 */
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleKiosk } from '../../main/kiosk/assemble.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

let dir: string;
let outside: string;
let userData: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
  outside = await tempDir('vitrine-outside-');
  userData = await tempDir('vitrine-user-');
  await mkdir(path.join(outside, 'x'));
  await symlink(path.join(outside, 'x'), path.join(dir, 'media', 'linkdir'));
});
afterEach(() => cleanup(dir, outside, userData));

describe('a link out of the content folder', () => {
  it('is listed by the editors preview panel with the file and what to do', async () => {
    const kiosk = await assembleKiosk({ contentDir: dir, editor: true, watch: false });
    try {
      // The full check runs in the background; wait for its first answer.
      let problems: { file: string; message: string; hint: string }[] = [];
      for (let i = 0; i < 100 && problems.length === 0; i++) {
        const res = await kiosk.handler(new Request('http://127.0.0.1/api/preview/status'));
        problems = ((await res.json()) as { problems: typeof problems }).problems;
        if (problems.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(problems).toContainEqual(
        expect.objectContaining({
          file: 'media/linkdir',
          message: expect.stringMatching(/link to something outside the content folder/),
          hint: expect.stringMatching(/copy the real file in/),
        }),
      );
    } finally {
      kiosk.close();
    }
  });

  it('is named in the kiosk log and by /api/exhibit when the kiosk is given such a folder', async () => {
    const lines: string[] = [];
    const kiosk = await assembleKiosk({
      contentDir: dir,
      live: { userData, env: {}, seedOnly: false, tuning: { pollMs: 0 } },
      log: (l) => lines.push(l),
    });
    try {
      expect(lines.join('\n')).toMatch(/media\/linkdir is a link to something outside the content folder/);
      // Visitors get the fallback screen; whoever looks at /api/exhibit learns why.
      const res = await kiosk.handler(new Request('http://127.0.0.1/api/exhibit'));
      expect(res.status).toBe(503);
      const body = (await res.json()) as { problems: { file: string; message: string }[] };
      expect(body.problems).toContainEqual(
        expect.objectContaining({ file: 'media/linkdir', message: expect.stringMatching(/outside/) }),
      );
    } finally {
      kiosk.close();
    }
  });
});

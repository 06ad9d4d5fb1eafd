/**
 * `npm run content -- apply PKG` on a kiosk whose config.json lists public
 * keys installs only packages signed by one of them, and refuses the rest
 * with the same words the inbox uses: a package refused at the inbox cannot
 * be let in by hand without its signature.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { packContent } from '../../main/content/pack.js';
import { generateSigningKeys, parsePrivateKey } from '../../main/content/signing.js';
import { applyContent, storeStatus } from '../../main/content/store.js';
import { captureOut, cleanup, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let store: string;
let userData: string;

beforeEach(async () => {
  work = await tempDir('vitrine-apply-keys-');
  store = path.join(work, 'store');
  // The user-data folder the CLI finds on Linux: $XDG_CONFIG_HOME/Vitrine, where config.json lives.
  vi.stubEnv('XDG_CONFIG_HOME', path.join(work, 'config'));
  vi.stubEnv('VITRINE_CONTENT_STORE', '');
  userData = path.join(work, 'config', 'Vitrine');
  await mkdir(userData, { recursive: true });
  await applyContent(await makeContent(path.join(work, 'v1'), { version: '1' }), store);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await cleanup(work);
});

const museumKey = generateSigningKeys();
const strangerKey = generateSigningKeys();

/** Packs version `n`, signed with `key`'s private half when given. */
async function pack(n: string, key?: ReturnType<typeof generateSigningKeys>): Promise<string> {
  const dir = await makeContent(path.join(work, `src-${n}`), { version: n, caption: `Caption ${n}` });
  const pkg = await packContent(dir, path.join(work, `out-${n}`) + path.sep, undefined, undefined, {
    signWith: key ? parsePrivateKey(key.privateKeyPem) : undefined,
  });
  return pkg.file;
}

const config = (value: object) => writeFile(path.join(userData, 'config.json'), JSON.stringify(value));

async function apply(pkg: string) {
  const { out, stdout, stderr } = captureOut();
  const code = await runContentCli(['apply', pkg, '--store', store], out);
  return { code, text: [...stdout, ...stderr].join('\n') };
}

const currentVersion = async () => (await storeStatus(store)).history[0]?.contentVersion;

describe('content apply on a kiosk holding public keys', () => {
  beforeEach(() => config({ publicKeys: [museumKey.publicKeyPem] }));

  it('refuses an unsigned package in the inbox words and installs nothing', async () => {
    const r = await apply(await pack('2'));
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      /rejected: this kiosk installs only signed packages, and the package is not signed: pack it again with your key \(npm run content -- pack … --key …; see the staff guide, section 13\); nothing was installed/,
    );
    expect(r.text).not.toMatch(/\n\s+at /);
    expect(await currentVersion()).toBe('1');
  });

  it('refuses a package signed with a key the kiosk does not hold', async () => {
    const r = await apply(await pack('2', strangerKey));
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      /rejected: this kiosk installs only signed packages, and .*; nothing was installed/,
    );
    expect(await currentVersion()).toBe('1');
  });

  it("installs a package signed with the museum's key", async () => {
    const r = await apply(await pack('2', museumKey));
    expect(r.text).toMatch(/Version .* is now current/);
    expect(r.code).toBe(0);
    expect(await currentVersion()).toBe('2');
  });

  it('keys listed but none readable: nothing unsigned gets in, and the bad key is named', async () => {
    await config({ publicKeys: ['not a key at all, just forty-odd characters of text'] });
    const r = await apply(await pack('2'));
    expect(r.code).not.toBe(0);
    expect(r.text).toMatch(/publicKeys\[0\] in config\.json/);
    expect(r.text).toMatch(/installs only signed packages/);
    expect(await currentVersion()).toBe('1');
  });
});

it('without publicKeys in config.json an unsigned package is installed, as before', async () => {
  await config({});
  const r = await apply(await pack('2'));
  expect(r.code).toBe(0);
  expect(await currentVersion()).toBe('2');
});

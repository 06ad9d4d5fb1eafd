/**
 * How a kiosk is told to follow a channel and serve metrics: `--channel URL`
 * and `--metrics-port N` on the command line, `channel`, `channelCa`,
 * `publicKeys` and `metrics` in config.json. A mistake is said in one line
 * and drops only that setting.
 */
import { describe, expect, it } from 'vitest';
import { readKioskConfig, type ConfigNote } from '../../main/kiosk/config.js';
import { parseArgs } from '../../main/kiosk/flags.js';

const parse = (...argv: string[]) => parseArgs(argv, {}, '/tmp', '/tmp/bundled');

describe('fleet flags', () => {
  it('reads --channel and --metrics-port', () => {
    const r = parse(
      '--channel',
      'https://content.museum.org/vitrine/pilot/channel.json',
      '--metrics-port',
      '9464',
    );
    expect(r).toMatchObject({
      ok: true,
      options: { channel: 'https://content.museum.org/vitrine/pilot/channel.json', metricsPort: 9464 },
    });
    const none = parse();
    expect(none.ok && 'channel' in none.options).toBe(false);
    expect(none.ok && 'metricsPort' in none.options).toBe(false);
  });

  it('says what is wrong with them in one line', () => {
    expect(parse('--channel', 'content.museum.org/all/channel.json')).toEqual({
      ok: false,
      message: expect.stringMatching(/--channel needs the http:\/\/ or https:\/\/ address/),
    });
    expect(parse('--metrics-port', '0')).toEqual({
      ok: false,
      message: expect.stringMatching(/--metrics-port must be/),
    });
    expect(parse('--channel')).toEqual({
      ok: false,
      message: expect.stringMatching(/--channel needs a value, e\.g\. --channel https:/),
    });
  });
});

describe('fleet settings in config.json', () => {
  const read = async (json: object) => {
    const notes: ConfigNote[] = [];
    const config = await readKioskConfig(
      '/kiosk',
      (n) => notes.push(n),
      async () => JSON.stringify(json),
    );
    return { config, notes };
  };

  it('takes a channel, its CA, public keys and metrics', async () => {
    const settings = {
      channel: 'https://content.museum.org/vitrine/all/channel.json',
      channelCa: 'museum-ca.pem',
      publicKeys: ['MCowBQYDK2VwAyEAq1xLBkOJqzC2kL7G6B1b4CqJ3wJ0q3yTzCk0ZbJgmYQ='],
      metrics: { port: 9464, host: '0.0.0.0', token: 'a-long-random-scrape-token' },
    };
    const { config, notes } = await read(settings);
    expect(notes).toEqual([]);
    expect(config).toEqual(settings);
  });

  it('drops a channel that is not a web address, or metrics without a port, and keeps the rest', async () => {
    const { config, notes } = await read({
      channel: 'file:///etc/passwd',
      metrics: { host: '0.0.0.0' },
      inbox: 'D:/inbox',
    });
    expect(config).toEqual({ inbox: 'D:/inbox' });
    expect(notes.map((n) => n.message).join('\n')).toMatch(/channel/);
    expect(notes.map((n) => n.message).join('\n')).toMatch(/metrics/);
  });
});

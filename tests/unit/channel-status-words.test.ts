/**
 * The staff panel's channel card speaks the kiosk's languages: its words come
 * from the shared dictionaries, so Russian staff read Russian, and an
 * exhibit's `interface:` section can give them in a third language the kiosk
 * has no built-in words for. Rendered on the server (svelte/server), as text.
 */
import { render } from 'svelte/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus as Status } from '../../main/contract/staff.js';
import ChannelStatus from '../../src/components/staff/ChannelStatus.svelte';
import { setExhibitStrings } from '../../src/lib/i18n/index.js';

const channel: Status = {
  url: 'https://content.museum.org/vitrine/pilot/channel.json',
  name: 'pilot',
  lastCheck: { at: '2026-11-28T10:00:00Z', ok: true, message: 'up to date' },
  waiting: { version: 'v2-abc', contentVersion: '2', since: '2026-11-28T10:01:00Z' },
  rolledBack: { version: 'v3-def', at: '2026-11-28T09:00:00Z', reason: 'crashed' },
  errors: 0,
};

/** The card's visible text, tags dropped and spaces collapsed. */
function text(lang: string): string {
  const { body } = render(ChannelStatus, { props: { lang, channel } });
  return body
    .replace(/<!--.*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

afterEach(() => setExhibitStrings(undefined));

describe('the channel card', () => {
  it('speaks English and Russian from the built-in dictionaries', () => {
    expect(text('en')).toContain('Channel: pilot');
    expect(text('en')).toContain('Waiting for the idle reset: 2 v2-abc');
    const ru = text('ru');
    expect(ru).toContain('Канал: pilot');
    expect(ru).toContain('Последняя проверка');
    expect(ru).toContain('Ждёт сброса по бездействию: 2 v2-abc');
  });

  it("takes an exhibit's own words for a language the kiosk has none for, English for the rest", () => {
    setExhibitStrings({
      de: { 'staff.channel.title': 'Kanal', 'staff.channel.errors': 'Fehlgeschlagene Abrufe' },
    });
    const de = text('de');
    expect(de).toContain('Kanal: pilot');
    expect(de).toContain('Fehlgeschlagene Abrufe');
    expect(de).toContain('Last check');
  });
});

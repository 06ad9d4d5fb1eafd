/**
 * The loaded exhibit's own translations of the interface strings (its
 * `interface:` section), kept as one Map per language so `t` stays a couple
 * of Map lookups. Reactive: screens re-read their labels when a new version
 * brings new translations.
 */
import type { InterfaceSection } from '../../../main/contract/interface-strings.js';

type Tables = ReadonlyMap<string, ReadonlyMap<string, string>>;

let tables = $state.raw<Tables>(new Map());
let from: InterfaceSection | undefined;

/** Uses `section` (the exhibit's `interface:` section, if any) from now on; built once per exhibit. */
export function setExhibitStrings(section: InterfaceSection | undefined): void {
  if (section === from) return;
  from = section;
  tables = new Map(
    Object.entries(section ?? {}).map(([lang, table]) => [
      lang,
      new Map(Object.entries(table).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ]),
  );
}

/** The exhibit's text for interface string `key` in `lang`, if it gives one. */
export function exhibitString(lang: string, key: string): string | undefined {
  return tables.get(lang)?.get(key);
}

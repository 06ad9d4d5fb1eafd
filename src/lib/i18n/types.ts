import type { InterfaceTable } from '../../../main/contract/interface-strings.js';

/**
 * One area's UI strings, in every language the kiosk chrome speaks. Keys are
 * the interface keys of `main/contract/interface-strings.ts` (so a typo or a
 * key the content schema does not know fails type-checking), and every key
 * must exist in both `en` and `ru`.
 */
export interface Dictionary {
  en: InterfaceTable;
  ru: InterfaceTable;
}

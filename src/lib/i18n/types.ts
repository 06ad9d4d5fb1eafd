/**
 * One area's UI strings, in every language the kiosk chrome speaks. Keys are
 * dotted (`area.thing`) and every key must exist in both `en` and `ru`.
 */
export interface Dictionary {
  en: Record<string, string>;
  ru: Record<string, string>;
}

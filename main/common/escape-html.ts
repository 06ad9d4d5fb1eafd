/**
 * Escaping for text the kiosk writes into HTML it makes itself (the served
 * page's first-screen masthead, the resting page): exhibit titles and names
 * are typed by staff, and must show as written, never as markup.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `text` fit to stand as HTML element text or a quoted attribute value (either
 * quote): every `&`, `<`, `>`, `"` and `'` becomes its entity, so the text
 * opens no markup, ends no attribute and names no entity — it is read as written.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Text staff typed is written into HTML the kiosk makes (the first-screen
 * masthead, the resting page): it must show exactly as typed, never as markup.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../main/common/escape-html.js';
import { readBack } from './html-text.js';

describe('escapeHtml', () => {
  it('writes each of & < > " \' as its entity', () => {
    expect(escapeHtml('&')).toBe('&amp;');
    expect(escapeHtml('<')).toBe('&lt;');
    expect(escapeHtml('>')).toBe('&gt;');
    expect(escapeHtml('"')).toBe('&quot;');
    expect(escapeHtml("'")).toBe('&#39;');
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves no character that could open markup, end an attribute or start an entity', () => {
    const hostile = `</h1><script>alert(1)</script><!-- " ' &amp; &#x41;`;
    expect(escapeHtml(hostile)).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
  });

  it('is read back as written: entities already in the text, replacement patterns and other scripts stay text', () => {
    for (const text of ['Ministry &amp; War', "$& $1 $' $`", 'Война и мир — «1812»', '', 'plain']) {
      expect(readBack(escapeHtml(text))).toBe(text);
    }
    expect(escapeHtml('Война и мир')).toBe('Война и мир');
  });
});

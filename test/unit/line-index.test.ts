import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/text.js';

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and UTF-16 columns over LF, CRLF and lone CR breaks', () => {
    const text = 'ab\ncd\r\nef\rgh\n\u{1F600}x';
    const ix = new LineIndex('f', text);
    expect(ix.lineCount).toBe(5);
    expect(ix.position(0)).toEqual({ line: 1, column: 1 });
    expect(ix.position(3)).toEqual({ line: 2, column: 1 });
    expect(ix.position(5)).toEqual({ line: 2, column: 3 }); // the \r of \r\n ends line 2
    expect(ix.position(7)).toEqual({ line: 3, column: 1 });
    expect(ix.position(10)).toEqual({ line: 4, column: 1 }); // after a lone \r
    expect(ix.position(text.length - 1)).toEqual({ line: 5, column: 3 }); // the emoji is two UTF-16 units
    expect(ix.span(3, 5)).toEqual({ file: 'f', line: 2, column: 1, endLine: 2, endColumn: 3 });
    expect(ix.lineText(2)).toBe('cd');
    expect(ix.lineText(4)).toBe('gh');
    expect(ix.position(999)).toEqual({ line: 5, column: 4 });
  });

  it('counts only \\n breaks in a text without \\r', () => {
    const ix = new LineIndex('f', 'a\n\nb\n');
    expect(ix.lineCount).toBe(4);
    expect(ix.position(3)).toEqual({ line: 3, column: 1 });
    expect(ix.position(5)).toEqual({ line: 4, column: 1 });
  });
});

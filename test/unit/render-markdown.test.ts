import { cell, code, codeBlock, count, duration, table } from '../../src/report/markdown.js';

describe('markdown helpers', () => {
  test('cell escapes table-breaking and formatting characters', () => {
    expect(cell('a|b\nc `d` *e* <script>')).toBe('a\\|b<br>c \\`d\\` \\*e\\* &lt;script&gt;');
  });

  test('code survives backticks and pipes', () => {
    expect(code('plain')).toBe('`plain`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a|b')).toBe('`a\\|b`');
  });

  test('codeBlock uses a fence longer than any in the content', () => {
    expect(codeBlock('x\n```\ny', 'sh')).toBe('````sh\nx\n```\ny\n````');
  });

  test('count and duration are locale independent', () => {
    expect(count(1234567)).toBe('1,234,567');
    expect(count(undefined)).toBe('—');
    expect(duration(12)).toBe('12 ms');
    expect(duration(4200)).toBe('4.2 s');
    expect(duration(125_000)).toBe('2 min 5 s');
    expect(duration(120_000)).toBe('2 min');
  });

  test('table renders header, alignment and rows', () => {
    expect(table([{ header: 'A', render: (r: number) => String(r) }, { header: 'B', align: 'right', render: () => '' }], [1])).toBe(
      '| A | B |\n| :--- | ---: |\n| 1 |   |',
    );
  });
});

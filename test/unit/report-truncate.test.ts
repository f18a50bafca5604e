import { COMMENT_MAX_LENGTH, runUrl, truncateMarkdown, truncationNotice } from '../../src/report/truncate.js';

const notice = truncationNotice({ limit: COMMENT_MAX_LENGTH, summaryUrl: 'https://github.com/acme/shop/actions/runs/42' });

describe('truncateMarkdown', () => {
  test('text under the limit is returned unchanged', () => {
    expect(truncateMarkdown('short\n', 100, notice)).toBe('short\n');
  });

  test('text over the limit is cut at a line boundary and ends with the pointer', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`);
    const text = lines.join('\n');
    const cut = truncateMarkdown(text, COMMENT_MAX_LENGTH, notice);
    expect(cut.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH);
    expect(cut.length).toBeGreaterThan(COMMENT_MAX_LENGTH - 200);
    expect(cut.endsWith(`${notice}\n`)).toBe(true);
    const body = cut.slice(0, cut.indexOf('\n\n---\n\n'));
    for (const line of body.split('\n')) expect(lines).toContain(line);
  });

  test('an open code fence and open <details> are closed', () => {
    const text = `<details><summary>x</summary>\n\n\`\`\`sh\n${'echo hello\n'.repeat(500)}\`\`\`\n\n</details>\n`;
    const cut = truncateMarkdown(text, 1000, 'cut');
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut).toMatch(/echo hello\n```\n\n<\/details>\n\n---\n\ncut\n$/);
  });

  test('a single enormous line is still cut to fit', () => {
    const cut = truncateMarkdown('y'.repeat(200_000), 5000, notice);
    expect(cut.length).toBeLessThanOrEqual(5000);
    expect(cut).toContain(notice);
  });
});

describe('truncationNotice and runUrl', () => {
  test('links the run when known, names the step summary otherwise', () => {
    expect(notice).toContain('65,536-character limit');
    expect(notice).toContain('[step summary of this run](https://github.com/acme/shop/actions/runs/42)');
    expect(truncationNotice({ limit: 10 })).toContain('the step summary of this workflow run');
  });

  test('runUrl is built from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID', () => {
    expect(runUrl({ GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7' })).toBe('https://ghe.example.com/acme/shop/actions/runs/7');
    expect(runUrl({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '2' })).toBe('https://github.com/acme/shop/actions/runs/7/attempts/2');
    expect(runUrl({ GITHUB_REPOSITORY: 'acme/shop' })).toBeUndefined();
  });
});

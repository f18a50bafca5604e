// Fits a Markdown report under a length limit: GitHub rejects issue comments over 65,536 characters
// ("Body is too long"), and step summaries over 1 MiB. We cut at a line boundary, close any code
// fence or <details> block left open, and end with a pointer to where the full report is.
import { count } from './markdown.js';

export const COMMENT_MAX_LENGTH = 65_536;
/** GitHub's step summary limit is 1 MiB per step; leave room for multi-byte characters. */
export const SUMMARY_MAX_LENGTH = 400_000;

/** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` when all are known. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
}

/** The closing line of a truncated comment: where to read the rest. */
export function truncationNotice(options: { limit: number; summaryUrl?: string; fullReport?: string }): string {
  const where = options.fullReport ?? (options.summaryUrl ? `the [step summary of this run](${options.summaryUrl})` : `the step summary of this workflow run`);
  return `> ✂️ **This report was cut to fit the ${count(options.limit)}-character limit.** The full report is in ${where}.`;
}

interface OpenBlocks {
  fence?: string;
  details: number;
}

function openBlocks(text: string): OpenBlocks {
  const state: OpenBlocks = { details: 0 };
  for (const line of text.split('\n')) {
    const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (state.fence) {
      if (fence && fence[0] === state.fence[0] && fence.length >= state.fence.length && line.trim() === fence) state.fence = undefined;
      continue;
    }
    if (fence) {
      state.fence = fence;
      continue;
    }
    state.details += (line.match(/<details[\s>]/gi) ?? []).length;
    state.details -= (line.match(/<\/details>/gi) ?? []).length;
    if (state.details < 0) state.details = 0;
  }
  return state;
}

function closers(state: OpenBlocks): string {
  const parts: string[] = [];
  if (state.fence) parts.push(state.fence);
  for (let i = 0; i < state.details; i += 1) parts.push('</details>');
  return parts.length ? `\n${parts.join('\n\n')}` : '';
}

/**
 * Returns `markdown` unchanged when it fits in `maxLength` characters (UTF-16 code units, which is
 * never fewer than the characters GitHub counts); otherwise a prefix cut at a line boundary, with
 * open blocks closed and `notice` appended, that fits.
 */
export function truncateMarkdown(markdown: string, maxLength: number, notice: string): string {
  if (markdown.length <= maxLength) return markdown;
  const tail = `\n\n---\n\n${notice}\n`;
  let budget = maxLength - tail.length;
  for (let attempt = 0; attempt < 8 && budget > 0; attempt += 1) {
    let cut = markdown.lastIndexOf('\n', budget);
    if (cut <= 0) cut = budget; // one enormous line: cut inside it
    const kept = markdown.slice(0, cut).replace(/\s+$/, '');
    const result = `${kept}${closers(openBlocks(kept))}${tail}`;
    if (result.length <= maxLength) return result;
    budget -= result.length - maxLength + 16;
  }
  return notice.slice(0, maxLength);
}

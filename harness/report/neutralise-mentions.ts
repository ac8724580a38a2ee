/**
 * GitHub turns `@name` in a comment, a step summary or a job's markdown into a mention that
 * notifies that user or team, and `#123` or `GH-123` into a link to an issue of the
 * repository. Names, parameters and SQL we show come from the code under test: a
 * zero-width space after `@`, `#` or `GH-` keeps the text as it reads and makes it no
 * longer match (GitHub's own bots write `@\u200bdependabot` the same way).
 */
const ZWSP = '\u200b';

/** `@user`, `@org/team`, `#12`, `owner/repo#12`, `GH-12`, each with a zero-width space that breaks the match. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`).replace(/#(?=\d)/g, `#${ZWSP}`).replace(/\b(GH-)(?=\d)/gi, `$1${ZWSP}`);
}

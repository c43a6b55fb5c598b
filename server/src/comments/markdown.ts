import MarkdownIt from 'markdown-it';
import { isSafeHref } from '@draftroom/shared/collab-schema';

/**
 * Markdown (comment bodies, and clause text on the public page) rendered on the server into HTML that
 * is safe to insert as-is: raw HTML
 * is escaped (html: false), images are off, and links keep only http, https and mailto targets and
 * open nothing on their own (rel=nofollow noopener noreferrer ugc).
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
markdown.disable(['image']);
markdown.validateLink = (url: string) => isSafeHref(url.trim());

const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer ugc');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

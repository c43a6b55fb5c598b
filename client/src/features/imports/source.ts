import { MAX_IMPORT_BYTES, type ImportFormat } from '@draftroom/shared';

/** A source chosen to import: a file's text or pasted text, and how to read it. */
export interface ChosenSource {
  format: ImportFormat;
  text: string;
  /** The file's name; null for pasted text. */
  name: string | null;
}

export const FORMAT_OPTIONS: readonly { value: ImportFormat; label: string }[] = [
  { value: 'markdown', label: 'Markdown' },
  { value: 'html', label: 'HTML' },
  { value: 'text', label: 'Plain text (blank lines between paragraphs)' },
];

/** The file types the picker offers (and reads by their extension). */
export const ACCEPTED_FILES = '.md,.markdown,.html,.htm,.txt,text/markdown,text/html,text/plain';

/** How a file is read, by its extension; null when the name says nothing (the chosen format stays). */
export function formatOf(fileName: string): ImportFormat | null {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'html' || extension === 'htm') return 'html';
  if (extension === 'txt') return 'text';
  return null;
}

/** Why a source cannot be sent (empty, or over the server's limit), or null. */
export function sourceProblem(text: string, name: string | null): string | null {
  const what = name ?? 'The pasted text';
  if (text.trim() === '') return `${what} is empty.`;
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) return `${what} is larger than 1 MB, the most one import takes.`;
  return null;
}

/** A title from a file's name, for a source without a level-1 heading: "osaid-1.0.md" → "osaid-1.0". */
export function titleFromName(name: string | null): string {
  return (name ?? '').replace(/\.[a-z]+$/i, '').trim();
}

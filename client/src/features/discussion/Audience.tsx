import type { Thread } from '@draftroom/shared';

type Audience = Thread['audience'];

/** What a form says about who will read what is written in it. */
export const AUDIENCE_NOTES: Record<Audience, string> = {
  public: 'Anyone can read this: it is part of the public record.',
  internal: 'Only members of the group can read this.',
};

/** The label a public thread carries wherever it is listed (internal threads carry none: they are the group's own). */
export function PublicBadge() {
  return <span className="badge badge-public thread-audience">Public</span>;
}

/** The plain sentence under a comment box: who reads what is written there. */
export function AudienceNote({ audience, id }: { audience: Audience; id?: string }) {
  return (
    <p id={id} className={`field-hint audience-note audience-note-${audience}`}>
      {AUDIENCE_NOTES[audience]}
    </p>
  );
}

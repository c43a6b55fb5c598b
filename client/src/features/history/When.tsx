const utcFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A moment as the group agrees on it (UTC, the same for everybody) and as the reader lives it (their
 * own time zone). Decisions are announced in UTC, so that comes first.
 */
export function When({ at }: { at: string }) {
  const date = new Date(at);
  const local = localFormat.format(date);
  return (
    <time dateTime={at} className="when">
      {utcFormat.format(date)} UTC <span className="when-local">({local} your time)</span>
    </time>
  );
}

/** "14 Mar 2025, 10:02 UTC" — for titles and tooltips, where markup cannot go. */
export function utcText(at: string): string {
  return `${utcFormat.format(new Date(at))} UTC`;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** "14 Mar 2025": the day something was published (UTC, the same for everybody). */
export function publishedDay(at: string): string {
  return dateFormat.format(new Date(at));
}

/** "1 definition", "3 definitions" */
export function definitionCountText(count: number): string {
  return `${count} ${count === 1 ? 'definition' : 'definitions'}`;
}

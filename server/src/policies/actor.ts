/** Who is asking: a signed-in user, or nobody (anonymous). */
export type Actor = { userId: string } | null;

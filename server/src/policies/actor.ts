/** A signed-in user: what an asserting `authorize…` leaves the actor as once an action needs a member. */
export type SignedIn = { userId: string };

/** Who is asking: a signed-in user, or nobody (anonymous). */
export type Actor = SignedIn | null;

/**
 * The world a fuzz campaign talks to: one account per role (chair, editor, member, observer, outsider),
 * a public and a private working group in which they hold those roles, and in each group definitions
 * with clauses, versions, threads, comments, reactions, amendments and ballots — so generated requests
 * can hit routes with real ids, not only with ids that do not exist. Built over the HTTP API only
 * (`Api`), so the same code runs against `app.inject()` in the test and a server process in the
 * campaign. `repairWorld` puts roles, sessions and visibility back after a batch of fuzzed requests
 * changed them (a fuzzed chair may demote or remove members, a fuzzed logout ends a session).
 */
import { randomBytes } from 'node:crypto';

export const ROLE_ACTORS = ['chair', 'editor', 'member', 'observer', 'outsider'] as const;
/** Who sends a request: the five accounts, nobody, and a session cookie that was never issued. */
export const ACTORS = [...ROLE_ACTORS, 'anonymous', 'forged'] as const;
export type RoleActor = (typeof ROLE_ACTORS)[number];
export type Actor = (typeof ACTORS)[number];

export const FUZZ_PASSWORD = 'fuzz campaign password 1';

export interface ApiResponse {
  status: number;
  /** Whatever JSON the API answered, read by the caller as it expects. */
  json: any;
  /** `draftroom_session=…` when the response set a session cookie. */
  cookie: string | null;
}

/** One JSON request to the API, sending the Origin a browser on the app's own origin would send. */
export type Api = (method: string, url: string, options?: { cookie?: string | null; body?: unknown }) => Promise<ApiResponse>;

export interface Account {
  email: string;
  userId: string;
  cookie: string;
}

export interface FuzzTargets {
  slugs: string[];
  definitionIds: string[];
  clauseIds: string[];
  versionLabels: string[];
  threadIds: string[];
  commentIds: string[];
  amendmentIds: string[];
  ballotIds: string[];
  userIds: string[];
  notificationIds: number[];
  emails: string[];
  /** Ballot positions and option ids seen on the fixture's ballots. */
  positions: string[];
}

export interface WorldGroup {
  slug: string;
  visibility: 'public' | 'private';
  definitionId: string;
  clauseIds: string[];
}

export interface World {
  accounts: Record<RoleActor, Account>;
  groups: WorldGroup[];
  targets: FuzzTargets;
  /** Cookie header value for an actor at this moment (null: none). */
  cookieOf(actor: Actor): string | null;
  /** Throwaway sessions of the role accounts, for fuzzed sign-outs (which would end the real one). */
  spareSessions: string[];
}

const ROLE_OF: Record<Exclude<RoleActor, 'outsider'>, string> = { chair: 'chair', editor: 'editor', member: 'member', observer: 'observer' };

function expect(response: ApiResponse, status: number | number[], what: string): ApiResponse {
  const wanted = Array.isArray(status) ? status : [status];
  if (!wanted.includes(response.status)) throw new Error(`fuzz world: ${what} answered ${response.status}: ${JSON.stringify(response.json)?.slice(0, 300)}`);
  return response;
}

const push = <T>(list: T[], ...values: (T | undefined | null)[]) => {
  for (const value of values) if (value !== undefined && value !== null && !list.includes(value)) list.push(value);
};

function forgedCookie(): string {
  return `draftroom_session=${randomBytes(15).toString('base64url')}.${randomBytes(15).toString('base64url')}`;
}

/** Registers the accounts and builds both groups. `tag` keeps emails and slugs unique per run. */
export async function buildWorld(api: Api, tag = randomBytes(3).toString('hex')): Promise<World> {
  const accounts = {} as Record<RoleActor, Account>;
  for (const role of ROLE_ACTORS) {
    const email = `fuzz.${role}.${tag}@example.org`;
    const response = expect(
      await api('POST', '/api/auth/register', { body: { email, displayName: `Fuzz ${role}`, password: FUZZ_PASSWORD } }),
      201,
      `register ${role}`,
    );
    accounts[role] = { email, userId: response.json.user.id, cookie: response.cookie! };
  }
  const targets: FuzzTargets = {
    slugs: [],
    definitionIds: [],
    clauseIds: [],
    versionLabels: [],
    threadIds: [],
    commentIds: [],
    amendmentIds: [],
    ballotIds: [],
    userIds: ROLE_ACTORS.map((role) => accounts[role].userId),
    notificationIds: [],
    emails: ROLE_ACTORS.map((role) => accounts[role].email),
    positions: ['yes', 'no_objection', 'object', 'abstain', 'recuse', 'marks', 'current'],
  };
  const forged = forgedCookie();
  const world: World = {
    accounts,
    groups: [],
    targets,
    spareSessions: [],
    cookieOf: (actor) => (actor === 'anonymous' ? null : actor === 'forged' ? forged : accounts[actor].cookie),
  };
  const as = (role: RoleActor) => accounts[role].cookie;

  for (const visibility of ['public', 'private'] as const) {
    const slug = `fz-${visibility === 'public' ? 'pub' : 'priv'}-${tag}`;
    expect(await api('POST', '/api/groups', { cookie: as('chair'), body: { slug, name: `Fuzz ${visibility}`, visibility } }), 201, 'create group');
    push(targets.slugs, slug);
    for (const role of ['editor', 'member', 'observer'] as const) {
      expect(await api('POST', `/api/groups/${slug}/members`, { cookie: as('chair'), body: { email: accounts[role].email, role } }), 201, `add ${role}`);
    }
    const definition = expect(
      await api('POST', `/api/groups/${slug}/definitions`, { cookie: as('chair'), body: { slug: 'alpha', title: 'Alpha definition' } }),
      201,
      'create definition',
    ).json;
    const definitionId = definition.id as string;
    push(targets.definitionIds, definitionId);
    const clauseIds: string[] = [];
    const clauseBodies: object[] = [
      { kind: 'heading', text: 'Preamble' },
      { text: 'An Open Source AI is an AI system made available under terms that grant the freedoms to use, study, modify and share it.' },
      { text: 'Data information: sufficiently detailed information about the data used to train the system.' },
      {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Code: the ' },
                { type: 'text', text: 'complete', marks: [{ type: 'bold' }] },
                { type: 'text', text: ' source code, see ' },
                { type: 'text', text: 'the FAQ', marks: [{ type: 'link', attrs: { href: 'https://example.org/faq' } }] },
              ],
            },
            { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'training code' }] }] }] },
          ],
        },
      },
    ];
    for (const body of clauseBodies) {
      const clause = expect(await api('POST', `/api/definitions/${definitionId}/clauses`, { cookie: as('editor'), body }), 201, 'add clause').json;
      clauseIds.push(clause.id);
    }
    push(targets.clauseIds, ...clauseIds);
    const [, first, second, third] = clauseIds as [string, string, string, string];

    expect(await api('POST', `/api/definitions/${definitionId}/versions`, { cookie: as('chair'), body: { label: 'v1', notes: 'First draft' } }), 201, 'v1');
    expect(
      await api('PUT', `/api/definitions/${definitionId}/clauses/${first}`, {
        cookie: as('editor'),
        body: { text: 'An Open Source AI is an AI system made available under terms and in a way that grant the freedoms to use, study, modify and share it.' },
      }),
      200,
      'edit clause',
    );
    expect(await api('POST', `/api/definitions/${definitionId}/versions`, { cookie: as('chair'), body: { label: 'v2', notes: 'Second draft' } }), 201, 'v2');
    push(targets.versionLabels, 'v1', 'v2');

    const thread = expect(
      await api('POST', `/api/definitions/${definitionId}/threads`, {
        cookie: as('member'),
        body: { clauseId: first, body: 'Should **study** include the weights?', mentions: [accounts.editor.userId] },
      }),
      201,
      'thread',
    ).json;
    push(targets.threadIds, thread.id);
    push(targets.commentIds, thread.comments[0]?.id);
    const reply = expect(
      await api('POST', `/api/threads/${thread.id}/comments`, { cookie: as('editor'), body: { body: 'Yes, see the FAQ.', replyTo: thread.comments[0]?.id } }),
      201,
      'reply',
    ).json;
    for (const comment of reply.comments) push(targets.commentIds, comment.id);
    await api('PUT', `/api/comments/${thread.comments[0]?.id}/reactions/${encodeURIComponent('👍')}`, { cookie: as('observer') });
    const second_thread = expect(
      await api('POST', `/api/definitions/${definitionId}/threads`, { cookie: as('editor'), body: { clauseId: second, body: 'Typo in "sufficiently"?' } }),
      201,
      'thread 2',
    ).json;
    push(targets.threadIds, second_thread.id);
    push(targets.commentIds, second_thread.comments[0]?.id);
    expect(await api('POST', `/api/comments/${second_thread.comments[0]?.id}/hide`, { cookie: as('chair'), body: { reason: 'Off topic' } }), 200, 'hide');
    expect(await api('POST', `/api/threads/${second_thread.id}/resolve`, { cookie: as('chair') }), 200, 'resolve');

    for (const [clauseId, text] of [
      [second, 'Data information: detailed information about all the data used to train the system.'],
      [third, 'Code: the complete source code used to train and run the system.'],
    ] as const) {
      const amendment = expect(
        await api('POST', `/api/definitions/${definitionId}/amendments`, { cookie: as('member'), body: { clauseId, text, rationale: 'Clearer.' } }),
        201,
        'amendment',
      ).json;
      push(targets.amendmentIds, amendment.id);
    }

    const closesAt = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
    const rules = (extra: object = {}) => ({
      kind: 'advisory',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: false,
      resultsVisibility: 'live',
      closesAt,
      ...extra,
    });
    const ballots = [
      { title: 'Adopt the clause', subject: { kind: 'clause', clauseId: first }, rules: rules(), open: true },
      {
        title: 'Secret choice',
        subject: { kind: 'amendments', clauseId: second, amendmentIds: targets.amendmentIds.slice(-2, -1) },
        rules: rules({ secret: true, resultsVisibility: 'after_close' }),
        open: true,
      },
      {
        title: 'Components',
        subject: { kind: 'matrix', rows: ['Training data', 'Code', 'Weights'], columns: ['Use', 'Study', 'Modify', 'Share'] },
        rules: rules(),
        open: true,
      },
      { title: 'Adopt v2', subject: { kind: 'version', label: 'v2' }, rules: rules({ options: ['Adopt', 'Wait'] }), open: false },
    ];
    for (const { open, ...body } of ballots) {
      const ballot = expect(await api('POST', `/api/definitions/${definitionId}/ballots`, { cookie: as('chair'), body }), 201, `ballot ${body.title}`).json;
      push(targets.ballotIds, ballot.id);
      for (const option of ballot.options ?? []) push(targets.positions, option.id ?? option);
      if (open) {
        expect(await api('POST', `/api/ballots/${ballot.id}/open`, { cookie: as('chair') }), 200, 'open ballot');
        const position = body.subject.kind === 'clause' ? 'yes' : 'abstain';
        expect(await api('PUT', `/api/ballots/${ballot.id}/vote`, { cookie: as('member'), body: { position } }), [200, 201], 'vote');
      }
    }

    // A second definition in public comment (its public page has a published version to show).
    const beta = expect(
      await api('POST', `/api/groups/${slug}/definitions`, { cookie: as('chair'), body: { slug: 'beta', title: 'Beta definition' } }),
      201,
      'create definition',
    ).json;
    push(targets.definitionIds, beta.id);
    const betaClause = expect(
      await api('POST', `/api/definitions/${beta.id}/clauses`, { cookie: as('chair'), body: { text: 'Public text.' } }),
      201,
      'beta clause',
    ).json;
    push(targets.clauseIds, betaClause.id);
    expect(await api('POST', `/api/definitions/${beta.id}/versions`, { cookie: as('chair'), body: { label: 'public-1', notes: '' } }), 201, 'beta version');
    push(targets.versionLabels, 'public-1');
    expect(
      await api('PATCH', `/api/definitions/${beta.id}`, {
        cookie: as('chair'),
        body: { status: 'public-comment', commentDeadline: new Date(Date.now() + 7 * 24 * 3600_000).toISOString() },
      }),
      200,
      'public comment',
    );
    world.groups.push({ slug, visibility, definitionId, clauseIds });
  }

  for (const role of ROLE_ACTORS) {
    const inbox = await api('GET', '/api/notifications', { cookie: as(role) });
    for (const notification of inbox.json?.notifications ?? []) push(targets.notificationIds, notification.id);
  }
  push(targets.notificationIds, 1, 2, 3);
  return world;
}

export interface RepairReport {
  relogins: number;
  roleFixes: number;
  problems: string[];
}

/**
 * Puts the world back after fuzzed requests changed it: signs in again whoever was signed out, gives
 * every account its role back in both groups (and removes the outsider), restores the visibility, opens
 * a fresh ballot and proposes a fresh amendment in each group, and refills the throwaway sessions.
 * Never throws: what it could not put back is reported.
 */
export async function repairWorld(api: Api, world: World, options: { spareSessions?: number } = {}): Promise<RepairReport> {
  const report: RepairReport = { relogins: 0, roleFixes: 0, problems: [] };
  const { accounts, targets } = world;
  try {
    for (const role of ROLE_ACTORS) {
      const me = await api('GET', '/api/me', { cookie: accounts[role].cookie });
      if (me.status === 200) continue;
      const login = await api('POST', '/api/auth/login', { body: { email: accounts[role].email, password: FUZZ_PASSWORD } });
      if (login.status === 200 && login.cookie) {
        accounts[role].cookie = login.cookie;
        report.relogins++;
      } else report.problems.push(`could not sign ${role} in again: ${login.status}`);
    }
    while (world.spareSessions.length < (options.spareSessions ?? 0)) {
      const role = ROLE_ACTORS[world.spareSessions.length % ROLE_ACTORS.length]!;
      const login = await api('POST', '/api/auth/login', { body: { email: accounts[role].email, password: FUZZ_PASSWORD } });
      if (login.status !== 200 || !login.cookie) break;
      world.spareSessions.push(login.cookie);
    }
    for (const group of world.groups) {
      // Read by whichever fixture account still belongs to the group (the chair may have been removed).
      let members: ApiResponse | null = null;
      for (const role of ['chair', 'editor', 'member', 'observer', 'outsider'] as const) {
        members = await api('GET', `/api/groups/${group.slug}/members`, { cookie: accounts[role].cookie });
        if (members.status === 200) break;
      }
      const json = members?.json;
      const list: { userId: string; role: string }[] = Array.isArray(json?.members) ? json.members : Array.isArray(json) ? json : [];
      const roleOf = new Map(list.map((m) => [m.userId, m.role]));
      // Whoever is chair now (the fuzzer may have promoted someone and demoted the chair) restores the rest.
      const chairNow = ROLE_ACTORS.find((role) => roleOf.get(accounts[role].userId) === 'chair');
      if (!chairNow) {
        report.problems.push(`no fixture account is chair of ${group.slug} any more (members: ${members?.status})`);
        continue;
      }
      const by = accounts[chairNow].cookie;
      // The chair first (promoted back by whoever is chair), then the others, then the outsider out.
      for (const role of ['chair', 'editor', 'member', 'observer'] as const) {
        const account = accounts[role];
        const current = roleOf.get(account.userId);
        if (current === ROLE_OF[role]) continue;
        const response = current
          ? await api('PATCH', `/api/groups/${group.slug}/members/${account.userId}`, { cookie: role === 'chair' ? by : accounts.chair.cookie, body: { role } })
          : await api('POST', `/api/groups/${group.slug}/members`, {
              cookie: role === 'chair' ? by : accounts.chair.cookie,
              body: { email: account.email, role },
            });
        if (response.status < 300) report.roleFixes++;
        else report.problems.push(`could not give ${role} back its role in ${group.slug}: ${response.status}`);
      }
      for (const role of ROLE_ACTORS) {
        if (role === 'chair' || role === 'editor' || role === 'member' || role === 'observer') continue;
        if (!roleOf.has(accounts[role].userId)) continue;
        const response = await api('DELETE', `/api/groups/${group.slug}/members/${accounts[role].userId}`, { cookie: accounts.chair.cookie });
        if (response.status < 300) report.roleFixes++;
        else report.problems.push(`could not remove the ${role} from ${group.slug}: ${response.status}`);
      }
      // Other chairs the fuzzer made (fixture accounts only: those are the ones it knows by email).
      const groupInfo = await api('GET', `/api/groups/${group.slug}`, { cookie: accounts.chair.cookie });
      if (groupInfo.status === 200 && groupInfo.json?.visibility && groupInfo.json.visibility !== group.visibility) {
        const response = await api('PATCH', `/api/groups/${group.slug}`, { cookie: accounts.chair.cookie, body: { visibility: group.visibility } });
        if (response.status < 300) report.roleFixes++;
        else report.problems.push(`could not restore the visibility of ${group.slug}: ${response.status}`);
      }
      // Fresh things to act on: an open ballot and a proposed amendment (earlier ones may be closed or decided).
      const clauseId = group.clauseIds[1]!;
      const ballot = await api('POST', `/api/definitions/${group.definitionId}/ballots`, {
        cookie: accounts.chair.cookie,
        body: {
          title: 'Fresh ballot',
          subject: { kind: 'clause', clauseId },
          rules: {
            kind: 'binding',
            eligibleRoles: ['chair', 'editor', 'member', 'observer'],
            quorum: 0.5,
            threshold: 0.6667,
            blockingObjectionFails: true,
            secret: false,
            resultsVisibility: 'live',
            closesAt: new Date(Date.now() + 3600_000).toISOString(),
          },
        },
      });
      if (ballot.status === 201) {
        push(targets.ballotIds, ballot.json.id);
        await api('POST', `/api/ballots/${ballot.json.id}/open`, { cookie: accounts.chair.cookie });
      }
      const amendment = await api('POST', `/api/definitions/${group.definitionId}/amendments`, {
        cookie: accounts.member.cookie,
        body: { clauseId, text: `Proposed wording ${randomBytes(2).toString('hex')}.`, rationale: 'Fresh proposal.' },
      });
      if (amendment.status === 201) push(targets.amendmentIds, amendment.json.id);
    }
  } catch (error) {
    report.problems.push(`repair failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Bounded pools: the newest ids matter most, and generation picks uniformly.
  for (const key of ['ballotIds', 'amendmentIds'] as const) if (targets[key].length > 40) targets[key].splice(0, targets[key].length - 40);
  return report;
}

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { UnsubscribeParams, UnsubscribeResult } from '@draftroom/shared';
import { notFound } from '../errors.ts';
import { errors } from '../http/responses.ts';
import { findUnsubscribe, UNSUBSCRIBE_PATH, unsubscribe } from './unsubscribe.ts';
import { escapeHtml } from '../http/html.ts';

/** A page that needs no script, no style and no session: the link in a mail is all its reader has. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} — Draftroom</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const list = (labels: string[]) => `<ul>${labels.map((label) => `<li>${escapeHtml(label)}</li>`).join('')}</ul>`;

/** Browsers (a link followed, our form posted) get pages; mail clients and scripts get JSON. */
const wantsPage = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

function sendPage(reply: FastifyReply, status: number, title: string, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(title, body));
}

const INVALID = [
  'This link does not work',
  '<p>The link is not valid, or it has expired. Sign in and choose what you get under Notification settings.</p>',
] as const;

/**
 * Unsubscribe links from notification mail, working without signing in: GET shows what the link turns
 * off and a button; POST turns it off — also straight from a mail client's one-click unsubscribe
 * (RFC 8058, `List-Unsubscribe=One-Click` as a form body). A GET never changes anything, so link
 * checkers and previews that follow links unsubscribe nobody.
 */
export const unsubscribeRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app;
  const tags = ['notifications'];
  // Only here (this plugin's scope): the form body of one-click unsubscribes and of the page's button.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));

  app.get(
    `${UNSUBSCRIBE_PATH}/:token`,
    {
      schema: {
        tags,
        summary: 'What an unsubscribe link from a mail turns off (an HTML page with a button for browsers); changes nothing',
        params: UnsubscribeParams,
        response: { 200: UnsubscribeResult, ...errors(404) },
      },
    },
    async (request, reply) => {
      const target = await findUnsubscribe(db, request.params.token);
      if (!wantsPage(request)) {
        if (!target) throw notFound('unsubscribe link');
        return { kinds: target.kinds };
      }
      if (!target) return sendPage(reply, 404, ...INVALID);
      return sendPage(
        reply,
        200,
        'Stop these e-mails?',
        `<p>Hello ${escapeHtml(target.displayName)}. This stops e-mails about:</p>${list(target.labels)}
<p>They still show in your Draftroom inbox.</p>
<form method="post" action="${UNSUBSCRIBE_PATH}/${escapeHtml(request.params.token)}"><input type="hidden" name="confirm" value="yes"><button type="submit">Stop these e-mails</button></form>`,
      );
    },
  );

  app.post(
    `${UNSUBSCRIBE_PATH}/:token`,
    {
      schema: {
        tags,
        summary: 'Unsubscribe with the token of a mail’s link (no session needed; one-click unsubscribe posts here too)',
        params: UnsubscribeParams,
        response: { 200: UnsubscribeResult, ...errors(404) },
      },
    },
    async (request, reply) => {
      const done = await unsubscribe(db, request.params.token);
      if (!wantsPage(request)) {
        if (!done) throw notFound('unsubscribe link');
        return { kinds: done.kinds };
      }
      if (!done) return sendPage(reply, 404, ...INVALID);
      return sendPage(
        reply,
        200,
        'Done: no more of these e-mails',
        `<p>You will no longer get e-mails about:</p>${list(done.labels)}<p>To change your mind, sign in and open Notification settings.</p>`,
      );
    },
  );
};

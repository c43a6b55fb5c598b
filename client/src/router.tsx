import { createBrowserRouter } from 'react-router';
import { ChangePasswordPage } from './features/auth/ChangePasswordPage.tsx';
import { ConfirmPage } from './features/auth/ConfirmPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { CheckEmailPage, RegisterPage } from './features/auth/RegisterPage.tsx';
import { ActivityPage } from './features/events/ActivityPage.tsx';
import { GroupLayout } from './features/groups/GroupLayout.tsx';
import { GroupOverviewPage } from './features/groups/GroupOverviewPage.tsx';
import { GroupSettingsPage } from './features/groups/GroupSettingsPage.tsx';
import { InvitationsPage } from './features/groups/InvitationsPage.tsx';
import { PublicDefinitionPage } from './features/definitions/PublicDefinitionPage.tsx';
import { InboxPage } from './features/inbox/InboxPage.tsx';
import { NotificationSettingsPage } from './features/inbox/NotificationSettingsPage.tsx';
import { HomePage } from './features/public/HomePage.tsx';
import { SearchPage } from './features/search/SearchPage.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { NotFoundPage } from './layout/NotFoundPage.tsx';
import { GuestOnly, RequireUser } from './session/guards.tsx';

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      {
        element: <GuestOnly />,
        children: [
          { path: 'login', element: <LoginPage /> },
          { path: 'register', element: <RegisterPage /> },
          { path: 'register/check-email', element: <CheckEmailPage /> },
        ],
      },
      {
        element: <RequireUser />,
        children: [
          { path: 'account/password', element: <ChangePasswordPage /> },
          { path: 'inbox', element: <InboxPage /> },
          { path: 'settings/notifications', element: <NotificationSettingsPage /> },
          { path: 'invitations', element: <InvitationsPage /> },
          // A conformance review on its own (where its notifications lead): members go on to it inside its definition.
          {
            path: 'reviews/:reviewId',
            lazy: async () => ({ Component: (await import('./features/conformance/StandaloneReviewPage.tsx')).StandaloneReviewPage }),
          },
          {
            path: 'groups/:slug/definitions/:definitionId',
            // The editor (Tiptap, ProseMirror, Yjs) is most of the code: loaded only for this page.
            lazy: async () => ({ Component: (await import('./features/definitions/DefinitionPage.tsx')).DefinitionPage }),
            children: [
              {
                index: true,
                lazy: async () => ({ Component: (await import('./features/definitions/DefinitionPage.tsx')).DefinitionTextPage }),
              },
              { path: 'versions', lazy: async () => ({ Component: (await import('./features/history/VersionsPage.tsx')).VersionsPage }) },
              { path: 'amendments', lazy: async () => ({ Component: (await import('./features/amendments/AmendmentsPage.tsx')).AmendmentsPage }) },
              { path: 'decisions', lazy: async () => ({ Component: (await import('./features/decisions/DecisionsPage.tsx')).DecisionsPage }) },
              {
                path: 'dispositions',
                lazy: async () => ({ Component: (await import('./features/dispositions/DispositionsPage.tsx')).DispositionsPage }),
              },
              {
                path: 'conformance',
                lazy: async () => ({ Component: (await import('./features/conformance/ConformancePage.tsx')).ConformancePage }),
              },
              {
                path: 'conformance/reviews/:reviewId',
                lazy: async () => ({ Component: (await import('./features/conformance/ReviewPage.tsx')).ReviewPage }),
              },
              { path: 'diff', lazy: async () => ({ Component: (await import('./features/history/DiffPage.tsx')).DiffPage }) },
              // The draft replaced by a file's text, the changes shown first (chairs, editors).
              { path: 'import', lazy: async () => ({ Component: (await import('./features/imports/ReplaceDraftPage.tsx')).ReplaceDraftPage }) },
              {
                path: 'history',
                lazy: async () => ({ Component: (await import('./features/history/DefinitionHistoryPage.tsx')).DefinitionHistoryPage }),
              },
            ],
          },
        ],
      },
      // Home: the front door for visitors; a member's groups, then the public work, once signed in.
      { index: true, element: <HomePage /> },
      { path: 'search', element: <SearchPage /> },
      {
        // Public groups are read by anyone; a private one sends a visitor to sign in (GroupLayout).
        path: 'groups/:slug',
        element: <GroupLayout />,
        children: [
          { index: true, element: <GroupOverviewPage /> },
          {
            element: <RequireUser />,
            children: [
              { path: 'activity', element: <ActivityPage /> },
              // A definition started from a file, previewed first (chairs, editors).
              { path: 'import', lazy: async () => ({ Component: (await import('./features/imports/ImportDefinitionPage.tsx')).ImportDefinitionPage }) },
              { path: 'settings', element: <GroupSettingsPage /> },
            ],
          },
        ],
      },
      // Where the emailed confirmation link leads: signed in or not (it signs in as the new account).
      { path: 'confirm', element: <ConfirmPage /> },
      // The public comment version: anyone who can read the group, signed in or not.
      { path: 'groups/:slug/definitions/:definitionId/public', element: <PublicDefinitionPage /> },
      // How the public comments were answered (where a commenter's notification leads): anyone who reads the published versions.
      {
        path: 'groups/:slug/definitions/:definitionId/public/dispositions',
        lazy: async () => ({ Component: (await import('./features/dispositions/PublicDispositionsPage.tsx')).PublicDispositionsPage }),
      },
      // The public register of conformance reviews against one published version: anyone who can read the group.
      {
        path: 'groups/:slug/definitions/:definitionId/versions/:label/register',
        lazy: async () => ({ Component: (await import('./features/conformance/RegisterPage.tsx')).RegisterPage }),
      },
      // Anyone drops an export and sees its ballots recounted in the browser (nothing is uploaded).
      { path: 'verify', lazy: async () => ({ Component: (await import('./features/verify/VerifyPage.tsx')).VerifyPage }) },
      // Where the link mailed to an organisation's address leads: signed in or not.
      {
        path: 'endorsements/confirm',
        lazy: async () => ({ Component: (await import('./features/conformance/ConfirmEndorsementPage.tsx')).ConfirmEndorsementPage }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

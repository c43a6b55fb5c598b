import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { QueryProvider } from './api/QueryProvider.tsx';
import { LiveProvider } from './live/LiveProvider.tsx';
import { router } from './router.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/editor.css';
import './styles/history.css';
import './styles/discussion.css';
import './styles/decisions.css';
import './styles/public.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <QueryProvider>
        <LiveProvider>
          <RouterProvider router={router} />
        </LiveProvider>
      </QueryProvider>
    </SessionProvider>
  </StrictMode>,
);

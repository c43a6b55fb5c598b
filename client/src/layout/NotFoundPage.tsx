import { Link } from 'react-router';
import { PageHeading } from './PageHeading.tsx';

export function NotFoundPage() {
  return (
    <div className="page page-narrow">
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>There is nothing at this address. Check the link, or go back to your groups.</p>
      <p>
        <Link to="/">Your groups</Link>
      </p>
    </div>
  );
}

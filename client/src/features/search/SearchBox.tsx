import { useEffect, useId, useState, type FormEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { SEARCH_QUERY_MAX } from '@draftroom/shared';
import './search.css';

/** The search box in the header: it leads to the results page (and shows the words searched there). */
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const onResults = location.pathname === '/search';
  const searched = onResults ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(searched);
  const id = useId();

  useEffect(() => setText(searched), [searched]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = text.trim();
    if (q === '') return;
    navigate(`/search?${new URLSearchParams({ q })}`);
  };

  return (
    <form role="search" className="site-search" action="/search" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Search
      </label>
      <input id={id} type="search" name="q" value={text} onChange={(event) => setText(event.target.value)} placeholder="Search" maxLength={SEARCH_QUERY_MAX} />
      <button type="submit" className="button button-small">
        Search
      </button>
    </form>
  );
}

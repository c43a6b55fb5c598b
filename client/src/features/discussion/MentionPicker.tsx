import { createContext, useContext, useId, useRef, useState } from 'react';
import type { Member } from '@draftroom/shared';

/** The group's members, for @mentions; empty when they could not be listed. */
export const MembersContext = createContext<Member[]>([]);

/** The ids of the people whose "@Name" is still in the text (a removed mention is not sent). */
export function mentionsIn(text: string, mentioned: Map<string, string>): string[] {
  return [...mentioned].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}

/**
 * A button that opens a filterable list of members (the ARIA combobox pattern): arrow keys move
 * through the list, Enter picks, Escape closes. Picking inserts "@Display Name" into the text.
 */
export function MentionPicker({ onPick }: { onPick(member: Member): void }) {
  const members = useContext(MembersContext);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  if (members.length === 0) return null;
  const matches = members.filter((member) => member.displayName.toLowerCase().includes(query.trim().toLowerCase())).slice(0, 20);
  const close = () => {
    setOpen(false);
    setQuery('');
    setActive(0);
    button.current?.focus();
  };
  const pick = (member: Member | undefined) => {
    if (!member) return;
    onPick(member);
    setOpen(false);
    setQuery('');
    setActive(0);
  };
  return (
    <div className="mention-picker">
      <button ref={button} type="button" className="button button-small button-quiet" aria-expanded={open} onClick={() => (open ? close() : setOpen(true))}>
        @<span className="visually-hidden"> Mention someone</span>
      </button>
      {open && (
        <div className="mention-popup">
          <label htmlFor={`${id}-input`}>Mention</label>
          <input
            id={`${id}-input`}
            type="text"
            role="combobox"
            autoComplete="off"
            aria-autocomplete="list"
            aria-expanded={matches.length > 0}
            aria-controls={`${id}-list`}
            aria-activedescendant={matches[active] ? `${id}-option-${active}` : undefined}
            autoFocus
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
            }}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                setActive((active + 1) % Math.max(matches.length, 1));
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                setActive((active - 1 + matches.length) % Math.max(matches.length, 1));
              } else if (event.key === 'Enter') {
                event.preventDefault();
                pick(matches[active]);
              } else if (event.key === 'Escape') {
                event.preventDefault();
                close();
              }
            }}
          />
          <ul id={`${id}-list`} role="listbox" aria-label="Members" className="mention-options">
            {matches.map((member, index) => (
              <li
                key={member.userId}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'mention-option mention-option-active' : 'mention-option'}
                // Keep the focus in the input; a click picks.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pick(member)}
              >
                {member.displayName}
              </li>
            ))}
          </ul>
          {matches.length === 0 && <p className="muted">No member matches.</p>}
        </div>
      )}
    </div>
  );
}

/** Inserts "@Name " at the caret of a text area (or at its end), returning the new text. */
export function insertMention(textarea: HTMLTextAreaElement | null, text: string, name: string): { text: string; caret: number } {
  const at = textarea ? textarea.selectionStart : text.length;
  const before = text.slice(0, at);
  const insert = `${before && !/\s$/.test(before) ? ' ' : ''}@${name} `;
  return { text: before + insert + text.slice(at), caret: at + insert.length };
}

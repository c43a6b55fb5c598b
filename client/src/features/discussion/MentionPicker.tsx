import { createContext, useContext, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
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

/** "@" and the letters typed after it, just before the caret (an "@" inside a word, as in an address, is not one). */
const TYPED_MENTION = /(?:^|\s)@([^\s@]{0,40})$/;

/**
 * Typing "@" in a comment box lists the members whose name matches what follows it. The text area
 * stays the focus (aria-activedescendant names the highlighted member): arrow keys move through
 * the list, Enter or Tab picks, Escape closes it until another "@" is typed.
 */
export function useTypedMention(
  textarea: RefObject<HTMLTextAreaElement | null>,
  text: string,
  setText: (text: string) => void,
  onMentioned: (member: Member) => void,
) {
  const members = useContext(MembersContext);
  const [trigger, setTrigger] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const dismissed = useRef<number | null>(null);
  const id = useId();
  const query = trigger?.query.toLowerCase() ?? '';
  const matches = trigger ? members.filter((member) => member.displayName.toLowerCase().includes(query)).slice(0, 20) : [];
  const open = matches.length > 0;

  /** Follows the text and caret after each change: is an "@name" being typed? */
  const track = (value: string, caret: number) => {
    const match = TYPED_MENTION.exec(value.slice(0, caret));
    if (!match) {
      dismissed.current = null;
      setTrigger(null);
      return;
    }
    const start = caret - match[1]!.length - 1;
    if (dismissed.current === start) return setTrigger(null);
    dismissed.current = null;
    setTrigger({ start, query: match[1]! });
    setActive(0);
  };

  const pick = (member: Member | undefined) => {
    if (!member || !trigger) return;
    const element = textarea.current;
    const caret = element ? element.selectionStart : text.length;
    const insert = `@${member.displayName} `;
    const next = text.slice(0, trigger.start) + insert + text.slice(Math.max(caret, trigger.start + trigger.query.length + 1));
    const position = trigger.start + insert.length;
    onMentioned(member);
    setText(next);
    setTrigger(null);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(position, position);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((active + 1) % matches.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((active - 1 + matches.length) % matches.length);
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault();
      pick(matches[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      dismissed.current = trigger?.start ?? null;
      setTrigger(null);
    }
  };

  const textareaProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? `${id}-list` : undefined,
    'aria-activedescendant': open && matches[active] ? `${id}-option-${active}` : undefined,
    onKeyDown,
    onBlur: () => setTrigger(null),
  };

  const popup: ReactNode = open ? (
    <ul id={`${id}-list`} role="listbox" aria-label="Members to mention" className="mention-options mention-typed">
      {matches.map((member, index) => (
        <li
          key={member.userId}
          id={`${id}-option-${index}`}
          role="option"
          aria-selected={index === active}
          className={index === active ? 'mention-option mention-option-active' : 'mention-option'}
          // Keep the focus (and the caret) in the text area; a click picks.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => pick(member)}
        >
          {member.displayName}
        </li>
      ))}
    </ul>
  ) : null;

  return { track, textareaProps, popup, open };
}

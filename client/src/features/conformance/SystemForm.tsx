import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { ConformanceSystem, Licence, SystemLink, SystemList, UpdateSystemBody } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { createSystem, updateSystem } from '../../api/conformance.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FieldError, FormAlert, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import type { FieldSpecs } from '../../forms/messages.ts';
import { useApiForm } from '../../forms/useApiForm.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';

/** "Apache-2.0", "MIT OR Apache-2.0": sent as an SPDX id; anything else ("Llama 2 Community License") as the licence's name. */
const SPDX_EXPRESSION = /^[A-Za-z0-9.+-]+(?: (?:OR|AND|WITH) [A-Za-z0-9.+-]+)*$/;
const HTTP_URL = 'https?://\\S+';
const HTTP_URL_MESSAGE = 'The address must start with http:// or https://';
/** The server keeps at most this many links, and as many licences. */
const MAX_ITEMS = 20;

/** How people name a system: "BLOOM 176B". */
export const systemName = (system: Pick<ConformanceSystem, 'name' | 'version'>) => (system.version ? `${system.name} ${system.version}` : system.name);

/** The register as the server just answered: changed in the cache at once, then read again. */
export function storeSystems(client: QueryClient, slug: string, change: (systems: ConformanceSystem[]) => ConformanceSystem[]) {
  client.setQueryData<SystemList>(queryKeys.groupSystems(slug), (current) => current && { ...current, systems: change(current.systems) });
  void client.invalidateQueries({ queryKey: queryKeys.groupSystems(slug) });
}

// A row of the form keeps the licence it was filled from: unchanged, it goes back as it was (its SPDX id and its own name).
interface LicenceRow {
  key: number;
  text: string;
  url: string;
  original: Licence | null;
}
interface LinkRow {
  key: number;
  label: string;
  url: string;
}

const licenceText = (licence: Licence) => licence.spdx ?? licence.name;
const stored = (licence: Licence): Licence => ({ spdx: licence.spdx, name: licence.name, url: licence.url ?? null });

function licenceOf(row: LicenceRow): Licence {
  const text = row.text.trim();
  const url = row.url.trim() || null;
  if (row.original && text === licenceText(row.original)) return { spdx: row.original.spdx, name: row.original.name, url };
  return SPDX_EXPRESSION.test(text) ? { spdx: text, name: '', url } : { spdx: null, name: text, url };
}

/** A link left without a label is named after its site. */
function linkOf(row: LinkRow): SystemLink {
  const url = row.url.trim();
  let site = 'Website';
  try {
    site = new URL(url).hostname || site;
  } catch {}
  return { label: row.label.trim() || site, url };
}

/** The form's fields: one per licence and link (by the row's key), so that an error lands on the row it concerns. */
type FieldName = 'name' | 'version' | 'developer' | 'licences' | 'links' | 'developerEmail' | `${'licence' | 'licenceUrl' | 'linkLabel' | 'linkUrl'}-${number}`;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A system of the group's register (chairs and editors): added when `system` is left out, changed
 * otherwise (only what changed is sent, so the group's log says what changed). A refusal is shown
 * next to the field, licence or link it names.
 */
export function SystemForm({ system, onSaved, onCancel }: { system?: ConformanceSystem; onSaved(system: ConformanceSystem): void; onCancel(): void }) {
  const { definition } = useDefinition();
  const slug = definition.groupSlug;
  const client = useQueryClient();
  const id = useId();
  const nextKey = useRef(0);
  const key = () => nextKey.current++;
  const [licences, setLicences] = useState<LicenceRow[]>(() =>
    system && system.licences.length > 0
      ? system.licences.map((licence) => ({ key: key(), text: licenceText(licence), url: licence.url ?? '', original: licence }))
      : [{ key: key(), text: '', url: '', original: null }],
  );
  const [links, setLinks] = useState<LinkRow[]>(() =>
    system && system.links.length > 0 ? system.links.map((link) => ({ key: key(), ...link })) : [{ key: key(), label: '', url: '' }],
  );
  const [unlink, setUnlink] = useState(false);
  // A row just added gets the focus; a row removed gives it to the button that adds another.
  const [focusId, setFocusId] = useState<string | null>(null);
  const addLicenceButton = useRef<HTMLButtonElement>(null);
  const addLinkButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  const name = system ? systemName(system) : null;
  const account = system?.developerAccount ?? null;
  const fields: FieldSpecs<FieldName> = {
    name: { label: 'Name' },
    version: { label: 'Version' },
    developer: { label: 'Developer' },
    licences: { label: 'Licences' },
    links: { label: 'Links' },
    developerEmail: { label: 'Developer’s account' },
  };
  licences.forEach((row, index) => {
    fields[`licence-${row.key}`] = { label: `Licence ${index + 1}` };
    fields[`licenceUrl-${row.key}`] = { label: `The address of licence ${index + 1}`, pattern: HTTP_URL, patternMessage: HTTP_URL_MESSAGE };
  });
  links.forEach((row, index) => {
    fields[`linkLabel-${row.key}`] = { label: `The label of link ${index + 1}` };
    fields[`linkUrl-${row.key}`] = { label: `The address of link ${index + 1}`, pattern: HTTP_URL, patternMessage: HTTP_URL_MESSAGE };
  });
  const form = useApiForm(fields);

  const sentLicences = licences.filter((row) => row.text.trim() || row.url.trim());
  const sentLinks = links.filter((row) => row.label.trim() || row.url.trim());
  /** The server's `/links/1/url` is the form's field of the second link sent. */
  const fieldOfPath = (path: string): string => {
    const [, list, index, part] = path.split('/');
    const licence = list === 'licences' && index !== undefined ? sentLicences[Number(index)] : undefined;
    if (licence) return `/${part === 'url' ? 'licenceUrl' : 'licence'}-${licence.key}`;
    const link = list === 'links' && index !== undefined ? sentLinks[Number(index)] : undefined;
    if (link) return `/${part === 'label' ? 'linkLabel' : 'linkUrl'}-${link.key}`;
    return path;
  };

  return (
    <form
      className="form system-form card"
      aria-label={name ? `Edit ${name}` : 'Add a system'}
      noValidate
      onSubmit={form.onSubmit(
        async (values) => {
          const body = {
            name: values.name.trim(),
            version: values.version.trim(),
            developer: values.developer.trim(),
            licences: sentLicences.map(licenceOf),
            links: sentLinks.map(linkOf),
          };
          const email = values.developerEmail.trim();
          try {
            if (!system) {
              const created = await createSystem(slug, { ...body, ...(email && { developerEmail: email }) });
              storeSystems(client, slug, (systems) => [...systems, created]);
              onSaved(created);
              return;
            }
            const changes: UpdateSystemBody = {};
            if (body.name !== system.name) changes.name = body.name;
            if (body.version !== system.version) changes.version = body.version;
            if (body.developer !== system.developer) changes.developer = body.developer;
            if (!same(body.licences, system.licences.map(stored))) changes.licences = body.licences;
            if (!same(body.links, system.links)) changes.links = body.links;
            if (email) changes.developerEmail = email;
            else if (unlink) changes.developerEmail = null;
            if (Object.keys(changes).length === 0) {
              onSaved(system);
              return;
            }
            const updated = await updateSystem(system.id, changes);
            storeSystems(client, slug, (systems) => systems.map((x) => (x.id === updated.id ? updated : x)));
            // Reviews and registers name the system too.
            void client.invalidateQueries({ queryKey: queryKeys.conformance(definition.id) });
            void client.invalidateQueries({ queryKey: queryKeys.registers(definition.id) });
            onSaved(updated);
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            const details = error.fieldDetails.map((detail) => ({ ...detail, path: fieldOfPath(detail.path) }));
            throw new ApiError(error.status, error.code, error.message, details, error.retryAfterSeconds);
          }
        },
        (values) => ({
          ...Object.fromEntries(sentLicences.filter((row) => !row.text.trim()).map((row) => [`licence-${row.key}`, 'Give the licence’s SPDX id or name'])),
          ...Object.fromEntries(sentLinks.filter((row) => !row.url.trim()).map((row) => [`linkUrl-${row.key}`, 'Give the link’s address'])),
          ...(unlink &&
            values.developerEmail.trim() && { developerEmail: `Either unlink ${account?.displayName}’s account or give another account’s e-mail, not both` }),
        }),
      )}
    >
      <div className="form-row">
        <TextField {...form.field('name')} required maxLength={120} autoComplete="off" defaultValue={system?.name} />
        <TextField {...form.field('version')} maxLength={200} placeholder="7B, 2.1…" autoComplete="off" defaultValue={system?.version} />
      </div>
      <TextField {...form.field('developer')} maxLength={200} autoComplete="off" defaultValue={system?.developer} />

      <fieldset
        className={`field system-form-list${form.fieldErrors.licences ? ' field-invalid' : ''}`}
        aria-describedby={`${id}-licences-hint${form.fieldErrors.licences ? ` ${id}-licences-error` : ''}`}
      >
        <legend>Licences</legend>
        <p id={`${id}-licences-hint`} className="field-hint">
          An SPDX id (Apache-2.0, MIT OR Apache-2.0) or the licence’s name, and where to read it.
        </p>
        {licences.map((row, index) => (
          <div key={row.key} className="system-form-item" role="group" aria-label={`Licence ${index + 1}`}>
            <TextField
              {...form.field(`licence-${row.key}`)}
              id={`${id}-licence-${row.key}`}
              label="SPDX id or name"
              maxLength={200}
              autoComplete="off"
              placeholder="Apache-2.0"
              value={row.text}
              onChange={(event) => setLicences((rows) => rows.map((r) => (r.key === row.key ? { ...r, text: event.target.value } : r)))}
            />
            <TextField
              {...form.field(`licenceUrl-${row.key}`)}
              label="Address (optional)"
              type="url"
              inputMode="url"
              maxLength={2000}
              placeholder="https://"
              value={row.url}
              onChange={(event) => setLicences((rows) => rows.map((r) => (r.key === row.key ? { ...r, url: event.target.value } : r)))}
            />
            <button
              type="button"
              className="button button-small button-quiet button-quiet-danger system-form-remove"
              onClick={() => {
                setLicences((rows) => rows.filter((r) => r.key !== row.key));
                addLicenceButton.current?.focus();
              }}
            >
              Remove<span className="visually-hidden"> licence {index + 1}</span>
            </button>
          </div>
        ))}
        <FieldError id={`${id}-licences-error`} error={form.fieldErrors.licences} />
        <div>
          <button
            ref={addLicenceButton}
            type="button"
            className="button button-small"
            aria-disabled={licences.length >= MAX_ITEMS || undefined}
            onClick={() => {
              if (licences.length >= MAX_ITEMS) return;
              const row = { key: key(), text: '', url: '', original: null };
              setLicences((rows) => [...rows, row]);
              setFocusId(`${id}-licence-${row.key}`);
            }}
          >
            Add a licence
          </button>
        </div>
      </fieldset>

      <fieldset
        className={`field system-form-list${form.fieldErrors.links ? ' field-invalid' : ''}`}
        aria-describedby={`${id}-links-hint${form.fieldErrors.links ? ` ${id}-links-error` : ''}`}
      >
        <legend>Links</legend>
        <p id={`${id}-links-hint`} className="field-hint">
          The model card, the repository, the paper… A link without a label is named after its site.
        </p>
        {links.map((row, index) => (
          <div key={row.key} className="system-form-item" role="group" aria-label={`Link ${index + 1}`}>
            <TextField
              {...form.field(`linkLabel-${row.key}`)}
              id={`${id}-link-${row.key}`}
              label="Label"
              maxLength={120}
              autoComplete="off"
              placeholder="Model card"
              value={row.label}
              onChange={(event) => setLinks((rows) => rows.map((r) => (r.key === row.key ? { ...r, label: event.target.value } : r)))}
            />
            <TextField
              {...form.field(`linkUrl-${row.key}`)}
              label="Address"
              type="url"
              inputMode="url"
              maxLength={2000}
              placeholder="https://"
              value={row.url}
              onChange={(event) => setLinks((rows) => rows.map((r) => (r.key === row.key ? { ...r, url: event.target.value } : r)))}
            />
            <button
              type="button"
              className="button button-small button-quiet button-quiet-danger system-form-remove"
              onClick={() => {
                setLinks((rows) => rows.filter((r) => r.key !== row.key));
                addLinkButton.current?.focus();
              }}
            >
              Remove<span className="visually-hidden"> link {index + 1}</span>
            </button>
          </div>
        ))}
        <FieldError id={`${id}-links-error`} error={form.fieldErrors.links} />
        <div>
          <button
            ref={addLinkButton}
            type="button"
            className="button button-small"
            aria-disabled={links.length >= MAX_ITEMS || undefined}
            onClick={() => {
              if (links.length >= MAX_ITEMS) return;
              const row = { key: key(), label: '', url: '' };
              setLinks((rows) => [...rows, row]);
              setFocusId(`${id}-link-${row.key}`);
            }}
          >
            Add a link
          </button>
        </div>
      </fieldset>

      <TextField
        {...form.field('developerEmail')}
        label={account ? 'Another account for the developer (optional)' : 'Developer’s account (optional)'}
        type="email"
        maxLength={254}
        hint={
          account
            ? `Now ${account.displayName}’s account. The e-mail of another existing account replaces it.`
            : 'The e-mail of an existing account that speaks for the developer: it may read and answer the reviews of this system.'
        }
      />
      {account && (
        <div className="field checkbox-group">
          <div className="checkbox">
            <input id={`${id}-unlink`} type="checkbox" checked={unlink} onChange={(event) => setUnlink(event.target.checked)} />
            <label htmlFor={`${id}-unlink`}>Unlink {account.displayName}’s account</label>
          </div>
        </div>
      )}
      <FormAlert message={form.formError} />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText={system ? 'Saving…' : 'Adding…'}>
          {name ? 'Save' : 'Add the system'}
          {name && <span className="visually-hidden"> {name}</span>}
        </SubmitButton>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Adding a system (chairs and editors): a toggle and the form under it. The form closes once the
 * system is added, and the focus goes back to the toggle.
 */
export function AddSystem({
  label,
  addedMessage,
  onAdded,
}: {
  label: string;
  addedMessage(system: ConformanceSystem): string;
  onAdded?(system: ConformanceSystem): void;
}) {
  const [adding, setAdding] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const close = () => {
    setAdding(false);
    toggle.current?.focus();
  };
  return (
    <div className="add-system">
      <StatusMessage message={announcement} />
      <button
        ref={toggle}
        type="button"
        className="button button-small"
        aria-expanded={adding}
        aria-controls={panelId}
        onClick={() => {
          setAdding(!adding);
          setAnnouncement(null);
        }}
      >
        {label}
      </button>
      <div id={panelId} className="add-system-panel" hidden={!adding}>
        {adding && (
          <SystemForm
            onCancel={close}
            onSaved={(system) => {
              close();
              setAnnouncement(addedMessage(system));
              onAdded?.(system);
            }}
          />
        )}
      </div>
    </div>
  );
}

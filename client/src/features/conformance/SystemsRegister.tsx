import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { ConformanceSystem, Licence } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { conformanceQueries, deleteSystem } from '../../api/conformance.ts';
import { viewOf } from '../../api/queries.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { AddSystem, SystemForm, storeSystems, systemName } from './SystemForm.tsx';

/**
 * The group's register of systems, which every definition of the group reviews against: members read
 * it; those the server allows to manage it (chairs and editors) add, edit and remove systems here.
 */
export function SystemsRegister() {
  const { definition } = useDefinition();
  const systems = viewOf(useQuery(conformanceQueries.systems(definition.groupSlug)));
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const mayManage = systems.status === 'ready' && systems.data.allowed.includes('manage');

  return (
    <section className="systems-register card" aria-labelledby="systems-heading">
      <h3 id="systems-heading" ref={heading} tabIndex={-1}>
        Systems under review
      </h3>
      <p className="muted">The group’s register of AI systems, shared by all its definitions. A system that has a review stays in it, with the review.</p>
      <StatusMessage message={announcement} />
      {systems.status === 'loading' && <p role="status">Loading the systems…</p>}
      {systems.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{systems.error.message}</p>
          <button type="button" className="button button-small" onClick={systems.retry}>
            Try again
          </button>
        </div>
      )}
      {mayManage && <AddSystem label="Add a system" addedMessage={(system) => `${systemName(system)} added to the register.`} />}
      {systems.status === 'ready' &&
        (systems.data.systems.length === 0 ? (
          <p className="empty">No system in the register yet{mayManage ? '.' : ': chairs and editors add them.'}</p>
        ) : (
          <ul className="system-list">
            {systems.data.systems.map((system) => (
              <SystemItem
                key={system.id}
                system={system}
                mayManage={mayManage}
                onAnnounce={setAnnouncement}
                onRemoved={(name) => {
                  setAnnouncement(`${name} removed from the register.`);
                  // Its buttons went with it: the focus goes to the top of the register, where the announcement is.
                  heading.current?.focus();
                }}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

function SystemItem(props: { system: ConformanceSystem; mayManage: boolean; onAnnounce(message: string | null): void; onRemoved(name: string): void }) {
  const { system, mayManage } = props;
  const { definition } = useDefinition();
  const { signedOut } = useSession();
  const client = useQueryClient();
  const name = systemName(system);
  const headingId = useId();
  const panelId = useId();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const closeForm = () => {
    setEditing(false);
    editButton.current?.focus();
  };

  async function remove() {
    setRemoving(true);
    setRefusal(null);
    try {
      await deleteSystem(system.id);
      storeSystems(client, definition.groupSlug, (systems) => systems.filter((x) => x.id !== system.id));
      props.onRemoved(name);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'unexpected', 'Something went wrong in this page. Reload it and try again.');
      if (apiError.status === 401 && apiError.code === 'unauthenticated') signedOut('expired');
      setRefusal(formErrorMessage(apiError));
      setRemoving(false);
      removeButton.current?.focus();
    }
  }

  return (
    <li className="system-item" aria-labelledby={headingId}>
      <div className="system-head">
        <h4 id={headingId}>{name}</h4>
        {mayManage && (
          <div className="system-actions">
            <button
              ref={editButton}
              type="button"
              className="button button-small"
              aria-expanded={editing}
              aria-controls={panelId}
              onClick={() => {
                setEditing(!editing);
                props.onAnnounce(null);
              }}
            >
              Edit<span className="visually-hidden"> {name}</span>
            </button>
            <button
              ref={removeButton}
              type="button"
              className="button button-small button-quiet button-quiet-danger"
              aria-haspopup="dialog"
              aria-disabled={removing || undefined}
              onClick={() => !removing && setConfirming(true)}
            >
              {removing ? 'Removing…' : 'Remove'}
              <span className="visually-hidden"> {name}</span>
            </button>
          </div>
        )}
      </div>
      {mayManage && <FormAlert message={refusal} />}
      <dl className="system-facts">
        <div>
          <dt>Developer</dt>
          <dd>{system.developer || <span className="muted">Not recorded</span>}</dd>
        </div>
        <div>
          <dt>Licences</dt>
          <dd>
            {system.licences.length === 0 ? (
              <span className="muted">None recorded</span>
            ) : (
              <ul className="system-values">
                {system.licences.map((licence, index) => (
                  <li key={index}>
                    <LicenceName licence={licence} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {system.links.length > 0 && (
          <div>
            <dt>Links</dt>
            <dd>
              <ul className="system-values">
                {system.links.map((link, index) => (
                  <li key={index}>
                    <a href={link.url} rel="noopener noreferrer">
                      {link.label}
                      <span className="visually-hidden"> of {name}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {system.developerAccount && (
          <div>
            <dt>Developer’s account</dt>
            <dd>{system.developerAccount.displayName}</dd>
          </div>
        )}
      </dl>
      <div id={panelId} className="system-edit" hidden={!editing}>
        {editing && (
          <SystemForm
            system={system}
            onCancel={closeForm}
            onSaved={(saved) => {
              closeForm();
              setRefusal(null);
              props.onAnnounce(saved === system ? `Nothing changed in ${name}.` : `${systemName(saved)} saved.`);
            }}
          />
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Remove ${name} from the register?`}
          confirmLabel={`Remove ${name}`}
          destructive
          onCancel={() => {
            setConfirming(false);
            removeButton.current?.focus();
          }}
          onConfirm={() => {
            setConfirming(false);
            props.onAnnounce(null);
            void remove();
          }}
        >
          <p>Only a system nobody has reviewed can go; one with a review stays on the record.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}

/** A licence by its SPDX id, or its name when it has none (both when they differ), linked to its text when there is an address. */
function LicenceName({ licence }: { licence: Licence }) {
  const label = licence.spdx && licence.name !== licence.spdx ? `${licence.name} (${licence.spdx})` : (licence.spdx ?? licence.name);
  return licence.url ? (
    <a href={licence.url} rel="noopener noreferrer">
      {label}
    </a>
  ) : (
    label
  );
}

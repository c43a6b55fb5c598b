import { useId, useState } from 'react';
import type { ImportFormat } from '@draftroom/shared';
import { SelectField, TextAreaField } from '../../forms/fields.tsx';
import { ACCEPTED_FILES, type ChosenSource, FORMAT_OPTIONS, formatOf, sourceProblem } from './source.ts';

/**
 * Where the text to import comes from: a file (read in the browser; its extension picks the format) or
 * pasted text. Choosing a file previews it at once; pasted text when asked. Changing the format reads
 * the same source again.
 */
export function SourcePicker({ onChoose, pending }: { onChoose(source: ChosenSource): void; pending: boolean }) {
  const id = useId();
  const [format, setFormat] = useState<ImportFormat>('markdown');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const choose = (source: ChosenSource) => {
    const found = sourceProblem(source.text, source.name);
    setProblem(found);
    if (!found) onChoose(source);
  };

  async function chooseFile(chosen: File | undefined) {
    setProblem(null);
    if (!chosen) {
      setFile(null);
      return;
    }
    let read: { name: string; text: string };
    try {
      read = { name: chosen.name, text: await chosen.text() };
    } catch {
      setFile(null);
      setProblem(`${chosen.name} could not be read.`);
      return;
    }
    const detected = formatOf(chosen.name) ?? format;
    setFile(read);
    setFormat(detected);
    choose({ format: detected, text: read.text, name: read.name });
  }

  return (
    <fieldset className="import-source">
      <legend>Source</legend>
      <div className="field">
        <label htmlFor={`${id}-file`}>File</label>
        <p id={`${id}-file-hint`} className="field-hint">
          Markdown (.md), HTML (.html) or plain text (.txt), up to 1 MB. It is read in your browser and shown before anything is created.
        </p>
        <input
          id={`${id}-file`}
          type="file"
          accept={ACCEPTED_FILES}
          aria-describedby={`${id}-file-hint`}
          onChange={(event) => void chooseFile(event.target.files?.[0])}
        />
      </div>
      <details className="import-paste" open={file === null && pasted !== '' ? true : undefined}>
        <summary>Or paste the text</summary>
        <TextAreaField label="Text to import" name="pasted" rows={8} value={pasted} onChange={(event) => setPasted(event.target.value)} />
        <button
          type="button"
          className="button"
          aria-disabled={pending || undefined}
          onClick={() => {
            if (pending) return;
            setFile(null);
            choose({ format, text: pasted, name: null });
          }}
        >
          Preview the pasted text
        </button>
      </details>
      <SelectField
        label="Format"
        hint="Set from the file’s extension; change it if the file is read wrongly."
        value={format}
        options={FORMAT_OPTIONS}
        onChange={(event) => {
          const next = event.target.value as ImportFormat;
          setFormat(next);
          if (file) choose({ format: next, text: file.text, name: file.name });
        }}
      />
      {problem && (
        <p role="alert" className="alert alert-error">
          {problem}
        </p>
      )}
    </fieldset>
  );
}

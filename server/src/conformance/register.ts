import { OUTCOME_LABELS, VERDICT_LABELS, type Outcome, type Register, type RegisterEntry } from '@draftroom/shared';
import { STYLESHEET } from '../exports/service.ts';
import { escapeHtml } from '../http/html.ts';
import { markdownInline, markdownLine, oneLine } from '../text/escape.ts';

/**
 * The public register of a version as documents: Markdown and standalone HTML (the JSON is the API
 * answer itself; CSV is csv.ts), and the SVG badge of one closed review.
 */

const day = (iso: string) => iso.slice(0, 10);
/** User text inside a line of the Markdown (a table cell, a list item): one line, its markup escaped. */
const cell = (text: string) => markdownInline(oneLine(text));

/** Text for a heading line: one line (a name with a line break cannot start a block of its own). */
const heading = (text: string) => markdownLine(oneLine(text));

function verdictGrid(register: Register, entry: RegisterEntry): string[] {
  const checklist = register.checklist!;
  const head = `| Component | ${checklist.freedoms.map(cell).join(' | ')} |`;
  const rule = `|---|${checklist.freedoms.map(() => '---').join('|')}|`;
  const rows = checklist.rows.map((row) => {
    const verdicts = checklist.freedoms.map((_, freedom) => {
      const final = entry.cells.find((c) => c.rowId === row.id && c.freedom === freedom);
      return final ? VERDICT_LABELS[final.verdict] : '—';
    });
    return `| ${cell(row.component)} | ${verdicts.join(' | ')} |`;
  });
  return [head, rule, ...rows];
}

export function registerMarkdown(register: Register): string {
  const lines = [`# ${heading(`${register.definition.title} ${register.version.label} — register of conformance reviews`)}`, ''];
  lines.push(`Group: ${cell(register.group.name)}. Version ${cell(register.version.label)} published ${day(register.version.publishedAt)}.`, '');
  if (!register.checklist) {
    lines.push('This version has no checklist yet.', '');
    return lines.join('\n');
  }
  const { counts } = register;
  lines.push(
    `${register.entries.length} reviewed: ${counts.conformant} conformant, ${counts.conditional} conformant if conditions are met, ${counts.not_conformant} not conformant` +
      (register.inProgress > 0 ? `; ${register.inProgress} in progress.` : '.'),
    '',
    '| System | Developer | Outcome | Closed |',
    '|---|---|---|---|',
    ...register.entries.map(
      (e) => `| ${cell(`${e.system.name} ${e.system.version}`.trim())} | ${cell(e.system.developer)} | ${OUTCOME_LABELS[e.outcome]} | ${day(e.closedAt)} |`,
    ),
    '',
  );
  for (const entry of register.entries) {
    lines.push(`## ${heading(`${entry.system.name} ${entry.system.version}`)}`, '');
    lines.push(`**${OUTCOME_LABELS[entry.outcome]}**${entry.conditions.length > 0 ? ` — if: ${entry.conditions.map(cell).join('; ')}` : ''}`, '');
    if (entry.system.licences.length > 0) lines.push(`Licences: ${entry.system.licences.map((l) => cell(l.spdx ?? l.name)).join(', ')}`, '');
    lines.push(`Reviewed by ${entry.reviewers.map((r) => cell(r.displayName)).join(', ')}; opened ${day(entry.openedAt)}, closed ${day(entry.closedAt)}.`, '');
    lines.push(...verdictGrid(register, entry), '');
    if (entry.dissent.length > 0) {
      lines.push('Disagreements and how they were settled:', '');
      for (const d of entry.dissent) {
        const row = register.checklist.rows.find((r) => r.id === d.rowId);
        const who = d.verdicts.map((v) => `${cell(v.reviewer.displayName)}: ${v.verdict ? VERDICT_LABELS[v.verdict] : 'not marked'}`).join(', ');
        lines.push(
          `- ${cell(row?.component ?? d.rowId)} — ${cell(register.checklist.freedoms[d.freedom] ?? '')}: ${who}. Settled as ${VERDICT_LABELS[d.resolution.verdict]} by ${cell(d.resolution.by.displayName)}: ${cell(d.resolution.reason)}`,
        );
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

export function registerHtml(register: Register): string {
  const title = escapeHtml(`${register.definition.title} ${register.version.label} — register of conformance reviews`);
  const body: string[] = [
    `<h1>${title}</h1>`,
    `<p>Group ${escapeHtml(register.group.name)}. Version ${escapeHtml(register.version.label)} published ${day(register.version.publishedAt)}.</p>`,
  ];
  const checklist = register.checklist;
  if (!checklist) body.push('<p>This version has no checklist yet.</p>');
  else {
    body.push(
      '<table><thead><tr><th>System</th><th>Developer</th><th>Outcome</th><th>Closed</th></tr></thead><tbody>',
      ...register.entries.map(
        (e) =>
          `<tr><td>${escapeHtml(`${e.system.name} ${e.system.version}`.trim())}</td><td>${escapeHtml(e.system.developer)}</td><td>${OUTCOME_LABELS[e.outcome]}</td><td>${day(e.closedAt)}</td></tr>`,
      ),
      '</tbody></table>',
    );
    for (const entry of register.entries) {
      body.push(`<h2>${escapeHtml(`${entry.system.name} ${entry.system.version}`.trim())}</h2>`);
      body.push(
        `<p><strong>${OUTCOME_LABELS[entry.outcome]}</strong>${entry.conditions.length > 0 ? ` — if: ${entry.conditions.map(escapeHtml).join('; ')}` : ''}. Reviewed by ${entry.reviewers.map((r) => escapeHtml(r.displayName)).join(', ')}; closed ${day(entry.closedAt)}.</p>`,
      );
      body.push(
        `<table><thead><tr><th>Component</th>${checklist.freedoms.map((f) => `<th>${escapeHtml(f)}</th>`).join('')}</tr></thead><tbody>`,
        ...checklist.rows.map(
          (row) =>
            `<tr><td>${escapeHtml(row.component)}</td>${checklist.freedoms
              .map((_, freedom) => {
                const final = entry.cells.find((c) => c.rowId === row.id && c.freedom === freedom);
                return `<td>${final ? VERDICT_LABELS[final.verdict] : '—'}</td>`;
              })
              .join('')}</tr>`,
        ),
        '</tbody></table>',
      );
      if (entry.dissent.length > 0) {
        body.push(
          '<ul>',
          ...entry.dissent.map((d) => {
            const row = checklist.rows.find((r) => r.id === d.rowId);
            return `<li>${escapeHtml(row?.component ?? d.rowId)} — ${escapeHtml(checklist.freedoms[d.freedom] ?? '')}: ${d.verdicts.map((v) => `${escapeHtml(v.reviewer.displayName)}: ${v.verdict ? VERDICT_LABELS[v.verdict] : 'not marked'}`).join(', ')}. Settled as ${VERDICT_LABELS[d.resolution.verdict]}: ${escapeHtml(d.resolution.reason)}</li>`;
          }),
          '</ul>',
        );
      }
    }
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLESHEET}</style></head><body>\n<article class="document">\n<main>\n${body.join('\n')}\n</main>\n</article>\n</body></html>\n`;
}

const BADGE_COLOURS: Record<Outcome, string> = { conformant: '#2f6f3e', conditional: '#8a6100', not_conformant: '#9b2c2c' };

/** Roughly how wide a string of 11px Verdana is (shields.io's habit), so the two halves fit their text. */
const textWidth = (text: string) =>
  Math.ceil([...text].reduce((width, char) => width + (/[ilj.,:;'|!]/.test(char) ? 3.5 : /[mwMW@]/.test(char) ? 9.5 : 7), 0)) + 10;

/** A flat badge: "<definition> <version>" | outcome, in the outcome's colour. */
export function badgeSvg(label: string, outcome: Outcome): string {
  const left = label.length > 60 ? `${label.slice(0, 59)}…` : label;
  const right = OUTCOME_LABELS[outcome];
  const [lw, rw] = [textWidth(left), textWidth(right)];
  const width = lw + rw;
  const title = escapeHtml(`${left}: ${right}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}"><title>${title}</title><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${BADGE_COLOURS[outcome]}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="${lw / 2}" y="14">${escapeHtml(left)}</text><text x="${lw + rw / 2}" y="14">${escapeHtml(right)}</text></g></svg>`;
}

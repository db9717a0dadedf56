/** The printed table: sections of rows, with the goal and a verdict next to each figure. */

export interface Row {
  label: string
  hearth: string
  baseline?: string
  goal?: string
  /** true: meets its goal; false: misses it; undefined: no goal. */
  ok?: boolean
}

export interface Section {
  title: string
  rows: Row[]
  notes?: string[]
}

const WIDTHS = { label: 50, hearth: 22, baseline: 30, goal: 26 }

function pad (text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width)
}

export function renderTable (header: string[], sections: Section[]): string {
  const lines = [...header, '']
  lines.push(pad('', WIDTHS.label) + pad('Hearth', WIDTHS.hearth) + pad('baseline', WIDTHS.baseline) + pad('goal', WIDTHS.goal) + 'verdict')
  for (const section of sections) {
    lines.push(section.title)
    for (const row of section.rows) {
      const verdict = row.ok == null ? '' : row.ok ? 'meets' : 'MISSES'
      lines.push((pad(`  ${row.label}`, WIDTHS.label) + pad(row.hearth, WIDTHS.hearth) + pad(row.baseline ?? '', WIDTHS.baseline) + pad(row.goal ?? '', WIDTHS.goal) + verdict).trimEnd())
    }
    for (const note of section.notes ?? []) lines.push(`  · ${note}`)
  }
  return lines.join('\n') + '\n'
}

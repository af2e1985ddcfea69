// Name matching the way the backend compares names: trimmed, NFC, case-folded, ё read as е.
export function normalizeName(name: string): string {
  return name.trim().normalize('NFC').toLowerCase().replaceAll('ё', 'е')
}

export function matchesQuery(normalizedName: string, query: string): boolean {
  const q = normalizeName(query)
  return q === '' || normalizedName.includes(q)
}

export function sortByName<T extends { name: string; id: number }>(items: T[], locale: string): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true })
  return [...items].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id)
}

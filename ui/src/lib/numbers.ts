// Counts typed by hand: whole numbers within the contract's limits.
export const MAX_COUNT = 1_000_000

export function parseCount(text: string, min = 0, max = MAX_COUNT): number | null {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return null
  const value = Number(trimmed)
  return value >= min && value <= max ? value : null
}

// When a copy was made, as its list shows it: its day ("today", "yesterday" or the date) and time.

function calendarDay(date: Date, timeZone?: string): number {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(date)
    .split('-')
    .map(Number)
  return Date.UTC(year, month - 1, day) / 86_400_000
}

/** "today", "yesterday" (in the locale's words) or a short date; and the time of day. */
export function copyMoment(iso: string, now: number, locale: string, timeZone?: string): { day: string; time: string } {
  const date = new Date(iso)
  const daysAgo = calendarDay(new Date(now), timeZone) - calendarDay(date, timeZone)
  const sameYear = new Date(now).getFullYear() === date.getFullYear()
  const day =
    daysAgo === 0 || daysAgo === 1
      ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-daysAgo, 'day')
      : new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' }).format(date)
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date)
  return { day, time }
}

// A type's notes as the server stores them (backend/names.py clean_notes): line breaks one line
// feed, tabs kept, other control characters made spaces, trailing whitespace trimmed.
import limits from '../api/limits.json'

export const { MAX_NOTES_LENGTH } = limits

// A control character but a tab or a line feed (line breaks are line feeds by then).
const CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f]/g

export function cleanNotes(notes: string): string {
  return notes.replace(/\r\n?/g, '\n').replace(CONTROL, ' ').trimEnd()
}

/** Their length as the server counts it: code points, so an emoji outside the BMP is one. */
export function notesLength(notes: string): number {
  return Array.from(cleanNotes(notes)).length
}

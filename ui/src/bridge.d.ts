// The desktop window's js_api (pywebview), present only after the `pywebviewready` event.
export interface BridgeFailure {
  code: string
  params?: Record<string, unknown>
}

export type SaveBackupResult = { path: string | null } | BridgeFailure
export type OpenBackupResult = { name: string; text: string } | { text: null } | BridgeFailure

/** What the window's file dialogs say: their titles and the kinds of file they offer, and the
 *  UI's language (for the dialogs' own buttons and labels). */
export interface DialogTexts {
  save: string
  open: string
  backup: string
  spreadsheet: string
  all: string
  language: string
}

export interface DesktopBridge {
  save_backup(): Promise<SaveBackupResult>
  open_backup(): Promise<OpenBackupResult>
  /** The spreadsheet the page made, saved where the user chooses (`name` suggested). Absent
   * from a window of an older version (connected to this server). */
  save_csv?(name: string, text: string): Promise<SaveBackupResult>
  /** Absent from a window of an older version (connected to this server). */
  set_window_title?(name: string): Promise<{ title: string } | BridgeFailure>
  /** Absent from a window of an older version (its dialogs then say English). */
  set_dialog_texts?(texts: DialogTexts): Promise<{ texts: DialogTexts } | BridgeFailure>
  /** The server's access key a `--connect` window was started with (absent in older windows). */
  access_key?(): Promise<string | null>
  /** The key the user typed, once the page's session opened with it: the window's own requests
   *  (the export it saves) then open their session with it too (absent in older windows). */
  use_key?(key: string): Promise<{ used: boolean }>
}

declare global {
  interface Window {
    pywebview?: { api: DesktopBridge }
  }
  interface WindowEventMap {
    pywebviewready: Event
  }
}

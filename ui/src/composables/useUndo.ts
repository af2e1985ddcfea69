// Undo of a change the user just made (from its toast) or of a history group (after a question):
// the server reverses exactly those events, even if another window changed something since.
import type { Stage } from '../stages'
import { messageRef, showErrorToast, showToast, UNDO_TOAST_MS, type ToastParams } from './useToasts'
import { useTypes, type Change } from './useTypes'

/** Says what the change did, with an Undo button for about ten seconds. */
export function offerUndo(change: Change, key: string, params: ToastParams): void {
  const typeId = change.type.id
  showToast(key, params, 'info', UNDO_TOAST_MS, {
    key: 'undo.action',
    run: () => undoFromToast(typeId, change.eventId),
  })
}

/** A move made in a form: how many, from where to where, and what the server answered. */
export interface Moved {
  qty: number
  from: Stage
  to: Stage
  change: Change
}

export function offerUndoOfMove({ qty, from, to, change }: Moved): void {
  offerUndo(change, 'move.moved', {
    name: change.type.name,
    qty,
    from: messageRef(`stages.${from}`),
    to: messageRef(`stages.${to}`),
  })
}

async function undoFromToast(typeId: number, eventId: number): Promise<void> {
  try {
    const type = await useTypes().undo(typeId, [eventId])
    showToast('undo.done', { name: type.name })
  } catch (error) {
    // Already undone elsewhere, or the miniatures have moved on: the store has reloaded.
    showErrorToast(error)
  }
}

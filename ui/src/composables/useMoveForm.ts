// Rules of the move form: "from" offers stages that hold miniatures, "to" only later stages,
// and the number must be a whole number from 1 to what is available.
import { computed, ref, watch, type Ref } from 'vue'
import { parseCount } from '../lib/numbers'
import { laterStages, STAGES, type Counts, type Stage } from '../stages'

export function parseQty(text: string, max: number): number | null {
  return parseCount(text, 1, max)
}

/** Stages holding miniatures, plus the one the user chose even if it has just run empty. */
export function movableStages(counts: Counts, kept: Stage | null = null): Stage[] {
  return STAGES.filter((stage) => stage !== 'DONE' && (counts[stage] > 0 || stage === kept))
}

export function useMoveForm(counts: Ref<Counts>, preferredFrom?: Stage) {
  // A submitted "from" stays selectable after a conflict empties it, so the form does not
  // silently switch stages under the user's error message.
  const kept = ref<Stage | null>(null)
  const fromOptions = computed(() => movableStages(counts.value, kept.value))
  const from = ref<Stage | null>(null)
  const to = ref<Stage | null>(null)
  const qtyText = ref('1')

  const toOptions = computed(() => (from.value ? laterStages(from.value) : []))
  const available = computed(() => (from.value ? counts.value[from.value] : 0))
  const qty = computed(() => parseQty(qtyText.value, available.value))
  const qtyInvalid = computed(() => available.value > 0 && qty.value === null)
  const canSubmit = computed(() => available.value > 0 && qty.value !== null && to.value !== null)

  // Keep the choice when it is still possible; otherwise fall back to the first sensible one.
  function settle(): void {
    const options = fromOptions.value
    if (!from.value || !options.includes(from.value)) {
      from.value =
        preferredFrom && options.includes(preferredFrom) ? preferredFrom : (options[0] ?? null)
    }
    if (!to.value || !toOptions.value.includes(to.value)) to.value = toOptions.value[0] ?? null
  }

  watch([fromOptions, from], settle, { immediate: true })
  watch(from, (stage) => {
    if (stage !== kept.value) kept.value = null
  })

  /** Hold on to the current "from" until the user picks another one. */
  function keepFrom(): void {
    kept.value = from.value
  }

  function releaseFrom(): void {
    kept.value = null
  }

  function request() {
    if (!canSubmit.value || !from.value || !to.value || qty.value === null) return null
    return { from: from.value, to: to.value, qty: qty.value }
  }

  return {
    from,
    to,
    qtyText,
    fromOptions,
    toOptions,
    available,
    qty,
    qtyInvalid,
    canSubmit,
    request,
    keepFrom,
    releaseFrom,
  }
}

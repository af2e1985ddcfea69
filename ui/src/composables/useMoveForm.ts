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
  // The chosen "from" stays chosen when a move (here, or in another window) empties it: the form
  // says so and cannot submit, and never switches to a stage the user did not pick. The empty
  // stage leaves the list once the user picks another.
  const from = ref<Stage | null>(null)
  const fromOptions = computed(() => movableStages(counts.value, from.value))
  const to = ref<Stage | null>(null)
  const qtyText = ref('1')

  const toOptions = computed(() => (from.value ? laterStages(from.value) : []))
  const available = computed(() => (from.value ? counts.value[from.value] : 0))
  const qty = computed(() => parseQty(qtyText.value, available.value))
  const qtyInvalid = computed(() => available.value > 0 && qty.value === null)
  const canSubmit = computed(() => available.value > 0 && qty.value !== null && to.value !== null)
  /** The chosen stage has run empty; `othersLeft` says whether another stage could be chosen. */
  const fromEmpty = computed(() => from.value !== null && available.value === 0)
  const othersLeft = computed(() => movableStages(counts.value).length > 0)

  // The first choice only: afterwards "from" changes when the user changes it.
  function settle(): void {
    const options = fromOptions.value
    if (!from.value) {
      from.value =
        preferredFrom && options.includes(preferredFrom) ? preferredFrom : (options[0] ?? null)
    }
    if (!to.value || !toOptions.value.includes(to.value)) to.value = toOptions.value[0] ?? null
  }

  watch([fromOptions, from], settle, { immediate: true })

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
    fromEmpty,
    othersLeft,
    request,
  }
}

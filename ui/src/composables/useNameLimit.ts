// The contract's 100 characters for a name, said as the user types: a hint near the limit, an
// error past it, and a few announcements on the way rather than one on every key.
import { computed, ref, useId, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { MAX_NAME_LENGTH, nameLength } from '../lib/names'
import { formatCount } from '../lib/numbers'

/** The hint shows from this many characters left; before that it would only be noise. */
export const HINT_FROM = 20
const ANNOUNCED_AT = [20, 10, 5, 0]

export function useNameLimit(name: Ref<string>) {
  const { t, locale } = useI18n()
  const hintId = useId()
  const left = computed(() => MAX_NAME_LENGTH - nameLength(name.value))
  const tooLong = computed(() => left.value < 0)
  const hint = computed(() => {
    const n = Math.abs(left.value)
    const named = { n: formatCount(n, locale.value), max: formatCount(MAX_NAME_LENGTH, locale.value) }
    if (tooLong.value) return t('nameLimit.over', named, n)
    return left.value <= HINT_FROM ? t('nameLimit.left', named, n) : ''
  })

  // Said when the count crosses 20, 10, 5 and 0 left, and when it goes past the limit.
  const stage = computed(() => (tooLong.value ? 'over' : ANNOUNCED_AT.findLast((at) => left.value <= at) ?? null))
  const announcement = ref('')
  watch(stage, (now) => {
    announcement.value = now === null ? '' : hint.value
  })

  return { hintId, tooLong, hint, announcement }
}

export type NameLimit = ReturnType<typeof useNameLimit>

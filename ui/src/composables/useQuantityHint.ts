// The one message every quantity field gives for a number it cannot take, with its limits
// written as the user's language groups numbers.
import { useI18n } from 'vue-i18n'
import { formatCount } from '../lib/numbers'

export function useQuantityHint(): (min: number, max: number) => string {
  const { t, locale } = useI18n()
  return (min, max) =>
    t('quantity.invalid', { min: formatCount(min, locale.value), max: formatCount(max, locale.value) })
}

// A clock for relative times ("5 minutes ago") that keeps them honest while the page stays open.
import { onBeforeUnmount, onMounted, ref } from 'vue'

export function useNow(intervalMs = 30_000) {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), intervalMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return now
}

import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** A clock that ticks while the component is mounted, for "uptime" and "x seconds ago" labels. */
export function useNow(everyMs = 1000): Ref<number> {
  const now = ref(Date.now());
  let t: ReturnType<typeof setInterval> | null = null;
  onMounted(() => (t = setInterval(() => (now.value = Date.now()), everyMs)));
  onBeforeUnmount(() => t && clearInterval(t));
  return now;
}

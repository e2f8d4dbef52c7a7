import { ref } from 'vue';
import { describeProblem, type Problem } from './problem';

/**
 * A form's submit: busy while it runs, and what went wrong in words a person understands.
 * `run` resolves true when the action succeeded.
 */
export function useAction() {
  const busy = ref(false);
  const problem = ref<Problem | null>(null);
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    problem.value = null;
    try {
      await action();
      return true;
    } catch (err) {
      problem.value = describeProblem(err);
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, problem, run };
}

import type { Directive } from 'vue';

/**
 * `v-why="reason"` disables a button and says why: a reason (a string) disables it and becomes
 * its tooltip and its accessible description; null, false or '' enables it. Every disabled
 * button in the console goes through this, so none is greyed out without a word
 * (lib/disabled-why.test.ts checks the views).
 */
type Reason = string | null | false | undefined;

const OWN = 'data-why';

function apply(el: HTMLButtonElement, reason: Reason): void {
  if (reason) {
    el.disabled = true;
    el.title = reason;
    el.setAttribute('aria-description', reason);
    el.setAttribute(OWN, reason);
  } else {
    el.disabled = false;
    if (el.hasAttribute(OWN)) {
      el.removeAttribute('title');
      el.removeAttribute('aria-description');
      el.removeAttribute(OWN);
    }
  }
}

export const vWhy: Directive<HTMLButtonElement, Reason> = {
  mounted: (el, b) => apply(el, b.value),
  updated: (el, b) => apply(el, b.value),
};

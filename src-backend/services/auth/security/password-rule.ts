import { loadPasswordPolicy, PASSWORD_REJECTED } from '../../../contracts/password-policy.js';
import { badRequest } from '../../../shared/app-error.js';

/** 400 PASSWORD_REJECTED naming the reason ("password is too common") when the policy refuses it. */
export async function assertPasswordAllowed(password: string, username: string): Promise<void> {
  const problem = (await loadPasswordPolicy()).problem(password, username);
  if (problem) throw badRequest(problem, PASSWORD_REJECTED);
}
